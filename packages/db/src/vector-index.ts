// Building, dropping and detecting a namespace table's ANN index (HNSW or IVFFlat, cosine).
import { createError } from '@dynamic-embeddings/core';
import { type SQL, sql } from 'drizzle-orm';
import { type Database, type Executor, queryRow } from './database.js';
import { ident } from './identifiers.js';
import { setLocalOnCitus } from './local-settings.js';
import type { VectorIndexParams, VectorIndexType, VectorStorage } from './schema/registry.js';
import { sqlStateOf } from './sql-state.js';
import { indexNamesFor } from './table-names.js';
import { bytesPerVector, cosineOpsOf } from './vector-storage.js';

export const DEFAULT_HNSW_PARAMS = { m: 16, ef_construction: 64 } as const;

/** INVALID_INDEX_PARAMS: index parameters the index type does not take. */
function invalidIndexParams(message: string, details: Record<string, unknown>) {
  return createError({ code: 'INVALID_INDEX_PARAMS', message, details });
}

function positiveInteger(name: string, value: number | undefined, fallback: number, max: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) {
    throw invalidIndexParams(
      `Index parameter ${name} must be an integer from 1 to ${max}, got ${String(value)}.`,
      {
        parameter: name,
        value,
      },
    );
  }
  return chosen;
}

