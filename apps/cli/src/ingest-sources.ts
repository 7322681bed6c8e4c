// What `dje ingest <file|dir|->` reads: one JSON document per .json file, many per .ndjson/.jsonl
// file or stdin. Resolved before the database is opened, so a wrong path costs nothing.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createError, fileReadError } from '@dynamic-embeddings/core';

export type IngestSource =
  /** One JSON document; `documentId` defaults to the file name without extension. */
  | { readonly kind: 'document'; readonly path: string; readonly documentId: string }
  /** NDJSON / JSON Lines (or a top-level array): many documents, streamed. */
  | { readonly kind: 'stream'; readonly path: string; readonly idPrefix: string }
  /** stdin as a stream of documents, or as one document when --document-id is given. */
  | { readonly kind: 'stdin'; readonly documentId: string | undefined };

const streamExtensions = new Set(['.ndjson', '.jsonl']);
const ingestibleExtensions = new Set(['.json', ...streamExtensions]);

function stem(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}

function sourceOfFile(filePath: string, documentId: string | undefined): IngestSource {
  const extension = path.extname(filePath).toLowerCase();
  return streamExtensions.has(extension)
    ? { kind: 'stream', path: filePath, idPrefix: documentId ?? stem(filePath) }
    : { kind: 'document', path: filePath, documentId: documentId ?? stem(filePath) };
}

export interface IngestPlan {
  /** True for a directory: its result lists every file, even when it holds only one. */
  readonly folder: boolean;
  readonly sources: readonly IngestSource[];
}

export async function resolveIngestSources(options: {
  readonly target: string;
  readonly documentId: string | undefined;
}): Promise<IngestPlan> {
  const { target, documentId } = options;
  if (target === '-') return { folder: false, sources: [{ kind: 'stdin', documentId }] };
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch (error) {
    throw fileReadError({
      path: target,
      error,
      what: 'file or directory',
      advice: 'Give a .json/.ndjson/.jsonl file, a directory of them, or - for stdin.',
    });
  }
  if (!info.isDirectory()) return { folder: false, sources: [sourceOfFile(target, documentId)] };
  if (documentId !== undefined) {
    throw createError({
      code: 'DOCUMENT_ID_WITH_DIRECTORY',
      message: `--document-id names one document, but ${target} is a directory of many; each file's document id is its name without the extension.`,
    });
  }
  const entries = await readdir(target, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && ingestibleExtensions.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => entry.name)
    // Code-point order, not locale order: the same folder ingests in the same order everywhere.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) {
    throw createError({
      code: 'NO_INPUT_FILES',
      message: `${target} has no .json, .ndjson or .jsonl files (subdirectories are not searched).`,
      details: { path: target },
    });
  }
  return { folder: true, sources: files.map((name) => sourceOfFile(path.join(target, name), undefined)) };
}
