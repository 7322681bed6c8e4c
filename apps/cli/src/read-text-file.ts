// Reads a file the user named, turning the usual failures into errors that say which file.
import { readFile } from 'node:fs/promises';
import { fileReadError } from '@dynamic-embeddings/core';

export async function readTextFile(filePath: string, options: { readonly what: string }): Promise<string> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    throw fileReadError({ path: filePath, error, what: options.what });
  }
}