/** Validates index parameters for a type and fills in defaults. */
export function normalizeIndexParams(
  type: VectorIndexType,
  params: VectorIndexParams = {},
): VectorIndexParams {
  const allowed =
    type === 'hnsw' ? ['m', 'ef_construction', 'quantization'] : type === 'ivfflat' ? ['lists'] : [];
  const unknown = Object.keys(params).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw invalidIndexParams(
      `Unknown ${type} index parameter(s): ${unknown.join(', ')}. Allowed: ${allowed.join(', ') || 'none'}.`,
      { unknown },
    );
  }
  if (params.quantization !== undefined && params.quantization !== 'binary') {
    throw invalidIndexParams(
      `Unknown quantization ${JSON.stringify(params.quantization)}: the one quantization is binary.`,
      { parameter: 'quantization', value: params.quantization },
    );
  }
  if (type === 'hnsw') {
    return {
      ...(params.quantization === undefined ? {} : { quantization: params.quantization }),
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

/** SQL: whether the relation `table` (a regclass expression) has a valid HNSW or IVFFlat index. */
export function hasVectorIndexSql(table: SQL): SQL {
  return sql`EXISTS (
    SELECT 1 FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    WHERE i.indrelid = ${table} AND am.amname IN ('hnsw', 'ivfflat') AND i.indisvalid
  )`;
}

/** Whether a valid HNSW or IVFFlat index exists on the table's embedding column. */
export async function vectorIndexExists(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<boolean> {
  const row = await queryRow<{ exists: boolean }>(
    executor,
    sql`SELECT ${hasVectorIndexSql(sql`to_regclass(quote_ident(${tableName}))`)} AS exists`,
  );
  return row?.exists === true;
}

/**
 * Default ceiling, in MB, to which an HNSW build raises `maintenance_work_mem` for its own
 * transaction: a server has memory to spare for one build; embedded PGlite (32-bit WebAssembly,
 * in the caller's process) gets less.
 */
export const DEFAULT_INDEX_BUILD_MEMORY_MB = { postgres: 1024, pglite: 512 } as const;

/**
 * Bytes pgvector holds per row while it builds an HNSW graph in memory: the vector (4 bytes a
 * dimension, 2 for halfvec, + header), neighbour lists (~2·m candidates of 16 bytes) and element bookkeeping.
 * Checked against pgvector 0.8's notice "hnsw graph no longer fits into maintenance_work_mem after
 * N tuples": 64 MB held 9,665 rows of 1,536 dimensions with m = 16, i.e. ~6.9 kB a row.
 */
export function hnswBuildBytesPerRow(options: {
  readonly dimensions: number;
  readonly m: number;
  /** Default `vector`; halfvec elements take half the bytes. */
  readonly storage?: VectorStorage | undefined;
}): number {
  return bytesPerVector(options.storage ?? 'vector', options.dimensions) + 32 * options.m + 200;
}

/**
 * maintenance_work_mem a parallel index build needs per participant (the leader and each worker):
 * PostgreSQL's plan_create_index_workers drops workers until each has 32 MB.
 */
const PARALLEL_BUILD_KB_PER_PARTICIPANT = 32 * 1024;

/**
 * The `maintenance_work_mem` (kB) an HNSW build of `rows` rows should run with: enough for the
 * whole graph plus 10% and for the server's parallel workers (32 MB each, and the leader's), at
 * most twice the graph beyond that, never raised above `limitMB`. Returns undefined when the current
 * setting should stay (already in that range, or `limitMB` is 0 or lower).
 *
 * A graph that does not fit makes pgvector fall back to a build that is several times slower
 * (measured: 30,000 × 1,536-d rows in 220 s at 64 MB, 59 s at 512 MB, PostgreSQL 15). A setting far
 * above the graph is lowered because a parallel build allocates all of it as shared memory first:
 * 10,000 × 256-d rows (a 19 MB graph, 2 workers, 2 cores) built in ~700 ms at 1 GB and ~350 ms at
 * 64–96 MB; at 48 MB PostgreSQL gave the build no worker (~560 ms).
 */
export function hnswBuildMemoryKb(options: {
  readonly rows: number;
  readonly dimensions: number;
  readonly storage?: VectorStorage | undefined;
  readonly m: number;
  readonly currentKb: number;
  readonly limitMB: number;
  /** The server's max_parallel_maintenance_workers. */
  readonly parallelWorkers: number;
}): number | undefined {
  const { currentKb } = options;
  if (options.limitMB <= 0) return undefined;
  const graphKb = hnswGraphKb(options);
  const parallelKb = PARALLEL_BUILD_KB_PER_PARTICIPANT * (Math.max(0, options.parallelWorkers) + 1);
  const floorKb = Math.max(graphKb, parallelKb);
  const ceilingKb = Math.max(2 * graphKb, parallelKb);
  let chosenKb = Math.min(Math.max(currentKb, floorKb), ceilingKb);
  // Raising is capped by the limit (never below what the server gives already); lowering is not.
  if (chosenKb > currentKb) chosenKb = Math.max(currentKb, Math.min(chosenKb, options.limitMB * 1024));
  return chosenKb === currentKb ? undefined : chosenKb;
}

/** The memory (kB) an HNSW graph of `rows` rows takes while it is built, plus 10%. */
export function hnswGraphKb(options: {
  readonly rows: number;
  readonly dimensions: number;
  readonly storage?: VectorStorage | undefined;
  readonly m: number;
}): number {
  return Math.ceil((options.rows * hnswBuildBytesPerRow(options) * 1.1) / 1024);
}

/** An HNSW build whose graph will not fit in the memory it may use (so pgvector builds it slowly). */
export interface IndexBuildMemory {
  /** What the whole graph needs, in MB. */
  readonly needed_mb: number;
  /** What the build may use (`maintenance_work_mem` after raising it to the ceiling), in MB. */
  readonly granted_mb: number;
}

/**
 * Sizes `maintenance_work_mem` for the current transaction per `hnswBuildMemoryKb`. Returns the
 * setting it replaced (to restore), or undefined when it left the setting alone.
 */
async function sizeBuildMemory(
  executor: Pick<Executor, 'execute'>,
  options: {
    readonly tableName: string;
    readonly dimensions: number;
    readonly storage: VectorStorage | undefined;
    readonly m: number;
    readonly limitMB: number;
    readonly citus: boolean;
    readonly onMemoryShort: ((memory: IndexBuildMemory) => void) | undefined;
  },
): Promise<string | undefined> {
  const row = await queryRow<{ rows: number; current_kb: number; workers: number }>(
    executor,
    sql`SELECT (SELECT count(*) FROM ${ident(options.tableName)})::float8 AS rows,
               (SELECT setting::float8 FROM pg_settings WHERE name = 'maintenance_work_mem') AS current_kb,
               (SELECT setting::int FROM pg_settings WHERE name = 'max_parallel_maintenance_workers') AS workers`,
  );
  const currentKb = Number(row?.current_kb ?? 0);
  const sizing = {
    ...options,
    rows: Number(row?.rows ?? 0),
    currentKb,
    parallelWorkers: Number(row?.workers ?? 0),
  };
  const kb = hnswBuildMemoryKb(sizing);
  const neededKb = hnswGraphKb(sizing);
  const grantedKb = kb ?? currentKb;
  if (neededKb > grantedKb) {
    options.onMemoryShort?.({
      needed_mb: Math.ceil(neededKb / 1024),
      granted_mb: Math.floor(grantedKb / 1024),
    });
  }
  if (kb === undefined) return undefined;
  await setBuildMemory(executor, { value: `${kb}kB`, citus: options.citus });
  return `${currentKb}kB`;
}

/**
 * Sets maintenance_work_mem for the transaction. On Citus the build runs on the workers, so the
 * setting must reach them (SET LOCAL, propagated); the read above already ran there, since Citus
 * sends a query on one single-shard table whole to its worker.
 */
async function setBuildMemory(
  executor: Pick<Executor, 'execute'>,
  options: { readonly value: string; readonly citus: boolean },
): Promise<void> {
  if (options.citus) {
    await setLocalOnCitus(executor, { maintenance_work_mem: options.value });
  } else {
    await executor.execute(sql`SELECT set_config('maintenance_work_mem', ${options.value}, true)`);
  }
}

/** SQLSTATE class 53, insufficient resources: out of memory, or /dev/shm too small for a parallel build. */
function isInsufficientResources(error: unknown): boolean {
  return sqlStateOf(error)?.startsWith('53') === true;
}

/**
 * Builds the ANN index (no-op for type `none`). IVFFlat without `lists` sizes its lists from the
 * current row count (rows/1000, at least 1), since lists are fixed at build time. HNSW, given the
 * table's `dimensions` and a `memoryLimitMB` above 0, first sizes `maintenance_work_mem` for the
 * graph (`hnswBuildMemoryKb`); the setting is transaction-local, so call this inside a transaction.
 */
export async function buildVectorIndex(
  executor: Pick<Database['orm'], 'execute' | 'transaction'>,
  options: {
    readonly tableName: string;
    readonly type: VectorIndexType;
    readonly params?: VectorIndexParams;
    /** The embedding column's type (default `vector`): it picks the operator class. */
    readonly storage?: VectorStorage | undefined;
    readonly dimensions?: number;
    readonly memoryLimitMB?: number;
    /** A Citus coordinator: the build's memory setting is sent to the workers (default false). */
    readonly citus?: boolean;
    /** Told when an HNSW graph will not fit in the memory the build may use. */
    readonly onMemoryShort?: ((memory: IndexBuildMemory) => void) | undefined;
  },
): Promise<void> {
  const { tableName, type } = options;
  if (type === 'none') return;
  const name = ident(indexNamesFor(tableName).vector);
  const params = normalizeIndexParams(type, options.params);
  const ops = cosineOpsOf(options.storage ?? 'vector');
  if (type === 'hnsw') {
    const key =
      params.quantization === 'binary'
        ? sql`(${binaryQuantized(sql`embedding`, options.dimensions)}) bit_hamming_ops`
        : sql`embedding ${ops}`;
    const create = (target: Pick<Executor, 'execute'>) =>
      target.execute(
        sql`CREATE INDEX IF NOT EXISTS ${name} ON ${ident(tableName)} USING hnsw (${key})
            WITH (m = ${sql.raw(String(params.m))}, ef_construction = ${sql.raw(String(params.ef_construction))})`,
      );
    const replaced =
      options.dimensions !== undefined && (options.memoryLimitMB ?? 0) > 0
        ? await sizeBuildMemory(executor, {
            tableName,
            dimensions: options.dimensions,
            storage: options.storage,
            m: params.m ?? DEFAULT_HNSW_PARAMS.m,
            limitMB: options.memoryLimitMB ?? 0,
            citus: options.citus === true,
            onMemoryShort: options.onMemoryShort,
          })
        : undefined;
    if (replaced === undefined) {
      await create(executor);
      return;
    }
    // A server that cannot give the build that memory (a container's small /dev/shm for a parallel
    // build, or RAM) fails it with class 53; the build is then retried at the server's own setting.
    // The first try runs in a savepoint (a nested transaction), so its failure leaves the caller's
    // transaction usable.
    try {
      await executor.transaction((savepoint) => create(savepoint));
    } catch (error) {
      if (!isInsufficientResources(error)) throw error;
      await setBuildMemory(executor, { value: replaced, citus: options.citus === true });
      await create(executor);
    }
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
    sql`CREATE INDEX IF NOT EXISTS ${name} ON ${ident(tableName)} USING ivfflat (embedding ${ops})
        WITH (lists = ${sql.raw(String(lists))})`,
  );
}

/**
 * `binary_quantize(vector)::bit(D)`: one bit a dimension (its sign). The index expression and the
 * search's ordering must be the same expression for the index to serve it.
 */
export function binaryQuantized(vector: SQL, dimensions: number | undefined): SQL {
  if (dimensions === undefined || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new TypeError('a binary-quantized index needs the table’s dimensions');
  }
  return sql`binary_quantize(${vector})::bit(${sql.raw(String(dimensions))})`;
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
