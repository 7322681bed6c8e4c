// The EmbeddingPipeline contract: what the CLI and the HTTP server code against.
import type { ChunkingConfig, StrategyName } from '@dynamic-embeddings/chunking';
import type {
  BackupInfo,
  ClusterRebalance,
  CollectionStats,
  CollectionSummary,
  ConnectOptions,
  Database,
  EmbeddingRecord,
  Filter,
  FusionWeights,
  IndexBuildMemory,
  IndexBuildProgress,
  IndexBuildStart,
  ModePlan,
  NamespaceDistribution,
  NamespaceInfo,
  NamespaceMove,
  NamespaceRecord,
  NamespaceStats,
  RecallMeasurement,
  RecallOptions,
  SearchMode,
  SearchPlan,
  SearchTuningRecord,
  VectorIndexParams,
  VectorIndexType,
  VectorStorage,
  VectorStore,
} from '@dynamic-embeddings/db';
import type { EmbeddingProvider } from '@dynamic-embeddings/embeddings';

export interface CreatePipelineOptions {
  /** postgres://…, pglite://DIR, memory://; default: embedded PGlite in ./.dje/pgdata. Ignored when `db` is given. */
  readonly databaseUrl?: string;
  /** How to connect to `databaseUrl` (pool size, index build memory). Ignored when `db` is given. */
  readonly connectOptions?: ConnectOptions;
  /** An open database to use instead of connecting (the pipeline then does not close it). */
  readonly db?: Database;
  /** Embedding provider; default: the offline `local` provider (384 dimensions). */
  readonly provider?: EmbeddingProvider;
  /** Default namespace of every method (default `default`). */
  readonly namespace?: string;
  /** Default chunking config: a built-in name or a parsed config object. */
  readonly config?: string | ChunkingConfig;
  /**
   * Max concurrent embedding requests (default 4). An ingest keeps two batches between read and
   * written: one is embedded while the one before it is written.
   */
  readonly concurrency?: number;
  /**
   * ANN index policy of namespaces this pipeline creates (on first write, or by createNamespace
   * without index options). Default: the db package's (HNSW once a namespace has 10,000 rows),
   * except on PGlite, where it is IVFFlat from 10,000 rows: PGlite builds HNSW so slowly that
   * the build would dominate any large ingest (see `embeddedIndexPolicy`).
   */
  readonly newNamespaces?: CreateNamespaceOptions;
}

export interface NamespaceOption {
  /** Overrides the pipeline's namespace for this call. */
  readonly namespace?: string;
}

export interface ProgressEvent {
  readonly phase: 'chunk' | 'embed' | 'store' | 'index';
  /** Units done so far in this phase: documents for chunk and store, texts for embed, 1 for index once built. */
  readonly done: number;
  readonly total?: number;
  readonly documentId?: string;
  /** Chunks so far (chunk and store phases), for a chunks/s rate next to documents/s. */
  readonly chunks?: number;
  /** Inputs whose documents are all stored (store phase): a folder's files done. */
  readonly sources?: number;
  /** How long the write just reported took (store phase), index build included. */
  readonly duration_ms?: number;
  /** Ingest: documents stored so far (every ingest event carries it). */
  readonly documents?: number;
  /** Ingest: embedding calls to the provider in flight at this moment (batches overlap). */
  readonly requests_in_flight?: number;
  /** Ingest: tokens of the chunk texts sent to the provider so far (reused vectors cost none). */
  readonly tokens_embedded?: number;
  /**
   * Index phase, while the ANN index is being built (done 0): PostgreSQL's reading of the build —
   * its phase, table blocks read of all, rows indexed. Not sent on PGlite or Citus.
   */
  readonly index_build?: IndexBuildProgress;
  /**
   * Index phase, before an HNSW build whose graph will not fit in the memory the build may use
   * (`DJE_INDEX_BUILD_MEMORY_MB` / `indexBuildMemoryMB`): pgvector then builds it several times slower.
   */
  readonly index_memory?: IndexBuildMemory;
  /**
   * Index phase (done 0), once, when the ANN index build at the end of an ingest starts: on every
   * database, so a display can say why the ingest goes quiet (a build over millions of rows runs
   * for many minutes; PGlite sends no readings while it does).
   */
  readonly index_start?: IndexBuildStart;
}

