// DDL of namespace tables, derived from the namespace schema (namespace-table.ts).
import { is, SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { validateDimensions } from './db-errors.js';
import { ident } from './identifiers.js';
import { schemaColumns, type TableShape } from './namespace-table.js';
import { indexNamesFor } from './table-names.js';
import { validateStorage } from './vector-storage.js';

/**
 * Rows are TOASTed only when they exceed this many bytes (PostgreSQL's default is about 2 KB; 8160
 * is the maximum for 8 KB pages). A 1536-dimensional vector is 6 KB: with the default it lives in
 * the TOAST table and every read of it costs a TOAST index lookup and four chunk fetches; with this
 * setting it stays in the heap row, so exact scans, index builds and copies read it directly (about
 * 3× faster sequential search on PGlite, see docs/benchmarks.md) and the table is smaller. Rows that
 * are still too large (3072-d vectors, long texts) are compressed and moved out as usual.
 */
export const TOAST_TUPLE_TARGET = 8160;

/** A column's DDL default: literals from the schema (never user input), or its SQL expression. */
function defaultClause(column: PgColumn): SQL {
  if (!column.hasDefault || column.columnType === 'PgSerial') return sql``;
  const value: unknown = column.default;
  if (is(value, SQL)) return sql` DEFAULT ${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return sql.raw(` DEFAULT ${String(value)}`);
  throw new TypeError(`namespace schema: column ${column.name} has a default this DDL cannot render`);
}

/** A column's key constraint (primary key, unique), named like every namespace table's. */
function keyConstraint(column: PgColumn, tableName: string): SQL | undefined {
  const names = indexNamesFor(tableName);
  if (column.primary) return sql`CONSTRAINT ${ident(names.primaryKey)} PRIMARY KEY (${ident(column.name)})`;
  if (column.isUnique) return sql`CONSTRAINT ${ident(names.chunkIdUnique)} UNIQUE (${ident(column.name)})`;
  return undefined;
}

function columnDefinition(column: PgColumn): SQL {
  const parts: SQL[] = [sql`${ident(column.name)} ${sql.raw(column.getSQLType())}`];
  if (column.generated !== undefined) {
    parts.push(sql` GENERATED ALWAYS AS (${column.generated.as as SQL}) STORED`);
  }
  if (column.notNull && !column.primary) parts.push(sql` NOT NULL`);
  parts.push(defaultClause(column));
  return sql.join(parts, sql``);
}

/** What CREATE TABLE needs beyond the columns' shape. */
export interface CreateTableShape extends TableShape {
  /**
   * Whether the table gets its primary key and unique chunk_id now (the default). A bulk copy
   * passes false and adds them after the load (addKeyConstraintsSql): one index build is cheaper
   * than maintaining both indexes row by row.
   */
  readonly keys?: boolean;
}

/**
 * CREATE TABLE for a table with the namespace schema, derived from the one column definition in
 * namespace-table.ts; its own `serial` sequence, never shared.
 */
export function createTableSql(tableName: string, shape: CreateTableShape): SQL {
  // The one check before `vector(N)` / `halfvec(N)` enters the SQL text.
  validateDimensions(shape.dimensions, 'dimensions');
  validateStorage(shape.storage);
  const columns = schemaColumns(shape);
  const keys = shape.keys === false ? [] : keyConstraints(columns, tableName);
  const elements = sql.join([...columns.map(columnDefinition), ...keys], sql`, `);
  return sql`CREATE TABLE ${ident(tableName)} (${elements}) WITH (toast_tuple_target = ${sql.raw(String(TOAST_TUPLE_TARGET))})`;
}

function keyConstraints(columns: readonly PgColumn[], tableName: string): SQL[] {
  return columns.flatMap((column) => keyConstraint(column, tableName) ?? []);
}

/** Adds the primary key and unique chunk_id to a table created with `keys: false`. */
export function addKeyConstraintsSql(tableName: string): SQL {
  const keys = keyConstraints(schemaColumns({ dimensions: 1 }), tableName);
  return sql`ALTER TABLE ${ident(tableName)} ${sql.join(
    keys.map((key) => sql`ADD ${key}`),
    sql`, `,
  )}`;
}

/**
 * Which indexes a namespace table has (recorded in the registry's `table_version`): 2 adds the GIN
 * indexes of the filters, 3 the keyword column and its GIN index; a table registered with an older
 * version gets them on its next write (or `dje namespace reindex`).
 */
export const CURRENT_TABLE_VERSION = 3;

/** The first table version with the keyword column: keyword and hybrid search need it. */
export const KEYWORDS_TABLE_VERSION = 3;

/**
 * The filter indexes every namespace table has: B-tree on collection, document and strategy; GIN
 * on metadata (jsonb_path_ops: the smaller index, and it serves `@>`, the only metadata operator a
 * filter compiles to) and on domain_tags (`&&` and `@>`), so no filter has to scan the table; and
 * GIN on the keyword column (`@@`).
 */
export function createFilterIndexesSql(tableName: string): SQL[] {
  const names = indexNamesFor(tableName);
  return [
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.collection)} ON ${ident(tableName)} (collection_name)`,
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.document)} ON ${ident(tableName)} (document_id)`,
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.strategy)} ON ${ident(tableName)} (strategy)`,
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.metadata)} ON ${ident(tableName)} USING gin (metadata jsonb_path_ops)`,
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.domainTags)} ON ${ident(tableName)} USING gin (domain_tags)`,
    sql`CREATE INDEX IF NOT EXISTS ${ident(names.keywords)} ON ${ident(tableName)} USING gin (keywords)`,
  ];
}
