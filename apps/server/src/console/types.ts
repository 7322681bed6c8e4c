// The API shapes the console reads (a subset of the OpenAPI document's schemas, same names).

export interface NamespaceInfo {
  readonly namespace: string;
  readonly dimensions: number;
  readonly storage: string;
  readonly provider: string;
  readonly model: string;
  readonly index_type: string;
  readonly index_threshold: number;
  readonly recall_target: number;
  readonly embedding_count: number;
  readonly vector_index_exists: boolean;
}

export interface NamespaceStats extends NamespaceInfo {
  readonly collection_count: number;
  readonly table_size: string;
  readonly index_size: string;
  readonly bytes_per_vector: number;
}

export interface BackupInfo {
  readonly table_name: string;
  readonly reason: string;
  readonly row_count: number;
  readonly model: string;
  readonly exists: boolean;
  readonly created_at: string;
}

export interface CollectionStats {
  readonly collection_name: string;
  readonly total_embeddings: number;
  readonly document_count: number;
  readonly strategy_distribution: Readonly<Record<string, number>>;
  readonly content_type_distribution: Readonly<Record<string, number>>;
  readonly total_tokens: number;
}

export interface ChunkFields {
  readonly chunk_id: string;
  readonly document_id: string;
  readonly text: string;
  readonly strategy: string;
  readonly content_type: string;
  readonly path: string | null;
  readonly token_count: number | null;
  readonly parent_chunk_id: string | null;
}

export interface StoredChunk extends ChunkFields {
  readonly collection_name: string;
}

export interface SearchHit extends StoredChunk {
  readonly similarity: number;
}

export interface SearchResults {
  readonly results: readonly SearchHit[];
  readonly plan?: Readonly<Record<string, unknown>>;
}

export interface ChunkPreview {
  readonly document_id: string;
  readonly strategy: string;
  readonly confidence: number;
  readonly scores?: Readonly<Record<string, number>>;
  readonly chunks: readonly ChunkFields[];
}

export const strategies = ['auto', 'flat', 'hierarchical', 'semantic', 'dimensional', 'hybrid'] as const;
