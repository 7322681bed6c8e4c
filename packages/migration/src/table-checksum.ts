// The verification checksum of a table with the namespace schema, computed inside the database.
import {
  type Executor,
  ident,
  queryRow,
  tableEmbeddingColumn,
  type VectorStorage,
} from '@dynamic-embeddings/db';
import { type SQL, sql } from 'drizzle-orm';

export interface TableChecksum {
  readonly rows: number;
  /** md5 hex; equal for two tables exactly when their (chunk_id, text, embedding) sets are equal (up to md5). */
  readonly checksum: string;
}

/**
 * Per row: h = md5(chunk_id ‖ ':' ‖ md5(text) ‖ ':' ‖ md5(vector_send(embedding))) as hex text
 * (halfvec_send for halfvec columns: the same layout with 2-byte elements). The
 * vector is hashed in its exact binary form (text output is slower and exact only through
 * shortest round-trip printing), and hashed on its own so no 6 KB value is copied into a
 * concatenation; the two fixed-length hex digests at the end keep the encoding unambiguous.
 * `alias` qualifies the columns when the row comes from a join.
 */
export function rowHashSql(options: { readonly storage: VectorStorage; readonly alias?: string }): SQL {
  const { alias } = options;
  const column = (name: string) => (alias === undefined ? ident(name) : sql`${ident(alias)}.${ident(name)}`);
  const send = sql.raw(options.storage === 'halfvec' ? 'halfvec_send' : 'vector_send');
  return sql`md5(${column('chunk_id')} || ':' || md5(${column('text')}) || ':' || md5(${send}(${column('embedding')})))`;
}

/**
 * The table's checksum from the per-row hashes in column `h` of the rows aggregated:
 * md5(`${count}:${Σ int64(h[0..16])}:${Σ int64(h[16..32])}`), the two halves of each h read as
 * signed 64-bit integers from their hex digits and summed exactly. Sums do not depend on row
 * order, so nothing is sorted and no giant string is aggregated; chunk_id is unique, so equal rows
 * cannot cancel out.
 */
export const aggregateChecksumSql: SQL = sql`md5(count(*)::text
  || ':' || coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint), 0)::text
  || ':' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint), 0)::text)`;

/** The checksum of a whole table (the migration reports the same value for what it copied). */
export async function tableChecksum(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<TableChecksum> {
  const storage = (await tableEmbeddingColumn(executor, tableName))?.storage ?? 'vector';
  const row = await queryRow<{ rows: number; checksum: string }>(
    executor,
    sql`SELECT count(*)::int AS rows, ${aggregateChecksumSql} AS checksum
        FROM (
          SELECT ${rowHashSql({ storage })} AS h
          FROM ${ident(tableName)}
          -- A fence: without it the planner inlines h into both halves and hashes every row twice.
          OFFSET 0
        ) AS hashed`,
  );
  return { rows: row?.rows ?? 0, checksum: row?.checksum ?? '' };
}
