// Reads the ANN index a table actually has, with all its build parameters (db's describeVectorIndex
// gives type and lists only). Needed for the legacy table, which has no registry row saying how it
// was indexed, so its namespace keeps the seed's m/ef_construction.
import {
  type Executor,
  normalizeIndexParams,
  queryRow,
  type VectorIndexParams,
  type VectorIndexType,
} from '@dynamic-embeddings/db';
import { sql } from 'drizzle-orm';

export interface VectorIndexSettings {
  readonly type: Exclude<VectorIndexType, 'none'>;
  readonly params: VectorIndexParams;
}

/** The first valid HNSW/IVFFlat index on the table, or undefined when it has none. */
export async function readVectorIndexSettings(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<VectorIndexSettings | undefined> {
  const row = await queryRow<{ type: 'hnsw' | 'ivfflat'; options: string | null }>(
    executor,
    sql`SELECT am.amname AS type, array_to_string(ic.reloptions, ',') AS options
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_am am ON am.oid = ic.relam
        WHERE i.indrelid = to_regclass(quote_ident(${tableName}))
          AND am.amname IN ('hnsw', 'ivfflat') AND i.indisvalid
        ORDER BY ic.relname
        LIMIT 1`,
  );
  if (row === undefined) return undefined;
  const known = row.type === 'hnsw' ? ['m', 'ef_construction'] : ['lists'];
  const params: Record<string, number> = {};
  for (const option of (row.options ?? '').split(',')) {
    const [key = '', value = ''] = option.split('=');
    if (known.includes(key) && /^\d+$/.test(value)) params[key] = Number(value);
  }
  return { type: row.type, params: normalizeIndexParams(row.type, params) };
}
