import { type Executor, ident, queryRow } from '@dynamic-embeddings/db';
import { sql } from 'drizzle-orm';

/** Exact row count of a table. */
export async function countRows(executor: Pick<Executor, 'execute'>, tableName: string): Promise<number> {
  const row = await queryRow<{ rows: number }>(
    executor,
    sql`SELECT count(*)::int AS rows FROM ${ident(tableName)}`,
  );
  return row?.rows ?? 0;
}
