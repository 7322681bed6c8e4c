// DDL of namespace tables. Kept beside namespace-table.ts; a test checks that both agree.
import { type SQL, sql } from 'drizzle-orm';
import { ident } from './identifiers.js';
import { indexNamesFor } from './table-names.js';

function assertDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16000) {
    throw new RangeError(`vector dimensions must be an integer from 1 to 16000, got ${dimensions}`);
  }
}

/**
 * Rows are TOASTed only when they exceed this many bytes (PostgreSQL's default is about 2 KB; 8160
 * is the maximum for 8 KB pages). A 1536-dimensional vector is 6 KB: with the default it lives in
 * the TOAST table and every read of it costs a TOAST index lookup and four chunk fetches; with this
 * setting it stays in the heap row, so exact scans, index builds and copies read it directly (about
 * 3× faster sequential search on PGlite, see docs/benchmarks.md) and the table is smaller. Rows that
 * are still too large (3072-d vectors, long texts) are compressed and moved out as usual.
 */
export const TOAST_TUPLE_TARGET = 8160;

/** CREATE TABLE for a table with the namespace schema; its own `serial` sequence, never shared. */
export function createTableSql(tableName: string, dimensions: number): SQL {
  assertDimensions(dimensions);
  const names = indexNamesFor(tableName);
  return sql`CREATE TABLE ${ident(tableName)} (
    id serial CONSTRAINT ${ident(names.primaryKey)} PRIMARY KEY,
    chunk_id varchar(512) NOT NULL CONSTRAINT ${ident(names.chunkIdUnique)} UNIQUE,
    document_id varchar(512) NOT NULL,
    collection_name varchar(255) NOT NULL,
    text text NOT NULL,
    text_hash varchar(64) NOT NULL,
    embedding vector(${sql.raw(String(dimensions))}) NOT NULL,
    strategy varchar(50) NOT NULL,
    content_type varchar(100) NOT NULL,
    path varchar(4096),
    parent_chunk_id varchar(512),
    depth_level integer DEFAULT 0,
    hierarchy_level integer DEFAULT 0,
    semantic_density double precision DEFAULT 0,
    confidence double precision DEFAULT 1,
    chunk_size integer,
    token_count integer,
    key_count integer,
    contains_arrays boolean DEFAULT false,
    is_leaf boolean DEFAULT false,
    domain_tags text[],
    original_keys text[],
    metadata jsonb,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
  ) WITH (toast_tuple_target = ${sql.raw(String(TOAST_TUPLE_TARGET))})`;
}

/** The B-tree indexes every namespace table has (collection, document, strategy). */
export function createBtreeIndexesSql(tableName: string): SQL[] {
  const names = indexNamesFor(tableName);
  return [
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.collection)} ON ${ident(tableName)} (collection_name)`,
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.document)} ON ${ident(tableName)} (document_id)`,
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.strategy)} ON ${ident(tableName)} (strategy)`,
  ];
}