/**
 * Where an ingest spent its time, in milliseconds, summed over its batches. Batches overlap (one
 * is written while the next is embedded and the one after read), so the phases can add up to more
 * than the ingest's duration.
 */
export interface PhaseTimings {
  /** Reading, parsing and chunking. */
  readonly chunk_ms: number;
  /** Looking up reusable vectors and calling the provider. */
  readonly embed_ms: number;
  /** Writing rows, including an ANN index build the namespace's policy triggered. */
  readonly store_ms: number;
}

/** What every ingest call takes, whatever its input. */
export interface IngestOptions extends NamespaceOption {
  readonly collectionName: string;
  readonly strategy?: StrategyName;
  readonly config?: string | ChunkingConfig;
  /** Replace each document's previous chunks atomically (default true); false only upserts. */
  readonly replace?: boolean;
  /**
   * Documents per batch at most (default 2048): a batch's texts are embedded together and its new
   * documents written in one transaction. A batch also closes before a document whose texts would
   * pass the provider's inputs per request (or past a million characters of text), so small
   * documents share full requests and large ones stay bounded in memory.
   */
  readonly batchDocuments?: number;
  /**
   * Per-document rows kept in the result's `results`: those of the first documents stored (default
   * 10,000, 0 for none). Every other count covers all documents; `results_omitted` says how many
   * rows were left out. Bounds the memory of an ingest of millions of documents, which would
   * otherwise hold a row for each until it ends.
   */
  readonly resultLimit?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** One input of an ingest: a parsed document, a JSON file (one document), or a stream of documents. */
export type IngestInput =
  | {
      readonly kind: 'data';
      readonly data: unknown;
      readonly documentId: string;
      /** Name of the input for results and errors (default: none). */
      readonly source?: string;
    }
  | {
      readonly kind: 'file';
      readonly path: string;
      /** Default: the file name without its extension. */
      readonly documentId?: string;
    }
  | {
      readonly kind: 'stream';
      /** NDJSON or a top-level JSON array, read in bounded memory. */
      readonly stream: AsyncIterable<string | Uint8Array>;
      /** Name of the input (a file name) for results and errors, e.g. INVALID_JSON's position. */
      readonly source?: string;
      /** Id of each document (default: its id/_id/document_id field, else doc-N, N from 0). */
      readonly documentId?: (document: unknown, index: number) => string;
    };

export interface ProcessOptions extends Omit<IngestOptions, 'batchDocuments' | 'resultLimit'> {
  readonly documentId: string;
}

export interface StreamOptions extends IngestOptions {
  /** Document id for each streamed document (default: its id/_id/document_id field, else doc-N, N from 0). */
  readonly documentId?: (document: unknown, index: number) => string;
  /** Name of the input (a file name) for error messages, e.g. INVALID_JSON's position. */
  readonly source?: string;
}

/** What happened to one stored document of an ingest. */
export interface DocumentResult {
  readonly document_id: string;
  /** The input it came from (file name), when the input has a name. */
  readonly source?: string;
  readonly chunks: number;
  /** Chunks sent to the provider. */
  readonly embedded: number;
  /** Chunks whose unchanged text reused a stored vector. */
  readonly reused: number;
  /** Previous chunks of the document that no longer exist and were removed. */
  readonly removed: number;
  /** Chunks not stored because their text is blank (nothing to embed). */
  readonly skipped: number;
  readonly strategy: string;
  readonly confidence: number;
  /** Tokens of the stored chunks' text (cl100k_base, as the chunker counts them). */
  readonly tokens: number;
}

/**
 * The result of every ingest (one document, a file, a stream, a folder, the HTTP routes): one row
 * per stored document plus the totals; snake_case like every shape the tools print.
 */
export interface IngestResult {
  readonly namespace: string;
  readonly collection_name: string;
  /** Inputs read (files, streams, documents given as data). */
  readonly sources: number;
  readonly documents: number;
  readonly chunks: number;
  readonly embedded: number;
  readonly reused: number;
  readonly removed: number;
  readonly skipped: number;
  /**
   * Documents already stored exactly as they are now: every chunk reused its vector, nothing was
   * embedded or removed (a re-run after an interruption reports what it did not redo).
   */
  readonly unchanged: number;
  readonly tokens: number;
  readonly duration_ms: number;
  /** Whether this ingest built the namespace's ANN index (its row-count threshold was reached). */
  readonly index_built: boolean;
  readonly timings: PhaseTimings;
  /** One entry per stored document, in input order, for the first `resultLimit` documents. */
  readonly results: DocumentResult[];
  /** Stored documents past `resultLimit`, counted in the totals but not listed in `results`. */
  readonly results_omitted: number;
}

export interface SearchOptions extends NamespaceOption {
  readonly collectionName?: string;
  readonly limit?: number;
  readonly threshold?: number;
  readonly filters?: Filter;
  /** Skip the ANN index: perfect recall, full scan (see the db package's `SearchOptions.exact`). */
  readonly exact?: boolean;
  /**
   * `hybrid` (the default: see DEFAULT_SEARCH_MODE), `vector` or `keyword`. A namespace whose table
   * predates the keyword index searches by vector until it is upgraded, unless a mode is named.
   */
  readonly mode?: SearchMode;
  /** Hybrid: RRF's k (default 60). */
  readonly rrfK?: number;
  /** Hybrid: how much each leg's ranks count (default 1 each). */
  readonly weights?: Partial<FusionWeights>;
  readonly signal?: AbortSignal;
}

/**
 * A search hit: the stored row (without its vector) and its cosine similarity to the query; keyword
 * and hybrid hits also carry the mode's score and where each leg ranked them.
 */
export interface SearchHit extends Omit<EmbeddingRecord, 'embedding'> {
  readonly similarity: number;
  /** Keyword: ts_rank_cd; hybrid: the RRF score. */
  readonly score?: number;
  readonly vector_rank?: number;
  readonly keyword_rank?: number;
  readonly keyword_score?: number;
}

export interface CreateNamespaceOptions extends Omit<NamespaceOption, 'namespace'> {
  /** `vector` (float32) or `halfvec` (float16); default halfvec above 2,000 dimensions, else vector. */
  readonly storage?: VectorStorage;
  readonly index?: VectorIndexType;
  readonly indexParams?: VectorIndexParams;
  readonly indexThreshold?: number;
  /** Recall@10 the index settings are calibrated to (default 0.95). */
  readonly recallTarget?: number;
  /** The keyword index's text search configuration: `simple` (default) or e.g. `english`. */
  readonly textSearchConfig?: string;
}

/** What `reembedNamespace` takes. The pipeline's provider is the new model. */
export interface ReembedOptions {
  /** The namespace whose rows are re-embedded; it is only read. */
  readonly source: string;
  /** Created for the pipeline's provider (with the source's index policy) when missing. */
  readonly target: string;
  /** Report what a run would do (rows, tokens, requests) and change nothing. */
  readonly dryRun?: boolean;
  /** Source rows read, embedded and written per transaction (default 1,000). */
  readonly pageRows?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: { readonly rows_done: number; readonly rows_written: number }) => void;
}

