// Nearest-neighbour search by cosine similarity, run the way its plan (search-plan.ts) says:
// - a filtered search first counts the matching rows, up to the exact cutoff, and when there are
//   no more than that compares them all — in the same statement, so the common filtered case is one
//   round trip;
// - otherwise the ANN index serves it, with settings set for the query's own transaction only (so
//   they never leak into a pooled connection), and an exact search when the index scan comes back
//   short (iterative scans unavailable, or stopped by their budgets).
import { and, eq, lte, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { recordColumns, toEmbeddingRecord } from './embedding-record.js';
import { type VectorInput, vectorLiteral } from './embedding-vector.js';
import { cachedEstimate, type EstimateCache } from './filter-estimate.js';
import { applySettings } from './local-settings.js';
import { inCollection, type NamespaceTable, tableByName } from './namespace-table.js';
import { supportsIterativeScan } from './pgvector-version.js';
import type { NamespaceRecord } from './registry-types.js';
import type { SearchTuningRecord } from './schema/registry.js';
import {
  areDefaultSettings,
  exactCutoffRows,
  indexSettings,
  rerankCandidates,
  type SearchPlan,
  type SearchTuning,
} from './search-plan.js';
import { binaryQuantized, describeVectorIndex, type VectorIndexDescription } from './vector-index.js';
import { storageType } from './vector-storage.js';
import type { SearchResult } from './vector-store-types.js';

type QueryRunner = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/**
 * Searches run as prepared statements: postgres.js then parses and describes each statement text
 * once per connection and afterwards sends it in one round trip, where an unprepared statement with
 * parameters costs two (describe, then execute) and cannot be pipelined. The name is only a flag
 * for drizzle; postgres.js keys its statements by their text.
 */
const PREPARED = 'dje_search';

/** What a handle remembers about its table's ANN index between searches. */
export interface SearchMemo {
  /** The index once seen valid; an index is not looked up again after that. */
  description?: VectorIndexDescription | undefined;
  /** Settings calibrated through this handle, newer than the registry entry it was opened with. */
  tuning?: SearchTuningRecord;
  /** Whether this handle already looked for an index that was never calibrated. */
  uncalibratedChecked?: boolean;
  /** PostgreSQL's estimates per filter (its SQL and parameters), see `cachedEstimate`. */
  estimates?: EstimateCache;
}

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
   * exactly. Default true; tests turn it off to observe the index scan alone.
   */
  readonly exactFallback?: boolean;
  /** Never use the ANN index: compare with every row that passes the filters. */
  readonly exact?: boolean;
  /** Matching rows up to which a filtered search is exact (default: `exactCutoffRows`). */
  readonly exactCutoff?: number | undefined;
  /** The namespace's calibrated settings. */
  readonly tuning?: SearchTuning | undefined;
  readonly indexMemo?: SearchMemo | undefined;
}

export interface NearestResult {
  readonly results: SearchResult[];
  readonly plan: SearchPlan;
}

/** The query, its distance expression and its filters (collection and filter object). */
interface SearchQuery {
  readonly table: NamespaceTable;
  readonly distance: SQL<number>;
  /** What the ANN index orders by: the distance, or the Hamming distance of the quantized vectors. */
  readonly indexOrder: SQL;
  readonly where: SQL | undefined;
  readonly options: NearestOptions;
}

function toResults(rows: readonly Record<string, unknown>[]): SearchResult[] {
  return rows.map((row): SearchResult => {
    const { distance, matching: _matching, total: _total, ...columns } = row;
    return [toEmbeddingRecord(columns), 1 - Number(distance)];
  });
}

/** Cosine similarity is 1 - distance, so similarity ≥ threshold is distance ≤ 1 - threshold. */
function withinThreshold(query: SearchQuery): SQL | undefined {
  const { threshold } = query.options;
  return threshold === undefined ? undefined : lte(query.distance, 1 - threshold);
}

/**
 * Exact: ordering by `distance + 0` is an expression no ANN index serves, so PostgreSQL reads the
 * rows the filters select (bitmap scans of their B-tree/GIN indexes) and sorts them all.
 */
async function runExact(runner: QueryRunner, query: SearchQuery): Promise<SearchResult[]> {
  const { table, distance, options } = query;
  const rows = await runner
    .select({ ...recordColumns(table, options.includeVectors), distance: distance.as('distance') })
    .from(table)
    .where(and(query.where, withinThreshold(query)))
    .orderBy(sql`(${distance}) + 0`, table.id)
    .limit(options.limit)
    .prepare(PREPARED)
    .execute();
  return toResults(rows);
}

/**
 * The ANN query: `ORDER BY distance LIMIT k`, exactly what a hand-written query sends (a quantized
 * index: the `candidates` nearest by Hamming distance, each with its exact distance). The
 * threshold, the re-ranking and the strict order (iterative scans return rows in relaxed order) are
 * applied here, so the index scan stops after its candidates even when none can pass the threshold.
 */
