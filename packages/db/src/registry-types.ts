// The shapes the registry hands out: what the library, `dje --json` and the HTTP API show of a
// namespace or a backup, and what creating a namespace takes.
import type { TextHashMode } from './namespace-table.js';
import type {
  SearchTuningRecord,
  VectorIndexParams,
  VectorIndexType,
  VectorStorage,
} from './schema/registry.js';

export interface CreateNamespaceOptions {
  readonly namespace: string;
  /** Vector length, fixed for the namespace's lifetime. */
  readonly dimensions: number;
  /**
   * `vector` (float32) or `halfvec` (float16: half the size, indexable up to 4,000 dimensions),
   * fixed for the namespace's lifetime. Default: `halfvec` above 2,000 dimensions (the most a
   * `vector` index takes), else `vector`.
   */
  readonly storage?: VectorStorage;
  /** Embedding provider, e.g. `openai` or `local`. */
  readonly provider: string;
  /** Embedding model, fixed for the namespace's lifetime. */
  readonly model: string;
  /** ANN index type (default `hnsw`); `none` keeps exact search for good. */
  readonly index?: VectorIndexType;
  /** HNSW `m`/`ef_construction` or IVFFlat `lists`. */
  readonly indexParams?: VectorIndexParams;
  /** Row count at which the ANN index is built (default 10,000; 0 builds it at once). */
  readonly indexThreshold?: number;
  /** Recall@10 the index settings are calibrated to reach, above 0 and at most 1 (default 0.95). */
  readonly recallTarget?: number;
  /**
   * The keyword index's PostgreSQL text search configuration, fixed at creation: `simple` (the
   * default: any language, identifiers as typed) or a stemming one such as `english`.
   */
  readonly textSearchConfig?: string;
}

/** A registry entry, as the library, `dje --json` and the HTTP API show it. */
export interface NamespaceRecord {
  readonly namespace: string;
  readonly table_name: string;
  readonly dimensions: number;
  /** The embedding column's type: `vector` (float32) or `halfvec` (float16). */
  readonly storage: VectorStorage;
  readonly provider: string;
  readonly model: string;
  readonly index_type: VectorIndexType;
  readonly index_params: VectorIndexParams;
  readonly index_threshold: number;
  /** Recall@10 the ANN search is calibrated to reach (default 0.95). */
  readonly recall_target: number;
  /** The settings calibration chose (empty until the index has been calibrated). */
  readonly search_tuning: SearchTuningRecord;
  /** The keyword index's text search configuration (`simple` unless chosen at creation). */
  readonly text_search_config: string;
  readonly created_at: string;
}

/**
 * A registry entry whose table exists, with what a namespace handle needs to bind it: the table's
 * catalog identity (a re-created table has another) and how it stores text_hash.
 */
export interface RegistryEntry {
  readonly record: NamespaceRecord;
  /** The table's `oid`, as text. */
  readonly tableOid: string;
  readonly textHash: TextHashMode;
  /** The table's index version (see CURRENT_TABLE_VERSION); older tables are upgraded on write. */
  readonly tableVersion: number;
}

export interface NamespaceInfo extends NamespaceRecord {
  readonly embedding_count: number;
  readonly vector_index_exists: boolean;
  /**
   * On a Citus coordinator only: the nodes (`host:port`) holding the namespace's shards, and how
   * many shards it has (1 for a namespace placed on one worker, N once distributed).
   */
  readonly nodes?: string[];
  readonly shard_count?: number;
}

export type NamespaceStats =
  | (NamespaceInfo & {
      readonly exists: true;
      readonly collection_count: number;
      readonly table_size: string;
      readonly table_size_bytes: number;
      /** All of the table's indexes (ANN, filter and keyword); part of `table_size`. */
      readonly index_size: string;
      readonly index_size_bytes: number;
      /** Bytes one stored vector takes (header included): 4 per dimension for `vector`, 2 for `halfvec`. */
      readonly bytes_per_vector: number;
    })
  | {
      readonly namespace: string;
      readonly exists: false;
      readonly table_name: string;
      readonly error: string;
    };

export interface BackupInfo {
  readonly table_name: string;
  readonly namespace: string;
  readonly source_table: string;
  readonly reason: string;
  readonly dimensions: number;
  readonly provider: string;
  readonly model: string;
  readonly index_type: VectorIndexType;
  readonly row_count: number;
  readonly exists: boolean;
  readonly created_at: string;
}
