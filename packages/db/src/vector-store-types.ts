// The VectorStore contract: what the pipeline, migration and server code against.

import type { Database } from './database.js';
import type { Filter } from './filters.js';
import type { NamespaceHandle } from './namespace-handle.js';
import type {
  BackupInfo,
  CreateNamespaceOptions,
  NamespaceInfo,
  NamespaceRecord,
  NamespaceStats,
} from './registry-types.js';
import type { SearchPlan } from './search-plan.js';

/** A row to write: the chunk's columns plus its collection and vector. */
export interface EmbeddingInput {
  readonly chunk_id: string;
  readonly document_id: string;
  readonly collection_name: string;
  readonly text: string;
  readonly embedding: Float32Array | readonly number[];
  readonly strategy: string;
  readonly content_type: string;
  readonly path?: string | null;
  readonly parent_chunk_id?: string | null;
  readonly depth_level?: number;
  readonly hierarchy_level?: number;
  readonly semantic_density?: number;
  readonly confidence?: number;
  readonly chunk_size?: number | null;
  readonly token_count?: number | null;
  readonly key_count?: number | null;
  readonly contains_arrays?: boolean;
  readonly is_leaf?: boolean;
  readonly domain_tags?: readonly string[] | null;
  readonly original_keys?: readonly string[] | null;
  readonly metadata?: Readonly<Record<string, unknown>> | null;
}

/** The columns of a namespace row besides id, embedding and timestamps: what a writer fills in. */
export interface ChunkColumns {
  readonly chunk_id: string;
  readonly document_id: string;
  readonly collection_name: string;
  readonly text: string;
  readonly text_hash: string;
  readonly strategy: string;
  readonly content_type: string;
  readonly path: string | null;
  readonly parent_chunk_id: string | null;
  readonly depth_level: number | null;
  readonly hierarchy_level: number | null;
  readonly semantic_density: number | null;
  readonly confidence: number | null;
  readonly chunk_size: number | null;
  readonly token_count: number | null;
  readonly key_count: number | null;
  readonly contains_arrays: boolean | null;
  readonly is_leaf: boolean | null;
  readonly domain_tags: readonly string[] | null;
  readonly original_keys: readonly string[] | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
}

/** A stored row. `embedding` is present only when asked for (`includeVectors`). */
export interface EmbeddingRecord extends ChunkColumns {
  readonly id: number;
  readonly embedding?: number[];
  // Read back from the database, so the caller owns these: plain mutable values.
  readonly domain_tags: string[] | null;
  readonly original_keys: string[] | null;
  readonly metadata: Record<string, unknown> | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The embedding model a store writes and searches with; checked against the namespace. */
export interface EmbeddingIdentity {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
}

export interface CreateVectorStoreOptions {
  /** Default namespace of every method (default `default`); each method can override it. */
  readonly namespace?: string;
  /** When set: writes auto-create missing namespaces with it, and writes/searches check it. */
  readonly embedding?: EmbeddingIdentity;
}

export interface NamespaceOption {
  /** Overrides the store's namespace for this call. */
  readonly namespace?: string;
}

export interface InsertOptions extends NamespaceOption {
  /** Rows per transaction (default 5,000); each batch commits on its own. */
  readonly batchSize?: number;
  /** Called after each batch with rows written so far. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
  /**
   * Leave an index build that comes due (and the calibration after it) to the handle's
   * `finishIndex()`: a run of many writes builds the index once, at its end, instead of inside the
   * write that crosses the threshold and then maintaining it row by row. Default false.
   */
  readonly deferIndex?: boolean;
}

export interface InsertResult {
  readonly inserted: number;
  readonly updated: number;
  /** Whether this call built (or rebuilt) the ANN index, per the namespace's index policy. */
  readonly index_built: boolean;
}

export interface SearchOptions extends NamespaceOption {
  readonly vector: Float32Array | readonly number[];
  /** Most results (default 10, at most 1000). */
  readonly limit?: number;
  readonly collectionName?: string;
  /** Minimum cosine similarity, -1…1 (default: no threshold). */
  readonly threshold?: number;
  readonly filters?: Filter;
  /** Return stored vectors too (default false). */
  readonly includeVectors?: boolean;
  /**
   * Skip the ANN index and compare the query with every row that passes the filters: perfect
   * recall, at the cost of a full scan (default false: the index serves the search once built).
   */
  readonly exact?: boolean;
  /**
   * Matching rows up to which a filtered search compares every row instead of using the ANN index
   * (default: `recallAwareCutoff` — exact while that is the faster way to the namespace's recall
   * target, for the table's size and calibrated settings, never below `exactCutoffRows(dimensions)`;
   * rarely worth changing).
   */
  readonly exactCutoff?: number;
}

/** A result: the stored row and its cosine similarity to the query (1 = same direction). */
export type SearchResult = readonly [EmbeddingRecord, number];

export interface DocumentOptions extends NamespaceOption {
  readonly collectionName?: string;
  readonly includeVectors?: boolean;
}

export interface ReplaceDocumentOptions extends NamespaceOption {
  readonly documentId: string;
  readonly collectionName: string;
  readonly records: readonly EmbeddingInput[];
}

export interface CollectionSummary {
  readonly collection_name: string;
  readonly total_embeddings: number;
  readonly document_count: number;
  readonly strategies: string[];
  readonly content_types: string[];
}

export interface CollectionStats extends CollectionSummary {
  readonly namespace: string;
  readonly strategy_distribution: Record<string, number>;
  readonly content_type_distribution: Record<string, number>;
  readonly avg_semantic_density: number;
  readonly avg_confidence: number;
  readonly text_length: { readonly min: number; readonly max: number; readonly avg: number };
  readonly total_tokens: number;
}

export interface VectorStore {
  readonly db: Database;
  /** The default namespace. */
  readonly namespace: string;
  /** The model identity, when the store was created with one. */
  readonly embedding: EmbeddingIdentity | undefined;

