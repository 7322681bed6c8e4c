// How one search runs, decided per search from what the filters match. pgvector's planner does not
// model what a selective filter costs an ANN scan (the index yields neighbours that the filter then
// throws away), so the library decides itself: few matching rows are compared exactly (through the
// B-tree/GIN indexes of the filters, perfect recall), many go through the ANN index with an
// iterative scan whose budgets grow as the filter gets more selective.
import type { VectorIndexType } from './schema/registry.js';

/** pgvector's default `hnsw.ef_search`. */
export const DEFAULT_EF_SEARCH = 40;
/** pgvector's default `hnsw.max_scan_tuples`. */
const DEFAULT_MAX_SCAN_TUPLES = 20_000;
/** The largest `hnsw.ef_search` pgvector accepts. */
const MAX_EF_SEARCH = 1000;

/**
 * Candidates per result a binary-quantized search re-ranks until calibrated (the pgvector README's
 * example re-ranks 20 candidates for 5 results).
 */
export const DEFAULT_OVERSAMPLE = 4;

/**
 * How many candidates a binary-quantized search takes from its index to re-rank by exact distance:
 * `limit × oversample`, within what one HNSW scan returns (ef_search ≤ 1,000).
 */
export function rerankCandidates(limit: number, oversample: number | undefined): number {
  return Math.min(MAX_EF_SEARCH, Math.max(limit, limit * (oversample ?? DEFAULT_OVERSAMPLE)));
}

/** Why the plan is what it is. */
export type PlanReason =
  /** `exact: true` was passed. */
  | 'requested'
  /** The namespace has no ANN index (policy `none`, or below its index threshold). */
  | 'no_index'
  /** No filter: the ANN index, with the namespace's calibrated settings. */
  | 'unfiltered'
  /** The filters match at most `exact_cutoff` rows: comparing them all is cheaper and exact. */
  | 'few_matching_rows'
  /** The filters match more rows than `exact_cutoff`: the ANN index with an iterative scan. */
  | 'many_matching_rows';

/** The plan a search ran with, as `explain: true` returns it. */
export interface SearchPlan {
  /** `exact`: every row that passes the filters was compared; `index`: the ANN index served it. */
  readonly strategy: 'exact' | 'index';
  readonly reason: PlanReason;
  readonly index_type: VectorIndexType;
  /**
   * Rows the filters match, counted up to `exact_cutoff + 1`: exact when at most the cutoff, a
   * lower bound otherwise; or PostgreSQL's estimate when that is far above the cutoff
   * (`matching_rows_counted` says which). A count within the cutoff is remembered on the
   * connection for a minute: a search with the same filter in that time reports it and skips the
   * count.
   * Undefined for unfiltered searches.
   */
  readonly matching_rows?: number;
  readonly matching_rows_counted?: 'exact' | 'at_least' | 'estimated';
  /** Rows in the namespace as PostgreSQL's statistics estimate them (undefined before ANALYZE). */
  readonly estimated_total_rows?: number;
  /** The fraction of rows the plan assumed to pass the filters (1 when unfiltered). */
  readonly assumed_selectivity?: number;
  /**
   * Matching rows up to which a filtered search is exact: recallAwareCutoff for the table's
   * estimated rows and calibrated settings (or the caller's `exactCutoff`); exactCutoffRows for an
   * unfiltered search.
   */
  readonly exact_cutoff: number;
  /** The settings the search ran with, for its own transaction only (name → value). */
  readonly settings: Readonly<Record<string, string>>;
  /** The index scan found fewer than `limit` rows, so the search ran again exactly. */
  readonly exact_fallback: boolean;
  /**
   * Binary-quantized index: the candidates taken by Hamming distance and re-ranked by exact cosine
   * distance (`limit × oversample`).
   */
  readonly rerank_candidates?: number;
}

/** Search settings the namespace was calibrated to (see recall calibration). */
export interface SearchTuning {
  /** `hnsw.ef_search` from calibration: a step above the smallest that met the recall target. */
  readonly ef_search?: number;
  /** `ivfflat.probes` from calibration: a step above the smallest that met the recall target. */
  readonly probes?: number;
  /** Binary-quantized HNSW: smallest candidates-per-result factor that met the recall target. */
  readonly oversample?: number;
}

/**
 * Matching rows up to which a filtered search compares every row instead of using the ANN index.
 * Measured by `pnpm bench:search` (docs/benchmarks.md, "Search: planner, recall targets,
 * overhead", cutoff crossing, which EXPLAINs the ANN side to show it ran as an HNSW index scan):
 * exact search and the iterative HNSW scan with the planner's budgets take equally long at about
 * 3,300 matching rows on PostgreSQL 15 + pgvector 0.8 (50,000 × 1536-d; level within 5% from
 * 2,000 to 16,000) and at 2,200 to 3,600 on PGlite (two runs, 10,000 × 256-d, up to 4,000). Both
 * cost a distance per row or candidate, so the crossing hardly moves with the dimensions: one
 * cutoff for all (the earlier estimate, 6,000,000 / (dimensions + 64) rows, was 18,750 at 256-d,
 * far past the crossing).
 */
