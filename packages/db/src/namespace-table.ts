// The namespace schema: the one definition of a namespace table's columns (name, SQL type,
// nullability, default, length limit), written once as Drizzle columns. Everything else reads it:
// the DDL (namespace-ddl.ts), the COPY encoder's column list (write-rows.ts), record validation
// (prepare-records.ts), the migration's column list and the schema test against information_schema.
// A new column is added here and nowhere else.
import { eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  halfvec,
  integer,
  jsonb,
  type PgColumn,
  pgTable,
  serial,
  text,
  timestamp,
  varchar,
  vector,
} from 'drizzle-orm/pg-core';
import {
  DEFAULT_TEXT_SEARCH_CONFIG,
  KEYWORDS_COLUMN,
  keywordsExpression,
  tsvector,
} from './keyword-column.js';
import type { VectorStorage } from './schema/registry.js';
import { getTableName } from './table-names.js';

/**
 * sha256 (hex) of `text`'s UTF-8 bytes, computed by the database: a client that inserts only the
 * seed's columns (psql, the Python original) still gets the hash re-ingestion uses to reuse vectors.
 * `convert_to` is only STABLE, which a generated column refuses; `decode(…, 'escape')` of the text
 * with its backslashes doubled yields the same bytes in a UTF-8 database and is IMMUTABLE.
 */
export const TEXT_HASH_EXPRESSION = sql.raw(
  `encode(sha256(decode(replace(text, '\\', '\\\\'), 'escape')), 'hex')`,
);

/**
 * How a table stores text_hash: `generated` (tables created by this version) or `written` (tables
 * created before text_hash was generated, where every writer supplies it).
 */
export type TextHashMode = 'generated' | 'written';

/** What varies between tables of the namespace schema: the embedding column's type and size, and text_hash. */
export interface TableShape {
  readonly dimensions: number;
  /** Default `vector`. */
  readonly storage?: VectorStorage;
  /** Default `generated`. */
  readonly textHash?: TextHashMode;
  /** The keyword column's text search configuration (default `simple`). */
  readonly text_search_config?: string;
}

function columnsFor({
  dimensions,
  storage = 'vector',
  textHash = 'generated',
  text_search_config = DEFAULT_TEXT_SEARCH_CONFIG,
}: TableShape) {
  const hash = varchar('text_hash', { length: 64 }).notNull();
  const embedding = vector('embedding', { dimensions }).notNull();
  return {
    id: serial('id').primaryKey(),
    chunk_id: varchar('chunk_id', { length: 512 }).notNull().unique(),
    document_id: varchar('document_id', { length: 512 }).notNull(),
    collection_name: varchar('collection_name', { length: 255 }).notNull(),
    text: text('text').notNull(),
    /** sha256 of `text` (hex): lets re-ingestion reuse vectors of unchanged chunks. */
    text_hash: textHash === 'generated' ? hash.generatedAlwaysAs(TEXT_HASH_EXPRESSION) : hash,
    // Both column types read and write number[]: one TypeScript type serves both.
    embedding:
      storage === 'halfvec'
        ? (halfvec('embedding', { dimensions }).notNull() as unknown as typeof embedding)
        : embedding,
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
    /** The keyword index's tsvector over `text` (keyword-column.ts); never selected as a record field. */
    keywords: tsvector('keywords').generatedAlwaysAs(keywordsExpression(text_search_config)),
  };
}

function buildTable(tableName: string, shape: TableShape) {
  return pgTable(tableName, columnsFor(shape));
}

export type NamespaceTable = ReturnType<typeof buildTable>;
export type NamespaceColumnName = keyof ReturnType<typeof columnsFor>;

/** The schema's columns, in table order (one shape stands in for any: only the embedding's type differs). */
const SCHEMA: readonly PgColumn[] = Object.values(
  getTableColumns(buildTable('namespace_schema', { dimensions: 1 })),
);

/**
 * The names of a namespace table's data columns, in table order: what a copy carries over and an
 * adopted table must have. The keyword column is left out: the database derives it from `text`,
 * and tables from before it get it when they are upgraded.
 */
export const NAMESPACE_COLUMNS = SCHEMA.map((column) => column.name).filter(
  (name) => name !== KEYWORDS_COLUMN,
) as readonly NamespaceColumnName[];

/** Columns filled in by the database on insert: the key, the timestamps and generated columns. */
function filledByDatabase(column: PgColumn): boolean {
  return (
    column.columnType === 'PgSerial' || column.columnType === 'PgTimestamp' || column.generated !== undefined
  );
}

/** Columns a writer supplies, in table order; with `written` text_hash, that column too. */
export function writtenColumns(textHash: TextHashMode): readonly PgColumn[] {
  return SCHEMA.filter(
    (column) => !filledByDatabase(column) || (textHash === 'written' && column.name === 'text_hash'),
  );
}

/** Columns without which no row can be written: NOT NULL, no default, not filled in by the database. */
export const REQUIRED_COLUMNS: readonly string[] = SCHEMA.filter(
  (column) => column.notNull && !column.hasDefault && !filledByDatabase(column),
).map((column) => column.name);

/** The character limit of every varchar column, by name. */
export const VARCHAR_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  SCHEMA.flatMap((column) => {
    const length = (column as PgColumn & { readonly length?: number }).length;
    return column.columnType === 'PgVarchar' && length !== undefined ? [[column.name, length]] : [];
  }),
);

/** The schema's definition of every column (type, nullability, default), for the given shape. */
export function schemaColumns(shape: TableShape): readonly PgColumn[] {
  return Object.values(getTableColumns(buildTable('namespace_schema', shape)));
}

const cache = new Map<string, NamespaceTable>();

/** The Drizzle table of a namespace (memoized per namespace and shape); a number is `vector(N)`. */
export function namespaceTable(namespace: string, shape: number | TableShape): NamespaceTable {
  return tableByName(getTableName(namespace), typeof shape === 'number' ? { dimensions: shape } : shape);
}

/**
 * The Drizzle table for any table with the namespace schema (backups, legacy `embeddings`); a
 * namespace record is a shape. With `written` text_hash (tables from before it was generated) inserts supply the hash themselves; the
 * shape of what is read is the same, hence one TypeScript type for both.
 */
export function tableByName(tableName: string, shape: TableShape): NamespaceTable {
  const key = `${tableName}:${shape.dimensions}:${shape.storage ?? 'vector'}:${shape.textHash ?? 'generated'}:${shape.text_search_config ?? DEFAULT_TEXT_SEARCH_CONFIG}`;
  let table = cache.get(key);
  if (table === undefined) {
    table = buildTable(tableName, shape);
    cache.set(key, table);
  }
  return table;
}

/** The condition "in this collection", or none when no collection is given. */
export function inCollection(table: NamespaceTable, collectionName: string | undefined): SQL | undefined {
  return collectionName === undefined ? undefined : eq(table.collection_name, collectionName);
}
