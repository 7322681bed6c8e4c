// The static registry schema (drizzle-kit generates its migrations into ../../drizzle). Namespace
// tables themselves are created at runtime and are deliberately not part of this schema.
import { doublePrecision, integer, jsonb, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';

export type VectorIndexType = 'hnsw' | 'ivfflat' | 'none';

/** How a namespace stores its vectors: pgvector's `vector` (float32) or `halfvec` (float16). */
export type VectorStorage = 'vector' | 'halfvec';

/** Index parameters: HNSW `m`/`ef_construction`/`quantization`, IVFFlat `lists`. */
export interface VectorIndexParams {
  readonly m?: number;
  readonly ef_construction?: number;
  readonly lists?: number;
  /**
   * HNSW only: `binary` indexes `binary_quantize(embedding)` (1 bit a dimension, up to 64,000
   * dimensions) and re-ranks an oversampled candidate set by exact cosine distance.
   */
  readonly quantization?: 'binary';
}

/** Search settings calibrated to the namespace's recall target (empty until its index is calibrated). */
export interface SearchTuningRecord {
  /** `hnsw.ef_search` a step above the smallest that met the target on the calibration sample. */
  readonly ef_search?: number;
  /** `ivfflat.probes` a step above the smallest that met the target on the calibration sample. */
  readonly probes?: number;
  /** Binary-quantized HNSW: the smallest candidates-per-result factor that met the target. */
  readonly oversample?: number;
  /** Recall@k the chosen setting reached on the sample. */
  readonly recall?: number;
  /** Rows in the table when it was calibrated: it is calibrated again once it has doubled. */
  readonly calibrated_rows?: number;
  readonly calibrated_at?: string;
}

/** Every namespace: its table, the embedding model fixed at creation, and its index policy. */
export const namespacesTable = pgTable('dje_namespaces', {
  namespace: varchar('namespace', { length: 50 }).primaryKey(),
  table_name: varchar('table_name', { length: 63 }).notNull().unique(),
  dimensions: integer('dimensions').notNull(),
  /** The embedding column's type, fixed at creation (namespaces from before it existed are `vector`). */
  storage: varchar('storage', { length: 20 }).$type<VectorStorage>().notNull().default('vector'),
  provider: varchar('provider', { length: 100 }).notNull(),
  model: varchar('model', { length: 255 }).notNull(),
  index_type: varchar('index_type', { length: 20 }).$type<VectorIndexType>().notNull(),
  index_params: jsonb('index_params').$type<VectorIndexParams>().notNull().default({}),
  /** Rows at which the ANN index is built; below it search is exact. 0 = always indexed. */
  index_threshold: integer('index_threshold').notNull().default(10000),
  /** Recall@10 the ANN search is calibrated to reach (0 < target ≤ 1). */
  recall_target: doublePrecision('recall_target').notNull().default(0.95),
  search_tuning: jsonb('search_tuning').$type<SearchTuningRecord>().notNull().default({}),
  /**
   * Which indexes the table has: 1 = B-tree only (before filter indexes existed), 2 = also GIN
   * indexes on metadata and domain_tags, 3 = also the keyword column and its GIN index. Older
   * tables are brought up to date on their next write (or `dje namespace reindex`).
   */
  table_version: integer('table_version').notNull().default(1),
  /**
   * The PostgreSQL text search configuration of the keyword index (`simple`: no stemming, no stop
   * words, so any language and any identifier; `english` etc. stem). Fixed at creation.
   */
  text_search_config: varchar('text_search_config', { length: 63 }).notNull().default('simple'),
  created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Tables kept as backups (by move and legacy migrations) until explicitly dropped. */
export const backupsTable = pgTable('dje_backups', {
  table_name: varchar('table_name', { length: 63 }).primaryKey(),
  namespace: varchar('namespace', { length: 50 }).notNull(),
  source_table: varchar('source_table', { length: 63 }).notNull(),
  reason: varchar('reason', { length: 50 }).notNull(),
  dimensions: integer('dimensions').notNull(),
  provider: varchar('provider', { length: 100 }).notNull(),
  model: varchar('model', { length: 255 }).notNull(),
  index_type: varchar('index_type', { length: 20 }).$type<VectorIndexType>().notNull(),
  index_params: jsonb('index_params').$type<VectorIndexParams>().notNull().default({}),
  row_count: integer('row_count').notNull(),
  created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type NamespaceRow = typeof namespacesTable.$inferSelect;
export type BackupRow = typeof backupsTable.$inferSelect;
