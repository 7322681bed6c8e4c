// The documents of one ingest input, chunked: a parsed document or a JSON file is one document, a
// stream yields its documents one at a time in bounded memory.
import {
  type ChunkResult,
  chunkJson,
  chunkJsonStream,
  type StrategyName,
} from '@dynamic-embeddings/chunking';
import type { ChunkLimits } from './chunk-options.js';
import type { IngestInput } from './pipeline-types.js';
import type { ReadyInput } from './read-ahead.js';
import { documentIdOfFile, readJsonFile } from './read-json-file.js';

export interface ChunkingOptions extends ChunkLimits {
  readonly collectionName: string;
  readonly strategy: StrategyName;
}

/** The input's name in results and errors: its file, or the name it was given. */
export function sourceOf(input: IngestInput): string | undefined {
  return input.kind === 'file' ? input.path : input.source;
}

/** The input's documents, chunked, in order. */
export async function* chunkedDocuments(
  input: ReadyInput,
  options: ChunkingOptions,
): AsyncGenerator<ChunkResult, void, undefined> {
  if (input.kind === 'data') {
    yield chunkJson(input.data, { ...options, documentId: input.documentId });
  } else if (input.kind === 'file') {
    const data = await readJsonFile(input.path, input.text);
    yield chunkJson(data, { ...options, documentId: input.documentId ?? documentIdOfFile(input.path) });
  } else {
    yield* chunkJsonStream(input.stream, {
      ...options,
      ...(input.documentId === undefined ? {} : { documentId: input.documentId }),
      ...(input.source === undefined ? {} : { source: input.source }),
    });
  }
}
