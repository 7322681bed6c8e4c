// The static registry schema (drizzle-kit generates its migrations into ../../drizzle). Namespace
// tables themselves are created at runtime and are deliberately not part of this schema.
import { integer, jsonb, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';

export type VectorIndexType = 'hnsw' | 'ivfflat' | 'none';

/** Index parameters: HNSW `m`/`ef_construction`, IVFFlat `lists`. */
export interface VectorIndexParams {
  readonly m?: number;
  readonly ef_construction?: number;
  readonly lists?: number;
}

/** Every namespace: its table, the embedding model fixed at creation, and its index policy. */
export const namespacesTable = pgTable('dje_namespaces', {
  namespace: varchar('namespace', { length: 50 }).primaryKey(),
  table_name: varchar('table_name', { length: 63 }).notNull().unique(),
  dimensions: integer('dimensions').notNull(),
  provider: varchar('provider', { length: 100 }).notNull(),
  model: varchar('model', { length: 255 }).notNull(),
  index_type: varchar('index_type', { length: 20 }).$type<VectorIndexType>().notNull(),
  index_params: jsonb('index_params').$type<VectorIndexParams>().notNull().default({}),
  /** Rows at which the ANN index is built; below it search is exact. 0 = always indexed. */
  index_threshold: integer('index_threshold').notNull().default(10000),
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