async function runIndexed(
  runner: QueryRunner,
  query: SearchQuery,
  candidates: number,
): Promise<{ readonly results: SearchResult[]; readonly candidates: number }> {
  const { table, distance, options } = query;
  const rows = await runner
    .select({ ...recordColumns(table, options.includeVectors), distance: distance.as('distance') })
    .from(table)
    .where(query.where)
    .orderBy(query.indexOrder)
    .limit(candidates)
    .prepare(PREPARED)
    .execute();
  const limit = options.threshold === undefined ? 2 : 1 - options.threshold;
  const passing = rows
    .filter((row) => row.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, options.limit);
  return { results: toResults(passing), candidates: rows.length };
}

/**
 * One statement: reads the rows the filters match, up to `cutoff + 1`, with their distances, and
 * when there are no more than `cutoff` returns the nearest of them with their records (fetched by
 * id, `limit` rows) — exact, since every matching row was compared. Also returns how many matched
 * (capped) and PostgreSQL's estimate of the table's rows.
 */
async function runCountedExact(
  runner: QueryRunner,
  query: SearchQuery,
  cutoff: number,
): Promise<{ readonly results: SearchResult[]; readonly matching: number; readonly total: number }> {
  const { table, distance, options } = query;
  // One pass over the matching rows (at most cutoff + 1): their ids and distances, kept for the
  // count and the top k; a count first and a search after read every row twice, and with large
  // vectors each row is a page of its own.
  const capped = runner.$with('capped').as(
    runner
      .select({ id: table.id, distance: distance.as('distance') })
      .from(table)
      .where(query.where)
      .limit(cutoff + 1),
  );
  const counted = runner.$with('counted').as(
    runner
      .select({
        matching: sql<number>`count(*)::int`.as('matching'),
        total:
          sql<number>`(SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass(quote_ident(${options.namespace.table_name})))`.as(
            'total',
          ),
      })
      .from(capped),
  );
  const { threshold } = options;
  const nearest = runner
    .select({ id: capped.id, nearestDistance: sql<number>`${capped.distance}`.as('nearest_distance') })
    .from(capped)
    .where(
      and(
        sql`${counted.matching} <= ${cutoff}`,
        threshold === undefined ? undefined : lte(capped.distance, 1 - threshold),
      ),
    )
    .orderBy(capped.distance, capped.id)
    .limit(options.limit)
    .as('nearest');
  const rows = (await runner
    .with(capped, counted)
    .select({
      ...recordColumns(table, options.includeVectors),
      distance: nearest.nearestDistance,
      matching: counted.matching,
      total: counted.total,
    })
    .from(counted)
    .leftJoinLateral(nearest, sql`true`)
    .leftJoin(table, eq(table.id, nearest.id))
    .orderBy(nearest.nearestDistance, nearest.id)
    .prepare(PREPARED)
    .execute()) as unknown as Record<string, unknown>[];
  const first = rows[0];
  return {
    results: toResults(rows.filter((row) => row.distance !== null)),
    matching: Number(first?.matching ?? 0),
    total: Number(first?.total ?? -1),
  };
}

/**
 * Skip the count above this many times the cutoff by the planner's estimate: counting through a
 * GIN index rechecks every matching row on the heap (jsonb_path_ops is lossy), one page per row
 * for large vectors, so counting up to the cutoff of a broad filter costs about what an exact
 * search over the cutoff's rows does (docs/benchmarks.md, search: statement timings). Estimates
 * this far above the cutoff are not near the decision; nearer, the capped count decides.
 */
const ESTIMATE_MARGIN = 2;

type FilteredPlan =
  | {
      readonly results: SearchResult[];
      readonly plan: Pick<SearchPlan, 'strategy' | 'reason' | 'matching_rows' | 'matching_rows_counted'> &
        Partial<Pick<SearchPlan, 'estimated_total_rows'>>;
    }
  | { readonly selectivity: number; readonly counts: Partial<SearchPlan> };

/**
 * A filtered search on an indexed table: when by the planner's estimate far more rows match than
 * the cutoff, the index, sized to that estimate; otherwise count them (capped) and, when they are
 * few, compare them all — in one statement.
 */
