// What the PostgreSQL catalog says about tables of the namespace schema: whether they exist, their
// columns and vector dimensions, and whether they carry an ANN index. Read-only.
import { sql } from 'drizzle-orm';
import { type Executor, queryRow, queryRows } from './database.js';
import { hasVectorIndexSql } from './vector-index.js';

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

/** The declared dimension of a table's `embedding vector(N)` column. */
export async function tableDimensions(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<number | undefined> {
  const row = await queryRow<{ dimensions: number | null }>(
    executor,
    sql`SELECT a.atttypmod AS dimensions FROM pg_attribute a
        WHERE a.attrelid = to_regclass(quote_ident(${tableName})) AND a.attname = 'embedding' AND NOT a.attisdropped`,
  );
  return row?.dimensions === null || row?.dimensions === undefined || row.dimensions < 0
    ? undefined
    : row.dimensions;
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
