import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJson } from '@dynamic-embeddings/chunking';
import { DjeError } from '@dynamic-embeddings/core';

/** Reads and parses a JSON file; a missing or unreadable file is a clear error, bad JSON names its position. */
export async function readJsonFile(filePath: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw fileError(filePath, error);
  }
  return parseJson(text, { source: filePath });
}

/** The default document id of a file: its name without the extension (`examples/campaigns.json` → `campaigns`). */
export function documentIdOfFile(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}

function fileError(filePath: string, error: unknown): DjeError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new DjeError({
      code: 'FILE_NOT_FOUND',
      kind: 'not_found',
      message: `No such file: ${filePath}. Check the path.`,
      details: { path: filePath },
      cause: error,
    });
  }
  if (code === 'EISDIR') {
    return new DjeError({
      code: 'NOT_A_FILE',
      kind: 'usage',
      message: `${filePath} is a directory; give a JSON file (or ingest each file of the directory).`,
      details: { path: filePath },
      cause: error,
    });
  }
  return new DjeError({
    code: 'FILE_UNREADABLE',
    kind: 'validation',
    message: `Could not read ${filePath}: ${(error as Error).message}.`,
    details: { path: filePath, errno: code },
    cause: error,
  });
}