async function planFiltered(db: Database, query: SearchQuery, cutoff: number): Promise<FilteredPlan> {
  const estimate = await cachedEstimate({
    runner: db.orm,
    table: query.table,
    where: query.where ?? sql`TRUE`,
    cache: query.options.indexMemo,
  });
  if (estimate !== undefined && estimate.matching > ESTIMATE_MARGIN * cutoff) {
    const total = Math.max(estimate.total, estimate.matching);
    return {
      selectivity: Math.min(1, estimate.matching / total),
      counts: {
        matching_rows: Math.round(estimate.matching),
        matching_rows_counted: 'estimated',
        estimated_total_rows: total,
      },
    };
  }
  const counted = await runCountedExact(db.orm, query, cutoff);
  const total = counted.total >= 0 ? { estimated_total_rows: counted.total } : {};
  if (counted.matching <= cutoff) {
    return {
      results: counted.results,
      plan: {
        strategy: 'exact',
        reason: 'few_matching_rows',
        matching_rows: counted.matching,
        matching_rows_counted: 'exact',
        ...total,
      },
    };
  }
  // More than the cutoff match; as many as (cutoff + 1) / total is the most selective the filter
  // can be, so the budgets are sized for that (statistics not gathered yet: assume 1%).
  return {
    selectivity: counted.total > cutoff ? Math.min(1, (cutoff + 1) / counted.total) : 0.01,
    counts: { matching_rows: counted.matching, matching_rows_counted: 'at_least', ...total },
  };
}

/** The table's valid ANN index, remembered on the handle once seen. */
export async function indexOf(
  db: Database,
  options: Pick<NearestOptions, 'namespace' | 'indexMemo'>,
): Promise<VectorIndexDescription | undefined> {
  if (options.namespace.index_type === 'none') return undefined;
  const memo = options.indexMemo;
  if (memo?.description !== undefined) return memo.description;
  const description = await describeVectorIndex(db.orm, options.namespace.table_name);
  if (memo !== undefined && description !== undefined) memo.description = description;
  return description;
}

/** The `limit` nearest rows by cosine similarity (≥ threshold), most similar first, and the plan. */
export async function searchNearest(db: Database, options: NearestOptions): Promise<NearestResult> {
  const { namespace } = options;
  const table = tableByName(namespace.table_name, namespace);
  // The query vector takes the column's type: its index serves only that type's operator.
  const vector = sql`${vectorLiteral(options.vector)}::${storageType(namespace.storage)}`;
  const distance = sql<number>`${table.embedding} <=> ${vector}`;
  const quantized = namespace.index_params.quantization === 'binary';
  const query: SearchQuery = {
    table,
    distance,
    indexOrder: quantized
      ? sql`${binaryQuantized(sql`${table.embedding}`, namespace.dimensions)} <~> ${binaryQuantized(vector, namespace.dimensions)}`
      : distance,
    where: and(inCollection(table, options.collectionName), options.filter),
    options,
  };
  const cutoff = options.exactCutoff ?? exactCutoffRows(options.namespace.dimensions);
  const plan = {
    index_type: options.namespace.index_type,
    exact_cutoff: cutoff,
    settings: {},
    exact_fallback: false,
  };
  if (options.exact === true) {
    return {
      results: await runExact(db.orm, query),
      plan: { ...plan, strategy: 'exact', reason: 'requested' },
    };
  }
  const index = await indexOf(db, options);
  if (index === undefined) {
    return {
      results: await runExact(db.orm, query),
      plan: { ...plan, strategy: 'exact', reason: 'no_index' },
    };
  }
  let selectivity = 1;
  let counts: Partial<SearchPlan> = {};
  if (query.where !== undefined) {
    const filtered = await planFiltered(db, query, cutoff);
    if ('results' in filtered) return { results: filtered.results, plan: { ...plan, ...filtered.plan } };
    ({ selectivity, counts } = filtered);
  }
  const candidates = quantized ? rerankCandidates(options.limit, options.tuning?.oversample) : options.limit;
  const settings = indexSettings({
    type: index.type,
    lists: index.lists,
    // ef_search covers every candidate: one HNSW scan returns at most ef_search rows.
    limit: candidates,
    selectivity,
    tuning: options.tuning ?? {},
    iterative: supportsIterativeScan(db.versions.pgvector),
  });
  const reason = query.where === undefined ? 'unfiltered' : 'many_matching_rows';
  const indexed = {
    ...plan,
    ...counts,
    strategy: 'index',
    reason,
    assumed_selectivity: selectivity,
    settings,
    ...(quantized ? { rerank_candidates: candidates } : {}),
  } as const;
  if (query.where === undefined && areDefaultSettings(settings)) {
    return { results: (await runIndexed(db.orm, query, candidates)).results, plan: indexed };
  }
  const citus = db.versions.citus !== undefined;
  return db.orm.transaction(async (tx) => {
    // Both are sent at once, in this order, on the transaction's connection (postgres.js pipelines
    // prepared statements; PGlite runs them in turn): one round trip instead of two. On Citus the
    // SET LOCALs are in force first (applySettings awaits them).
    const settled = applySettings(tx, { settings, citus });
    if (citus) await settled;
    const [, approximate] = await Promise.all([settled, runIndexed(tx, query, candidates)]);
    if (
      query.where === undefined ||
      options.exactFallback === false ||
      approximate.candidates >= options.limit
    ) {
      return { results: approximate.results, plan: indexed };
    }
    return { results: await runExact(tx, query), plan: { ...indexed, exact_fallback: true } };
  });
}