export interface ReembedResult {
  readonly source: string;
  readonly target: string;
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
  readonly dry_run: boolean;
  readonly source_rows: number;
  /** Rows the target already had (an earlier, interrupted run): neither embedded nor written. */
  readonly skipped_rows: number;
  /** Rows embedded and written by this run (0 in a dry run). */
  readonly embedded_rows: number;
  /** Tokens of the texts to embed (stored chunk token counts; ~4 characters a token otherwise). */
  readonly estimated_tokens: number;
  /** Embedding requests: distinct texts of each page over the provider's inputs per request. */
  readonly requests: number;
  readonly target_rows: number;
}

/** What `measureRecall` takes: queries to sample, and the filter to measure under. */
export interface MeasureRecallOptions extends NamespaceOption, RecallOptions {
  readonly collectionName?: string;
  readonly filters?: Filter;
}

export interface EmbeddingPipeline {
  readonly namespace: string;
  readonly provider: EmbeddingProvider;
  readonly store: VectorStore;
  readonly db: Database;

  /** Connects (if needed) and makes sure the default namespace exists for the provider. */
  setupDatabase(options?: NamespaceOption): Promise<NamespaceRecord>;
  /**
   * The one ingest path: every input's documents are chunked, batched across inputs, embedded
   * (unchanged chunks reuse their stored vectors) and stored, each document all or nothing.
   */
  ingest(
    inputs: Iterable<IngestInput> | AsyncIterable<IngestInput>,
    options: IngestOptions,
  ): Promise<IngestResult>;
  /** One parsed document: `ingest` with one input. */
  processJsonData(data: unknown, options: ProcessOptions): Promise<IngestResult>;
  /** Reads and parses a JSON file (invalid JSON → INVALID_JSON with line/column): `ingest` with one input. */
  processJsonFile(
    path: string,
    options: Omit<ProcessOptions, 'documentId'> & { readonly documentId?: string },
  ): Promise<IngestResult>;
  /** NDJSON or a top-level JSON array, in bounded memory: `ingest` with one input. */
  processJsonStream(
    stream: AsyncIterable<string | Uint8Array>,
    options: StreamOptions,
  ): Promise<IngestResult>;
  searchSimilar(queryText: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** searchSimilar, and the plan the search ran with (strategy, matching rows, settings). */
  searchWithPlan(
    queryText: string,
    options?: SearchOptions,
  ): Promise<{ readonly hits: SearchHit[]; readonly plan: SearchPlan | ModePlan }>;

  createNamespace(
    namespace: string,
    options?: CreateNamespaceOptions,
  ): Promise<{ readonly created: boolean; readonly namespace: NamespaceRecord }>;
  listNamespaces(): Promise<NamespaceInfo[]>;
  getNamespaceStats(namespace?: string): Promise<NamespaceStats>;
  dropNamespace(namespace: string, options: { readonly confirm?: boolean }): Promise<boolean>;
  /** Builds the filter indexes a namespace's table lacks (older tables); returns their names. */
  reindexNamespace(
    namespace?: string,
  ): Promise<{ readonly namespace: string; readonly created: string[]; readonly table_version: number }>;
  /** Recall@10 of search as it runs now against exact search, with probe queries made from stored vectors. */
  measureRecall(options?: MeasureRecallOptions): Promise<RecallMeasurement>;
  /** Calibrates the index settings to the recall target now (NO_VECTOR_INDEX without an index). */
  calibrateNamespace(options?: NamespaceOption & RecallOptions): Promise<SearchTuningRecord>;
  /**
   * Copies every row's text and metadata of `source` into `target`, embedded with this pipeline's
   * provider; resumable, verified by count, the source untouched.
   */
  reembedNamespace(options: ReembedOptions): Promise<ReembedResult>;
  /** Sets the recall target and calibrates to it when the namespace has an index. */
  setRecallTarget(
    target: number,
    options?: NamespaceOption,
  ): Promise<{ readonly namespace: NamespaceRecord; readonly calibrated: boolean }>;
  /**
   * Citus only (CITUS_REQUIRED elsewhere): moves the namespace's shards to the worker `to`
   * (`host:port`, NODE_NOT_FOUND when not a worker), keeping every row and index.
   */
  moveNamespace(namespace: string, options: { readonly to: string }): Promise<NamespaceMove>;
  /**
   * Citus only: hash-distributes the namespace on chunk_id over `shards` shards (2 or more), each
   * with its own ANN index; searches fan out and merge.
   */
  distributeNamespace(
    namespace: string,
    options: { readonly shards: number },
  ): Promise<NamespaceDistribution>;
  /** Citus only: runs Citus's shard rebalancer and waits for it, so namespaces spread over the workers. */
  rebalanceCluster(): Promise<ClusterRebalance>;
  listBackups(): Promise<BackupInfo[]>;
  dropBackup(tableName: string, options: { readonly confirm?: boolean }): Promise<boolean>;

  listCollections(options?: NamespaceOption): Promise<CollectionSummary[]>;
  getCollectionStats(collectionName: string, options?: NamespaceOption): Promise<CollectionStats>;
  deleteCollection(collectionName: string, options?: NamespaceOption): Promise<number>;
  getDocument(
    documentId: string,
    options?: NamespaceOption & { readonly collectionName?: string; readonly includeVectors?: boolean },
  ): Promise<EmbeddingRecord[]>;
  deleteDocument(
    documentId: string,
    options?: NamespaceOption & { readonly collectionName?: string },
  ): Promise<number>;

  close(): Promise<void>;
}
