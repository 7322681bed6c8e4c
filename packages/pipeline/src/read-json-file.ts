import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJson } from '@dynamic-embeddings/chunking';
import { fileReadError } from '@dynamic-embeddings/core';

/** Reads and parses a JSON file; a missing or unreadable file is a clear error, bad JSON names its position. */
export async function readJsonFile(filePath: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw fileReadError({ path: filePath, error, what: 'file', advice: 'Check the path.' });
  }
  return parseJson(text, { source: filePath });
}

/** The default document id of a file: its name without the extension (`examples/campaigns.json` → `campaigns`). */
export function documentIdOfFile(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}
