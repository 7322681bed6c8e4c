// Nearest-neighbour search by cosine similarity. The inner query is the shape pgvector's ANN indexes
// serve (filters, ORDER BY distance, LIMIT k); the outer one applies the threshold and restores a
// strict order (iterative scans return rows in relaxed order). With an index, the search settings
// are set inside the query's own transaction so they never leak into a pooled connection.
import { and, lte, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { recordColumns, toEmbeddingRecord } from './embedding-record.js';
import { type VectorInput, vectorLiteral } from './embedding-vector.js';
import { inCollection, tableByName } from './namespace-table.js';
import { supportsIterativeScan } from './pgvector-version.js';
import type { NamespaceRecord } from './registry-types.js';
import { describeVectorIndex, type VectorIndexDescription } from './vector-index.js';
import type { SearchResult } from './vector-store-types.js';

/** pgvector's default `hnsw.ef_search`; raised to the limit when the limit is larger. */
const DEFAULT_EF_SEARCH = 40;

type QueryRunner = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export interface NearestOptions {
  readonly namespace: NamespaceRecord;
  /** Already validated against the namespace's dimensions. */
  readonly vector: VectorInput;
  readonly limit: number;
  readonly collectionName?: string | undefined;
  readonly threshold?: number | undefined;
  /** A compiled filter condition on the namespace table. */
  readonly filter?: SQL | undefined;
  readonly includeVectors: boolean;
  /**
   * When an index scan of a filtered search yields fewer than `limit` candidates, search again
   * exactly, so results are complete even where iterative scans are unavailable (pgvector 0.7) or
   * stop early (`max_scan_tuples`). Default true; tests turn it off to observe the index scan alone.
   */
  readonly exactFallback?: boolean;
  /** Never use the ANN index: compare with every row that passes the filters. */
  readonly exact?: boolean;
}

/** Sets the ANN search parameters for the rest of the current transaction. */
export async function applySearchSettings(
  tx: QueryRunner,
  options: {
    readonly index: VectorIndexDescription;
    readonly limit: number;
    readonly filtered: boolean;
    readonly pgvector: string;
  },
): Promise<void> {
  const { index, limit, filtered, pgvector } = options;
  // Iterative scans keep walking the index until `limit` rows pass the filter.
  const iterative = filtered && supportsIterativeScan(pgvector);
  if (index.type === 'hnsw') {
    await tx.execute(
      sql`SELECT set_config('hnsw.ef_search', ${String(Math.max(limit, DEFAULT_EF_SEARCH))}, true)`,
    );
    if (iterative) await tx.execute(sql`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)`);
    return;
  }
  const lists = index.lists ?? 1;
  // pgvector suggests about sqrt(lists) probes as a starting point; twice that buys the recall
  // (≥ 0.95) the search is meant to have, and small indexes are then probed whole.
  const probes = Math.max(1, Math.min(lists, 2 * Math.ceil(Math.sqrt(lists))));
  await tx.execute(sql`SELECT set_config('ivfflat.probes', ${String(probes)}, true)`);
  if (iterative) await tx.execute(sql`SELECT set_config('ivfflat.iterative_scan', 'relaxed_order', true)`);
}

async function runNearest(
  runner: QueryRunner,
  options: NearestOptions,
): Promise<{ readonly results: SearchResult[]; readonly candidates: number }> {
  const { namespace, limit, threshold } = options;
  const table = tableByName(namespace.table_name, namespace.dimensions);
  const distance = sql<number>`${table.embedding} <=> ${vectorLiteral(options.vector)}::vector`;
  const nearest = runner.$with('nearest').as(
    runner
      .select({ ...recordColumns(table, options.includeVectors), distance: distance.as('distance') })
      .from(table)
      .where(and(inCollection(table, options.collectionName), options.filter))
      .orderBy(distance)
      .limit(limit),
  );
  const rows = await runner
    .with(nearest)
    .select({
      ...nearest._.selectedFields,
      candidates: sql<number>`(SELECT count(*)::int FROM ${nearest})`.mapWith(Number),
    })
    .from(nearest)
    // Cosine similarity is 1 - distance, so similarity ≥ threshold is distance ≤ 1 - threshold.
    .where(threshold === undefined ? undefined : lte(nearest.distance, 1 - threshold))
    .orderBy(nearest.distance, nearest.id);
  const results = rows.map((row): SearchResult => {
    const { distance: rowDistance, candidates: _candidates, ...columns } = row as Record<string, unknown>;
    return [toEmbeddingRecord(columns), 1 - Number(rowDistance)];
  });
  // No row passed the threshold: the candidate count is unknown, so report it as short.
  return { results, candidates: rows[0]?.candidates ?? 0 };
}

/**
 * Without a threshold and without relaxed ordering, the index's own order is the answer: the plain
 * `ORDER BY distance LIMIT k`, exactly what a hand-written query sends.
 */
async function runPlainNearest(runner: QueryRunner, options: NearestOptions): Promise<SearchResult[]> {
  const table = tableByName(options.namespace.table_name, options.namespace.dimensions);
  const distance = sql<number>`${table.embedding} <=> ${vectorLiteral(options.vector)}::vector`;
  const rows = await runner
    .select({ ...recordColumns(table, options.includeVectors), distance: distance.as('distance') })
    .from(table)
    .where(and(inCollection(table, options.collectionName), options.filter))
    // Ordering by distance alone: the ANN index serves exactly this order.
    .orderBy(distance)
    .limit(options.limit);
  return rows.map((row): SearchResult => {
    const { distance: rowDistance, ...columns } = row as Record<string, unknown>;
    return [toEmbeddingRecord(columns), 1 - Number(rowDistance)];
  });
}

/**
 * HNSW and IVFFlat only serve plain index scans; with those off for the rest of the transaction the
 * same query is exact (B-tree filters still use bitmap scans).
 */
async function disableIndexScans(tx: QueryRunner): Promise<void> {
  await tx.execute(sql`SELECT set_config('enable_indexscan', 'off', true)`);
}

/** The `limit` nearest rows by cosine similarity (≥ threshold), most similar first. */
export async function searchNearest(db: Database, options: NearestOptions): Promise<SearchResult[]> {
  const filtered = options.filter !== undefined || options.collectionName !== undefined;
  const indexType = options.namespace.index_type;
  // One statement, no transaction, when pgvector's defaults already serve the query exactly or
  // well: no ANN index by policy, or an unfiltered HNSW search within the default ef_search.
  if (options.exact === true && indexType !== 'none') {
    return db.orm.transaction(async (tx) => {
      await disableIndexScans(tx);
      return (await runNearest(tx, options)).results;
    });
  }
  if (indexType === 'none' || (indexType === 'hnsw' && !filtered && options.limit <= DEFAULT_EF_SEARCH)) {
    return options.threshold === undefined
      ? runPlainNearest(db.orm, options)
      : (await runNearest(db.orm, options)).results;
  }
  // HNSW settings need no catalog lookup (they are harmless while the index is not built yet);
  // IVFFlat probes depend on the lists the index was built with.
  const index: VectorIndexDescription | undefined =
    indexType === 'hnsw'
      ? { type: 'hnsw', lists: undefined }
      : await describeVectorIndex(db.orm, options.namespace.table_name);
  if (index === undefined) return (await runNearest(db.orm, options)).results;
  return db.orm.transaction(async (tx) => {
    await applySearchSettings(tx, { index, limit: options.limit, filtered, pgvector: db.versions.pgvector });
    const approximate = await runNearest(tx, options);
    if (!filtered || options.exactFallback === false || approximate.candidates >= options.limit) {
      return approximate.results;
    }
    await disableIndexScans(tx);
    return (await runNearest(tx, options)).results;
  });
}