export const EXACT_CUTOFF_ROWS = 3750;

/** The exact cutoff for a namespace of `dimensions` (the same for every dimension; see above). */
export function exactCutoffRows(_dimensions: number): number {
  return EXACT_CUTOFF_ROWS;
}

/** IVFFlat probes for an unfiltered search: about 2·√lists (pgvector suggests √lists to start). */
export function defaultProbes(lists: number): number {
  return Math.max(1, Math.min(lists, 2 * Math.ceil(Math.sqrt(lists))));
}

/**
 * How fast the candidate list a filtered HNSW search needs grows as the filter gets more
 * selective: base × selectivity^-1.5. A filter that passes a fraction `selectivity` of rows,
 * scattered independently of the vectors, puts its k-th row near the (k / selectivity)-th nearest
 * overall, and a graph search must be right that deep; at the same candidates per result it is
 * less right the deeper it goes, so 1 / selectivity (the earlier rule) fell short. Measured on the
 * search bench's table (PostgreSQL, 50,000 × 1536-d, calibrated ef_search 224 with probe recall
 * 0.997; 60 midpoint probes, filters on a hash of the id, relaxed_order iterative scan), recall@10
 * at base / selectivity was 0.95 at 25%, 0.94 at 32%, 0.98 at 50% and 0.996 at 75%; the
 * ef_search that first reached the probe target 0.975 was ~1,200 (25%), 1,000 (32%), ~370 (50%)
 * and under 224 (75%), within base × selectivity^-1.5 (1,792, 1,237, 634, 345).
 */
const FILTER_DEPTH_EXPONENT = 1.5;

/**
 * Any filter doubles the candidate list besides: real queries lie farther from the rows than the
 * calibration's probes, and filtered search loses more on them. The bench's own queries on the
 * same table (rebuilt, calibrated ef_search 160, unfiltered recall 0.940) reached recall@10 0.902
 * at 64% with base × selectivity^-1.5 (ef_search 313); they needed ~600 for 0.95 at 64% and
 * ~850 at 32% (0.956 at 640 and 0.970 at 1,000): 2 × base × selectivity^-1.5 (624; the cap).
 */
const FILTERED_EF_FACTOR = 2;

/** HNSW: the candidate list a filtered search needs, `base` for the unfiltered top k (see above). */
function filteredEfSearch(base: number, selectivity: number): number {
  if (selectivity >= 1) return base;
  const needed = FILTERED_EF_FACTOR * base * selectivity ** -FILTER_DEPTH_EXPONENT;
  return Math.min(MAX_EF_SEARCH, Math.ceil(needed));
}

/**
 * The settings of an ANN search: `selectivity` is the fraction of rows the filters are assumed to
 * pass (1 when unfiltered). A selective filter throws most neighbours away, so the HNSW candidate
 * list is 2 × base × selectivity^-1.5 (filteredEfSearch) and IVFFlat probes with 1/√selectivity, and the
 * iterative scan may visit enough tuples to find `limit` passing rows (about limit/selectivity,
 * with room to spare), within memory that grows with 1/√selectivity.
 */
export function indexSettings(options: {
  readonly type: 'hnsw' | 'ivfflat';
  readonly lists: number | undefined;
  readonly limit: number;
  readonly selectivity: number;
  readonly tuning: SearchTuning;
  readonly iterative: boolean;
}): Record<string, string> {
  const { limit, tuning } = options;
  const selectivity = Math.min(1, Math.max(options.selectivity, 1e-6));
  const filtered = selectivity < 1;
  const widen = filtered ? 1 / Math.sqrt(selectivity) : 1;
  if (options.type === 'hnsw') {
    const efSearch = filteredEfSearch(hnswBase(limit, tuning), selectivity);
    const settings: Record<string, string> = { 'hnsw.ef_search': String(efSearch) };
    if (filtered && options.iterative) {
      settings['hnsw.iterative_scan'] = 'relaxed_order';
      const tuples = Math.ceil((4 * Math.max(efSearch, limit)) / selectivity);
      settings['hnsw.max_scan_tuples'] = String(Math.max(DEFAULT_MAX_SCAN_TUPLES, tuples));
      settings['hnsw.scan_mem_multiplier'] = String(Math.min(16, Math.max(2, Math.ceil(widen))));
    }
    return settings;
  }
  const lists = options.lists ?? 100;
  const base = tuning.probes ?? defaultProbes(lists);
  const settings: Record<string, string> = {
    'ivfflat.probes': String(Math.min(lists, Math.ceil(base * widen))),
  };
  if (filtered && options.iterative) {
    settings['ivfflat.iterative_scan'] = 'relaxed_order';
    settings['ivfflat.max_probes'] = String(lists);
  }
  return settings;
}

