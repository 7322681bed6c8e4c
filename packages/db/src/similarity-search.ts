// Nearest-neighbour search by cosine similarity, run the way its plan (search-plan.ts) says:
// - a filtered search first counts the matching rows, up to the exact cutoff, and when there are
//   no more than that compares them all — in the same statement, so the common filtered case is one
//   round trip; such a small count is remembered on the connection for a while, and searches with
//   the same filter then send only the exact query;
// - otherwise the ANN index serves it, with settings set for the query's own transaction only (so
//   they never leak into a pooled connection; sent with the query in one round trip), and an exact
//   search when the index scan comes back short (iterative scans unavailable, or stopped by their
//   budgets).
// Every statement is built once per connection, table shape and filter and then sent straight
// through the driver (search-statements.ts, search-driver.ts).
import { and, type SQL, sql } from 'drizzle-orm';
import { searchVectorParam } from './binary-vector.js';
import type { Database } from './database.js';
import type { VectorInput } from './embedding-vector.js';
import {
  type CountCache,
  cachedEstimate,
  type EstimateCache,
  filterKey,
  isFresh,
  remember,
} from './filter-estimate.js';
import { inCollection, type NamespaceTable, tableByName } from './namespace-table.js';
import { supportsIterativeScan } from './pgvector-version.js';
import type { NamespaceRecord } from './registry-types.js';
import type { SearchTuningRecord } from './schema/registry.js';
import {
  areDefaultSettings,
  exactCutoffRows,
  INDEX_SCAN_ONLY,
  indexSettings,
  recallAwareCutoff,
  rerankCandidates,
  type SearchPlan,
  type SearchTuning,
} from './search-plan.js';
import {
  queryVector,
  runCountedExact,
  runExact,
  runIndexed,
  type SearchQuery,
  type StatementCache,
  type StatementTarget,
} from './search-statements.js';
import { binaryQuantized, describeVectorIndex, type VectorIndexDescription } from './vector-index.js';
import { storageType } from './vector-storage.js';
import type { SearchResult } from './vector-store-types.js';

/** What a handle remembers about its table's ANN index between searches. */
export interface SearchMemo {
  /** The index once seen valid; an index is not looked up again after that. */
  description?: VectorIndexDescription | undefined;
  /** Settings calibrated through this handle, newer than the registry entry it was opened with. */
  tuning?: SearchTuningRecord;
  /** Whether this handle already looked for an index that was never calibrated. */
  uncalibratedChecked?: boolean;
}

/**
 * What searches on one connection (pool) learn about filters and build, whichever handle they run
 * through: the CLI, the HTTP server and the VectorStore open a handle per search, so what a handle
 * alone remembered would be forgotten after every search.
 */
interface ConnectionMemo {
  /** PostgreSQL's estimates per filter (table, SQL and parameters), see `cachedEstimate`. */
  estimates?: EstimateCache;
  /** Counts of matching rows per filter (capped at the exact cutoff + 1), see `planFiltered`. */
  counts?: CountCache;
  /**
   * Search statements built outside transactions, per table (its columns, dimensions and vector
   * type: tableByName returns one object per shape), then per statement shape and filter.
   */
  statements: WeakMap<NamespaceTable, StatementCache>;
}

const connectionMemos = new WeakMap<Database, ConnectionMemo>();

function connectionMemo(db: Database): ConnectionMemo {
  let memo = connectionMemos.get(db);
  if (memo === undefined) {
    memo = { statements: new WeakMap() };
    connectionMemos.set(db, memo);
  }
  return memo;
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
  /**
   * Identifies `filter` on this table (compileFilterOnce's key): the memos key on it instead of
   * the filter's SQL written out (see memoKey).
   */
  readonly filterKey?: string | undefined;
  readonly includeVectors: boolean;
  /**
   * When an index scan of a filtered search yields fewer than `limit` candidates, search again
   * exactly. Default true; tests turn it off to observe the index scan alone.
   */
  readonly exactFallback?: boolean;
  /** Never use the ANN index: compare with every row that passes the filters. */
  readonly exact?: boolean;
  /** Matching rows up to which a filtered search is exact (default: `recallAwareCutoff`). */
  readonly exactCutoff?: number | undefined;
  /** The namespace's calibrated settings. */
  readonly tuning?: SearchTuning | undefined;
  readonly indexMemo?: SearchMemo | undefined;
}

export interface NearestResult {
  readonly results: SearchResult[];
  readonly plan: SearchPlan;
}

