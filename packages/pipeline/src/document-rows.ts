// A chunked document turned into the rows it will be stored as, still without vectors.
import type { ChunkResult } from '@dynamic-embeddings/chunking';
import type { EmbeddingInput } from '@dynamic-embeddings/db';
import { textHash } from './text-hash.js';

/** A row to store, minus its vector, plus the hash that finds a reusable one. */
export type PendingRow = Omit<EmbeddingInput, 'embedding'> & { readonly text_hash: string };

export interface PreparedDocument {
  readonly documentId: string;
  readonly collectionName: string;
  readonly strategy: string;
  readonly confidence: number;
  /** Chunks the chunker produced. */
  readonly chunks: number;
  /** Chunks left out because their text is blank: there is nothing to embed. */
  readonly skipped: number;
  /** Tokens of the stored chunks' text. */
  readonly tokens: number;
  readonly rows: readonly PendingRow[];
}

/**
 * Gives each chunk its collection and its text hash. The chunk ids already name the collection
 * (the chunker is given it), as chunk_id is unique across the namespace's whole table.
 */
export function prepareDocument(result: ChunkResult, collectionName: string): PreparedDocument {
  const rows: PendingRow[] = [];
  let tokens = 0;
  for (const chunk of result.chunks) {
    if (chunk.text.trim() === '') continue;
    tokens += chunk.token_count;
    rows.push({
      chunk_id: chunk.chunk_id,
      document_id: result.document_id,
      collection_name: collectionName,
      text: chunk.text,
      text_hash: textHash(chunk.text),
      strategy: chunk.strategy,
      content_type: chunk.content_type,
      path: chunk.path,
      parent_chunk_id: chunk.parent_chunk_id,
      depth_level: chunk.depth_level,
      hierarchy_level: chunk.hierarchy_level,
      semantic_density: chunk.semantic_density,
      confidence: chunk.confidence,
      chunk_size: chunk.chunk_size,
      token_count: chunk.token_count,
      key_count: chunk.key_count,
      contains_arrays: chunk.contains_arrays,
      is_leaf: chunk.is_leaf,
      domain_tags: chunk.domain_tags,
      original_keys: chunk.original_keys,
      metadata: chunk.metadata,
    });
  }
  return {
    documentId: result.document_id,
    collectionName,
    strategy: result.strategy,
    confidence: result.confidence,
    chunks: result.chunks.length,
    skipped: result.chunks.length - rows.length,
    tokens,
    rows,
  };
}
