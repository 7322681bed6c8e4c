// When a namespace has an ANN index. Measured on PGlite (issue 2): inserts into a table that keeps
// an HNSW index run ~16× slower than into one without, and building the index after a load costs
// about as much as inserting ~2× the rows with it. Small tables are searched exactly (perfect
// recall, fast at that size); the index is built once the table reaches its threshold, and a load
// large relative to the table drops the index and rebuilds it afterwards.
import { sql } from 'drizzle-orm';
import { isCitus } from './citus-placement.js';
import { type Database, type Executor, queryRow } from './database.js';
import { ident } from './identifiers.js';
import { type IndexProgressOptions, withIndexBuildProgress } from './index-build-progress.js';
import { lockNamespace } from './namespace-registry.js';
import type { NamespaceRecord } from './registry-types.js';
import type { VectorIndexType } from './schema/registry.js';
import { buildVectorIndex, dropVectorIndex, vectorIndexExists } from './vector-index.js';
import { canIndex } from './vector-storage.js';

/**
 * A load smaller than this never drops the index: rebuilding would cost more than the slower
 * inserts save, and searches meanwhile fall back to exact scans.
 */
export const BULK_LOAD_MINIMUM_ROWS = 1_000;

/**
 * Whether to drop an existing index before loading `incomingRows` into a table of `existingRows`
 * and rebuild it afterwards: when the load is at least as large as the table (and not small).
 */
export function shouldDeferIndex(options: {
  readonly indexExists: boolean;
  readonly incomingRows: number;
  readonly existingRows: number;
}): boolean {
  return (
    options.indexExists &&
    options.incomingRows >= BULK_LOAD_MINIMUM_ROWS &&
    options.incomingRows >= options.existingRows
  );
}

/**
 * Whether the namespace should get its ANN index now: it has an index type, has none yet, and
 * holds at least `indexThreshold` rows (0 means always). `rowCount` may be capped at the threshold.
 * An index is never dropped because rows were deleted: search is correct either way.
 */
export function shouldBuildIndex(options: {
  readonly indexType: VectorIndexType;
  readonly indexThreshold: number;
  readonly indexExists: boolean;
  readonly rowCount: number;
}): boolean {
  return options.indexType !== 'none' && !options.indexExists && options.rowCount >= options.indexThreshold;
}

/** `min(count(*), limit)` without scanning more than `limit` rows. */
export async function countRowsUpTo(
  executor: Pick<Executor, 'execute'>,
  options: { readonly tableName: string; readonly limit: number },
): Promise<number> {
  const row = await queryRow<{ count: number }>(
    executor,
    sql`SELECT count(*)::int AS count FROM (SELECT 1 FROM ${ident(options.tableName)} LIMIT ${options.limit}) AS capped`,
  );
  return row?.count ?? 0;
}

/** Drops the namespace's index before a large load, per `shouldDeferIndex`. Returns whether it did. */
export async function deferIndexForLoad(
  db: Database,
  options: { readonly namespace: NamespaceRecord; readonly incomingRows: number },
): Promise<boolean> {
  const { namespace, incomingRows } = options;
  if (namespace.index_type === 'none' || incomingRows < BULK_LOAD_MINIMUM_ROWS) return false;
  const tableName = namespace.table_name;
  // Checked once without the lock so a table with no index yet (every batch of a first large
  // ingest) costs one query, not a transaction: an index built meanwhile is only maintained.
  if (!(await vectorIndexExists(db.orm, tableName))) return false;
  return db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace.namespace);
    const indexExists = await vectorIndexExists(tx, tableName);
    if (!indexExists) return false;
    const existingRows = await countRowsUpTo(tx, { tableName, limit: incomingRows + 1 });
    if (!shouldDeferIndex({ indexExists, incomingRows, existingRows })) return false;
    await dropVectorIndex(tx, tableName);
    return true;
  });
}

/**
 * Builds the namespace's index when `shouldBuildIndex` says it is due, or, with `restore` (the
 * index was dropped for a load), whenever it is missing. Returns whether it built one.
 */
export async function buildIndexIfDue(
  db: Database,
  options: {
    readonly namespace: NamespaceRecord;
    readonly restore?: boolean;
    /** Readings of the build's progress while it runs (on a PostgreSQL server). */
    readonly progress?: IndexProgressOptions | undefined;
  },
): Promise<boolean> {
  const { namespace } = options;
  // A namespace registered before its limits were checked (vector over 2,000 dimensions with an
  // index) stays exact rather than failing every write at its threshold.
  const indexable = canIndex({
    ...namespace,
    indexType: namespace.index_type,
    quantization: namespace.index_params.quantization,
  });
  if (namespace.index_type === 'none' || !indexable) {
    return false;
  }
  const tableName = namespace.table_name;
  const due = async (executor: Pick<Executor, 'execute'>) => {
    const indexExists = await vectorIndexExists(executor, tableName);
    if (indexExists) return false;
    if (options.restore === true) return true;
    const rowCount =
      namespace.index_threshold === 0
        ? 0
        : await countRowsUpTo(executor, { tableName, limit: namespace.index_threshold });
    return shouldBuildIndex({
      indexType: namespace.index_type,
      indexThreshold: namespace.index_threshold,
      indexExists,
      rowCount,
    });
  };
  // Checked once without the lock so the common case (nothing to do) costs no transaction.
  if (!(await due(db.orm))) return false;
  return db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace.namespace);
    if (!(await due(tx))) return false;
    options.progress?.onStart?.({ type: namespace.index_type });
    await withIndexBuildProgress(db, tx, options.progress, () =>
      buildVectorIndex(tx, {
        tableName,
        type: namespace.index_type,
        params: namespace.index_params,
        storage: namespace.storage,
        dimensions: namespace.dimensions,
        memoryLimitMB: db.indexBuildMemoryMB,
        citus: isCitus(db),
        onMemoryShort: options.progress?.onMemoryShort,
      }),
    );
    return true;
  });
}