  /**
   * The namespace's registry entry, checked against `embedding` (EMBEDDING_MODEL_MISMATCH,
   * DIMENSION_MISMATCH), or undefined when it does not exist; creates nothing.
   */
  checkNamespace(
    options?: NamespaceOption & Partial<Pick<CreateNamespaceOptions, 'dimensions' | 'provider' | 'model'>>,
  ): Promise<NamespaceRecord | undefined>;
  /** Returns the namespace's registry entry, creating it from `embedding` when missing. */
  ensureNamespace(
    options?: NamespaceOption & Partial<Omit<CreateNamespaceOptions, 'namespace'>>,
  ): Promise<NamespaceRecord>;
  /** A handle on a namespace (default: the store's): one registry read, then direct table access. */
  open(namespace?: string): Promise<NamespaceHandle>;
  createNamespace(
    options: CreateNamespaceOptions,
  ): Promise<{ readonly created: boolean; readonly namespace: NamespaceRecord }>;
  listNamespaces(): Promise<NamespaceInfo[]>;
  getNamespaceStats(namespace?: string): Promise<NamespaceStats>;
  dropNamespace(namespace: string, options: { readonly confirm?: boolean }): Promise<boolean>;
  listBackups(): Promise<BackupInfo[]>;
  dropBackup(tableName: string, options: { readonly confirm?: boolean }): Promise<boolean>;

  insertEmbedding(record: EmbeddingInput, options?: NamespaceOption): Promise<InsertResult>;
  /** Upserts on chunk_id; one transaction per batch; validates every vector before writing. */
  insertEmbeddings(records: readonly EmbeddingInput[], options?: InsertOptions): Promise<InsertResult>;
  /** Atomically makes `records` the document's only rows in the collection (upsert + delete the rest). */
  replaceDocument(
    options: ReplaceDocumentOptions,
  ): Promise<{ readonly written: number; readonly deleted: number }>;
  /** Stored vectors of a document's chunks keyed by text_hash (sha256 hex of text), for reuse. */
  getDocumentVectors(documentId: string, options?: DocumentOptions): Promise<Map<string, Float32Array>>;

  similaritySearch(options: SearchOptions): Promise<SearchResult[]>;
  /** similaritySearch, and the plan it ran with (what `explain` shows). */
  similaritySearchWithPlan(
    options: SearchOptions,
  ): Promise<{ readonly results: SearchResult[]; readonly plan: SearchPlan }>;
  getByChunkId(chunkId: string, options?: DocumentOptions): Promise<EmbeddingRecord | undefined>;
  getByDocumentId(documentId: string, options?: DocumentOptions): Promise<EmbeddingRecord[]>;
  deleteByDocument(documentId: string, options?: DocumentOptions): Promise<number>;
  deleteByCollection(collectionName: string, options?: NamespaceOption): Promise<number>;
  /** Deletes the rows that pass a non-empty filter (INVALID_FILTER when empty); returns their count. */
  deleteByFilter(filter: Filter, options?: DocumentOptions): Promise<number>;

  listCollections(options?: NamespaceOption): Promise<CollectionSummary[]>;
  getCollectionStats(collectionName: string, options?: NamespaceOption): Promise<CollectionStats>;
  /** Same as deleteByCollection; returns the deleted row count. */
  deleteCollection(collectionName: string, options?: NamespaceOption): Promise<number>;
}