/** The connection and its built statements for `table`. */
function targetOf(db: Database, table: NamespaceTable): StatementTarget {
  const { statements } = connectionMemo(db);
  let cache = statements.get(table);
  if (cache === undefined) {
    cache = new Map() as StatementCache;
    statements.set(table, cache);
  }
  return { db, cache };
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
      readonly plan: Pick<
        SearchPlan,
        'strategy' | 'reason' | 'matching_rows' | 'matching_rows_counted' | 'exact_cutoff'
      > &
        Partial<Pick<SearchPlan, 'estimated_total_rows'>>;
    }
  | { readonly selectivity: number; readonly counts: Partial<SearchPlan> };

/**
 * The plan of an index search whose filter matched `rows` and more (a capped count): as many as
 * rows / total is the most selective the filter can be, so the budgets are sized for that
 * (statistics not gathered yet: assume 1%).
 */
function atLeast(options: {
  readonly rows: number;
  readonly total: number | undefined;
  readonly cutoff: number;
}): FilteredPlan {
  const { rows, total } = options;
  const known = total !== undefined && total >= 0;
  return {
    selectivity: known && total > rows ? Math.min(1, rows / total) : 0.01,
    counts: {
      matching_rows: rows,
      matching_rows_counted: 'at_least',
      exact_cutoff: options.cutoff,
      ...(known ? { estimated_total_rows: total } : {}),
    },
  };
}

/**
 * A filtered search on an indexed table: when this connection counted the filter's rows within
 * the cutoff a moment ago, the exact query alone (what a hand-written exact search sends); when it
 * counted more than the cutoff a moment ago, or by the planner's estimate far more rows match, the
 * index, sized to that; otherwise count them (capped) and, when they are few, compare them all —
 * in one statement. `cutoffOf` gives the cutoff for a table of so many rows (recallAwareCutoff).
 */
