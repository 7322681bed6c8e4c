// Drizzle table objects for namespace tables, built at runtime and memoized. Their columns must
// match the DDL in namespace-ddl.ts exactly (a test compares both with information_schema).
import { eq, type SQL } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  varchar,
  vector,
} from 'drizzle-orm/pg-core';
import { getTableName } from './table-names.js';

function columnsFor(dimensions: number) {
  return {
    id: serial('id').primaryKey(),
    chunk_id: varchar('chunk_id', { length: 512 }).notNull().unique(),
    document_id: varchar('document_id', { length: 512 }).notNull(),
    collection_name: varchar('collection_name', { length: 255 }).notNull(),
    text: text('text').notNull(),
    /** sha256 of `text` (hex): lets re-ingestion reuse vectors of unchanged chunks. */
    text_hash: varchar('text_hash', { length: 64 }).notNull(),
    embedding: vector('embedding', { dimensions }).notNull(),
    strategy: varchar('strategy', { length: 50 }).notNull(),
    content_type: varchar('content_type', { length: 100 }).notNull(),
    path: varchar('path', { length: 4096 }),
    parent_chunk_id: varchar('parent_chunk_id', { length: 512 }),
    depth_level: integer('depth_level').default(0),
    hierarchy_level: integer('hierarchy_level').default(0),
    semantic_density: doublePrecision('semantic_density').default(0),
    confidence: doublePrecision('confidence').default(1),
    chunk_size: integer('chunk_size'),
    token_count: integer('token_count'),
    key_count: integer('key_count'),
    contains_arrays: boolean('contains_arrays').default(false),
    is_leaf: boolean('is_leaf').default(false),
    domain_tags: text('domain_tags').array(),
    original_keys: text('original_keys').array(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    created_at: timestamp('created_at', { withTimezone: true }).defaultNow(),
    updated_at: timestamp('updated_at', { withTimezone: true }).defaultNow(),
  };
}

function buildTable(tableName: string, dimensions: number) {
  return pgTable(tableName, columnsFor(dimensions));
}

export type NamespaceTable = ReturnType<typeof buildTable>;

/** The names of a namespace table's columns, in table order. */
export const NAMESPACE_COLUMNS = Object.keys(columnsFor(1)) as readonly (keyof ReturnType<
  typeof columnsFor
>)[];

const cache = new Map<string, NamespaceTable>();

/** The Drizzle table of a namespace (memoized per namespace and dimensions). */
export function namespaceTable(namespace: string, dimensions: number): NamespaceTable {
  const tableName = getTableName(namespace);
  return tableByName(tableName, dimensions);
}

/** The Drizzle table for any table with the namespace schema (backups, legacy `embeddings`). */
export function tableByName(tableName: string, dimensions: number): NamespaceTable {
  const key = `${tableName}:${dimensions}`;
  let table = cache.get(key);
  if (table === undefined) {
    table = buildTable(tableName, dimensions);
    cache.set(key, table);
  }
  return table;
}

/** The condition "in this collection", or none when no collection is given. */
export function inCollection(table: NamespaceTable, collectionName: string | undefined): SQL | undefined {
  return collectionName === undefined ? undefined : eq(table.collection_name, collectionName);
}
