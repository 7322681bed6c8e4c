// What the PostgreSQL catalog says about tables of the namespace schema: whether they exist, their
// columns and vector dimensions, and whether they carry an ANN index. Read-only.
import { sql } from 'drizzle-orm';
import { type Executor, queryRow, queryRows } from './database.js';
import type { VectorStorage } from './schema/registry.js';
import { hasVectorIndexSql } from './vector-index.js';
import { VECTOR_STORAGES } from './vector-storage.js';

/** Whether a table of that name exists in the current schema. */
export async function tableExists(executor: Pick<Executor, 'execute'>, tableName: string): Promise<boolean> {
  const row = await queryRow<{ exists: boolean }>(
    executor,
    sql`SELECT to_regclass(quote_ident(${tableName})) IS NOT NULL AS exists`,
  );
  return row?.exists === true;
}

/** A table's column names in order (none when it does not exist). */
export async function tableColumns(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    executor,
    sql`SELECT attname AS name FROM pg_attribute
        WHERE attrelid = to_regclass(quote_ident(${tableName})) AND attnum > 0 AND NOT attisdropped
        ORDER BY attnum`,
  );
  return rows.map((row) => row.name);
}

/** A table's `embedding` column: `vector(N)` or `halfvec(N)`, with N. */
export interface EmbeddingColumn {
  readonly storage: VectorStorage;
  readonly dimensions: number;
}

/**
 * The type and declared dimensions of a table's `embedding` column; undefined when it has none,
 * or one of another type or without fixed dimensions.
 */
export async function tableEmbeddingColumn(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<EmbeddingColumn | undefined> {
  const row = await queryRow<{ dimensions: number | null; type: string | null }>(
    executor,
    sql`SELECT a.atttypmod AS dimensions, t.typname AS type FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = to_regclass(quote_ident(${tableName})) AND a.attname = 'embedding' AND NOT a.attisdropped`,
  );
  const storage = VECTOR_STORAGES.find((candidate) => candidate === row?.type);
  const dimensions = row?.dimensions ?? -1;
  return storage === undefined || dimensions < 0 ? undefined : { storage, dimensions };
}

/** Of `tableNames`, those that exist, each with whether it has a valid ANN index; one statement. */
export async function tableCatalog(
  executor: Pick<Executor, 'execute'>,
  tableNames: readonly string[],
): Promise<Map<string, boolean>> {
  if (tableNames.length === 0) return new Map();
  const rows = await queryRows<{ table_name: string; vector_index_exists: boolean }>(
    executor,
    sql`SELECT name AS table_name,
               ${hasVectorIndexSql(sql`to_regclass(quote_ident(name))`)} AS vector_index_exists
        FROM unnest(${sql.param([...tableNames])}::text[]) AS name
        WHERE to_regclass(quote_ident(name)) IS NOT NULL`,
  );
  return new Map(rows.map((row) => [row.table_name, row.vector_index_exists]));
}
