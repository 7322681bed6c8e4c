// Reads a file the user named, turning the usual failures into errors that say which file.
import { readFile } from 'node:fs/promises';
import { DjeError } from '@dynamic-embeddings/core';

export async function readTextFile(filePath: string, options: { readonly what: string }): Promise<string> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DjeError({
        code: 'FILE_NOT_FOUND',
        kind: 'not_found',
        message: `No such ${options.what}: ${filePath}.`,
        details: { path: filePath },
        cause: error,
      });
    }
    throw new DjeError({
      code: code === 'EISDIR' ? 'NOT_A_FILE' : 'FILE_UNREADABLE',
      kind: code === 'EISDIR' ? 'usage' : 'validation',
      message:
        code === 'EISDIR'
          ? `${filePath} is a directory; give a ${options.what}.`
          : `Cannot read ${filePath}: ${(error as Error).message}.`,
      details: { path: filePath },
      cause: error,
    });
  }
}