async function planFiltered(
  target: StatementTarget,
  query: SearchQuery,
  cutoffOf: (totalRows: number | undefined) => number,
): Promise<FilteredPlan> {
  const { db } = target;
  const memo = connectionMemo(db);
  const now = Date.now();
  const entry = memo.counts?.get(query.key);
  const remembered = entry !== undefined && isFresh(entry.at, now) ? entry : undefined;
  const rememberedCutoff = remembered === undefined ? 0 : cutoffOf(remembered.total);
  // Only an exact count says the rows are few: a capped one (at_least) is a lower bound, and the
  // cutoff may have grown since (a larger table, a caller's exactCutoff).
  if (remembered?.counted === 'exact' && remembered.rows <= rememberedCutoff) {
    return {
      results: await runExact(target, query),
      plan: {
        strategy: 'exact',
        reason: 'few_matching_rows',
        matching_rows: remembered.rows,
        matching_rows_counted: 'exact',
        exact_cutoff: rememberedCutoff,
      },
    };
  }
  const estimate = await cachedEstimate({
    runner: db.orm,
    table: query.table,
    where: query.where ?? sql`TRUE`,
    cache: memo,
    key: query.key,
    now,
  });
  const estimatedTotal = estimate === undefined ? undefined : Math.max(estimate.total, estimate.matching);
  const cutoff = cutoffOf(estimatedTotal);
  if (
    estimate !== undefined &&
    estimatedTotal !== undefined &&
    estimate.matching > ESTIMATE_MARGIN * cutoff
  ) {
    return {
      selectivity: Math.min(1, estimate.matching / estimatedTotal),
      counts: {
        matching_rows: Math.round(estimate.matching),
        matching_rows_counted: 'estimated',
        estimated_total_rows: estimatedTotal,
        exact_cutoff: cutoff,
      },
    };
  }
  // Counted past the cutoff a moment ago: counting again (up to the cutoff, as many rows as an
  // exact search reads) would only say so again.
  if (remembered?.counted === 'at_least' && remembered.rows > cutoff) {
    return atLeast({ rows: remembered.rows, total: remembered.total, cutoff });
  }
  const counted = await runCountedExact(target, query, cutoff);
  const total = counted.total >= 0 ? counted.total : undefined;
  memo.counts ??= new Map();
  const within = counted.matching <= cutoff;
  remember(memo.counts, query.key, {
    rows: counted.matching,
    counted: within ? 'exact' : 'at_least',
    total: within ? estimatedTotal : total,
    at: now,
  });
  if (!within) {
    return atLeast({ rows: counted.matching, total, cutoff });
  }
  return {
    results: counted.results,
    plan: {
      strategy: 'exact',
      reason: 'few_matching_rows',
      matching_rows: counted.matching,
      matching_rows_counted: 'exact',
      exact_cutoff: cutoff,
      ...(total === undefined ? {} : { estimated_total_rows: total }),
    },
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

/**
 * The filters' key in the connection's memos: the collection and the caller's key of the filter
 * when it has one (no SQL written out: filterKey costs as much as a quarter of a small search), else
 * from the SQL. The two kinds are JSON arrays of different lengths, so they never collide.
 */
function memoKey(table: NamespaceTable, where: SQL, options: NearestOptions): string {
  if (options.filter !== undefined && options.filterKey === undefined) return filterKey(table, where);
  return JSON.stringify([
    options.namespace.table_name,
    options.collectionName ?? null,
    options.filterKey ?? null,
  ]);
}

/** The statements' shared parts for one search: the table, the query vector, distances, filter. */
async function searchQueryOf(db: Database, options: NearestOptions): Promise<SearchQuery> {
  const { namespace } = options;
  const table = tableByName(namespace.table_name, namespace);
  // The query vector takes the column's type: its index serves only that type's operator.
  const vector = sql`${queryVector()}::${storageType(namespace.storage)}`;
  const distance = sql<number>`${table.embedding} <=> ${vector}`;
  const quantized = namespace.index_params.quantization === 'binary';
  const where = and(inCollection(table, options.collectionName), options.filter);
  return {
    table,
    vector: await searchVectorParam(db, { storage: namespace.storage, vector: options.vector }),
    distance,
    indexOrder: quantized
      ? sql`${binaryQuantized(sql`${table.embedding}`, namespace.dimensions)} <~> ${binaryQuantized(vector, namespace.dimensions)}`
      : distance,
    where,
    key: where === undefined ? '' : memoKey(table, where, options),
    options,
  };
}

/** The `limit` nearest rows by cosine similarity (≥ threshold), most similar first, and the plan. */
export async function searchNearest(db: Database, options: NearestOptions): Promise<NearestResult> {
  const query = await searchQueryOf(db, options);
  const quantized = options.namespace.index_params.quantization === 'binary';
  const target = targetOf(db, query.table);
  const floor = exactCutoffRows(options.namespace.dimensions);
  const plan = {
    index_type: options.namespace.index_type,
    exact_cutoff: options.exactCutoff ?? floor,
    settings: {},
    exact_fallback: false,
  };
  if (options.exact === true) {
    return {
      results: await runExact(target, query),
      plan: { ...plan, strategy: 'exact', reason: 'requested' },
    };
  }
  const index = await indexOf(db, options);
  if (index === undefined) {
    return {
      results: await runExact(target, query),
      plan: { ...plan, strategy: 'exact', reason: 'no_index' },
    };
  }
  const candidates = quantized ? rerankCandidates(options.limit, options.tuning?.oversample) : options.limit;
  let selectivity = 1;
  let counts: Partial<SearchPlan> = {};
  if (query.where !== undefined) {
    const cutoffOf = (totalRows: number | undefined) =>
      options.exactCutoff ??
      recallAwareCutoff({
        floor,
        type: index.type,
        totalRows,
        limit: candidates,
        tuning: options.tuning ?? {},
      });
    const filtered = await planFiltered(target, query, cutoffOf);
    if ('results' in filtered) return { results: filtered.results, plan: { ...plan, ...filtered.plan } };
    ({ selectivity, counts } = filtered);
  }
  const settings = {
    ...indexSettings({
      type: index.type,
      lists: index.lists,
      // ef_search covers every candidate: one HNSW scan returns at most ef_search rows.
      limit: candidates,
      selectivity,
      tuning: options.tuning ?? {},
      iterative: supportsIterativeScan(db.versions.pgvector),
    }),
    ...(query.where === undefined ? {} : INDEX_SCAN_ONLY),
  };
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
  // An unfiltered search with pgvector's defaults needs no settings; any other sends its settings
  // with the query, for the query alone (search-driver.ts).
  const settled = query.where === undefined && areDefaultSettings(settings);
  const approximate = await runIndexed(target, query, {
    candidates,
    ...(settled ? {} : { settings: { values: settings, citus: db.versions.citus !== undefined } }),
  });
  if (
    query.where === undefined ||
    options.exactFallback === false ||
    approximate.candidates >= options.limit
  ) {
    return { results: approximate.results, plan: indexed };
  }
  return { results: await runExact(target, query), plan: { ...indexed, exact_fallback: true } };
}
