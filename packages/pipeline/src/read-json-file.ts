import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJson } from '@dynamic-embeddings/chunking';
import { fileReadError } from '@dynamic-embeddings/core';

/** A file's text; a missing or unreadable file is a clear error. */
async function readJsonText(filePath: string): Promise<string> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    throw fileReadError({ path: filePath, error, what: 'file', advice: 'Check the path.' });
  }
}

/**
 * Reads and parses a JSON file (or parses `text`, its contents read ahead); a missing or unreadable
 * file is a clear error, bad JSON names its position.
 */
export async function readJsonFile(filePath: string, text?: string): Promise<unknown> {
  const contents = text ?? (await readJsonText(filePath));
  return parseJson(contents, { source: filePath });
}

/** The default document id of a file: its name without the extension (`examples/campaigns.json` → `campaigns`). */
export function documentIdOfFile(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}