/** The unfiltered HNSW candidate list for the top `limit`: the calibrated one, at least `limit`. */
function hnswBase(limit: number, tuning: SearchTuning): number {
  return Math.max(limit, tuning.ef_search ?? DEFAULT_EF_SEARCH);
}

/**
 * What one unit of `hnsw.ef_search` costs a filtered HNSW search, in rows an exact search compares
 * in the same time. From the bench's cutoff crossing on PostgreSQL (50,000 × 1536-d): the iterative
 * scan took 22.8, 30.9 and 40.3 ms at ef_search 396, 560 and 792, where exact search compared
 * 16,000 rows in 51.2 ms — 15.8 to 18 rows per unit. Both sides cost a distance per row or
 * candidate, so the ratio hardly moves with the dimensions.
 */
export const ROWS_PER_EF_SEARCH = 16;

/**
 * Exact search may cost up to this many times what the ANN side costs at its largest candidate
 * list (ROWS_PER_EF_SEARCH × 1,000 rows) when that list cannot meet the recall target. On the
 * bench's table (50,000 rows) exact over the 18,500 rows of a 37% filter (about the most it needs
 * there) took 58 ms at p50, the ANN scan at ef_search 1,000 56 ms (recall 0.984 on midpoint probes).
 */
const EXACT_COST_LIMIT = 2;

/**
 * Matching rows up to which a filtered search is exact: the recall-aware cutoff. The ANN side
 * needs ef(m) = filteredEfSearch(base, m / total) = 2 × base × (total / m)^1.5 candidates to meet
 * the recall target and costs about ROWS_PER_EF_SEARCH rows per candidate, so exact search over m
 * matching rows is the faster way to the target while m ≤ ROWS_PER_EF_SEARCH × ef(m), up to the
 * crossing m = (ROWS_PER_EF_SEARCH × 2 × base × total^1.5)^(1 / 2.5). Below
 * total × (2 × base / 1,000)^(1 / 1.5)
 * matching rows the ANN side would need more than pgvector's 1,000 candidates and cannot meet the
 * target at all, so those are exact too — but never more than EXACT_COST_LIMIT × ROWS_PER_EF_SEARCH
 * × 1,000 rows (on a large table a filter between that and the recall limit runs at ef_search 1,000
 * and may fall short of the target). Never below `floor` (exactCutoffRows: where exact is as fast
 * as the ANN scan's own budgets). IVFFlat, or no estimate of the table's rows: `floor`.
 */
export function recallAwareCutoff(options: {
  readonly floor: number;
  readonly type: VectorIndexType;
  readonly totalRows: number | undefined;
  readonly limit: number;
  readonly tuning: SearchTuning;
}): number {
  const { floor, totalRows } = options;
  if (options.type !== 'hnsw' || totalRows === undefined || !(totalRows > 0)) return floor;
  const base = hnswBase(options.limit, options.tuning);
  const exponent = FILTER_DEPTH_EXPONENT;
  const filteredBase = FILTERED_EF_FACTOR * base;
  const crossing = (ROWS_PER_EF_SEARCH * filteredBase * totalRows ** exponent) ** (1 / (1 + exponent));
  const recallLimit = totalRows * Math.min(1, filteredBase / MAX_EF_SEARCH) ** (1 / exponent);
  const most = EXACT_COST_LIMIT * ROWS_PER_EF_SEARCH * MAX_EF_SEARCH;
  return Math.max(floor, Math.ceil(Math.min(Math.max(crossing, recallLimit), most)));
}

/**
 * Sent with every filtered ANN search besides pgvector's settings: with no Sort allowed, the ANN
 * index's ordered scan is the one plan left, so the strategy the planner chose is the one that
 * runs. Search statements are prepared, and after five runs PostgreSQL may keep a generic plan,
 * costed without the filter's values: for `metadata @> $n` it assumes a tiny share of rows match
 * and prefers the GIN bitmap scan and a sort, an exact scan of every matching row (measured: 7,000
 * of 50,000 rows read for a 14% filter while the plan said index, and recall calibration measured
 * recall 1 at every setting). The planner has already weighed the filter's real estimate.
 */
export const INDEX_SCAN_ONLY: Readonly<Record<string, string>> = { enable_sort: 'off' };

/** Whether the settings are pgvector's defaults for the query, so no transaction is needed. */
export function areDefaultSettings(settings: Readonly<Record<string, string>>): boolean {
  const names = Object.keys(settings);
  return (
    names.length === 0 || (names.length === 1 && settings['hnsw.ef_search'] === String(DEFAULT_EF_SEARCH))
  );
}
