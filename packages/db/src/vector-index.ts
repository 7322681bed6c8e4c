// Building, dropping and detecting a namespace table's ANN index (HNSW or IVFFlat, cosine).
import { DjeError } from '@dynamic-embeddings/core';
import { sql } from 'drizzle-orm';
import { type Executor, queryRow } from './database.js';
import { ident } from './identifiers.js';
import type { VectorIndexParams, VectorIndexType } from './schema/registry.js';
import { indexNamesFor } from './table-names.js';

export const DEFAULT_HNSW_PARAMS = { m: 16, ef_construction: 64 } as const;

function positiveInteger(name: string, value: number | undefined, fallback: number, max: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) {
    throw new DjeError({
      code: 'INVALID_INDEX_PARAMS',
      kind: 'validation',
      message: `Index parameter ${name} must be an integer from 1 to ${max}, got ${String(value)}.`,
      details: { parameter: name, value },
    });
  }
  return chosen;
}

/** Validates index parameters for a type and fills in defaults. */
export function normalizeIndexParams(
  type: VectorIndexType,
  params: VectorIndexParams = {},
): VectorIndexParams {
  const allowed = type === 'hnsw' ? ['m', 'ef_construction'] : type === 'ivfflat' ? ['lists'] : [];
  const unknown = Object.keys(params).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new DjeError({
      code: 'INVALID_INDEX_PARAMS',
      kind: 'validation',
      message: `Unknown ${type} index parameter(s): ${unknown.join(', ')}. Allowed: ${allowed.join(', ') || 'none'}.`,
      details: { unknown },
    });
  }
  if (type === 'hnsw') {
    return {
      m: positiveInteger('m', params.m, DEFAULT_HNSW_PARAMS.m, 100),
      ef_construction: positiveInteger(
        'ef_construction',
        params.ef_construction,
        DEFAULT_HNSW_PARAMS.ef_construction,
        1000,
      ),
    };
  }
  if (type === 'ivfflat' && params.lists !== undefined)
    return { lists: positiveInteger('lists', params.lists, 100, 32768) };
  return {};
}

/** Whether a valid HNSW or IVFFlat index exists on the table's embedding column. */
export async function vectorIndexExists(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<boolean> {
  const row = await queryRow<{ exists: boolean }>(
    executor,
    sql`SELECT EXISTS (
          SELECT 1 FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_class t ON t.oid = i.indrelid
          JOIN pg_am am ON am.oid = ic.relam
          WHERE t.relname = ${tableName} AND t.relnamespace = current_schema()::regnamespace
            AND am.amname IN ('hnsw', 'ivfflat') AND i.indisvalid
        ) AS exists`,
  );
  return row?.exists === true;
}

/**
 * Builds the ANN index (no-op for type `none`). IVFFlat without `lists` sizes its lists from the
 * current row count (rows/1000, at least 1), since lists are fixed at build time.
 */
export async function buildVectorIndex(
  executor: Pick<Executor, 'execute'>,
  options: {
    readonly tableName: string;
    readonly type: VectorIndexType;
    readonly params?: VectorIndexParams;
  },
): Promise<void> {
  const { tableName, type } = options;
  if (type === 'none') return;
  const name = ident(indexNamesFor(tableName).vector);
  const params = normalizeIndexParams(type, options.params);
  if (type === 'hnsw') {
    await executor.execute(
      sql`CREATE INDEX IF NOT EXISTS ${name} ON ${ident(tableName)} USING hnsw (embedding vector_cosine_ops)
          WITH (m = ${sql.raw(String(params.m))}, ef_construction = ${sql.raw(String(params.ef_construction))})`,
    );
    return;
  }
  let lists = params.lists;
  if (lists === undefined) {
    const row = await queryRow<{ count: number }>(
      executor,
      sql`SELECT count(*)::int AS count FROM ${ident(tableName)}`,
    );
    lists = Math.max(1, Math.min(32768, Math.floor((row?.count ?? 0) / 1000)));
  }
  await executor.execute(
    sql`CREATE INDEX IF NOT EXISTS ${name} ON ${ident(tableName)} USING ivfflat (embedding vector_cosine_ops)
        WITH (lists = ${sql.raw(String(lists))})`,
  );
}

export async function dropVectorIndex(executor: Pick<Executor, 'execute'>, tableName: string): Promise<void> {
  await executor.execute(sql`DROP INDEX IF EXISTS ${ident(indexNamesFor(tableName).vector)}`);
}

export interface VectorIndexDescription {
  readonly type: 'hnsw' | 'ivfflat';
  /** IVFFlat lists (pgvector's default 100 when the index was built without the option). */
  readonly lists: number | undefined;
}

/** The valid ANN index on the table's embedding column, or undefined when it has none. */
export async function describeVectorIndex(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<VectorIndexDescription | undefined> {
  const row = await queryRow<{ type: 'hnsw' | 'ivfflat'; lists: string | null }>(
    executor,
    sql`SELECT am.amname AS type,
               (SELECT option_value FROM pg_options_to_table(ic.reloptions) WHERE option_name = 'lists') AS lists
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_am am ON am.oid = ic.relam
        WHERE t.relname = ${tableName} AND t.relnamespace = current_schema()::regnamespace
          AND am.amname IN ('hnsw', 'ivfflat') AND i.indisvalid
        LIMIT 1`,
  );
  if (row === undefined) return undefined;
  return { type: row.type, lists: row.type === 'ivfflat' ? Number(row.lists ?? 100) : undefined };
}
