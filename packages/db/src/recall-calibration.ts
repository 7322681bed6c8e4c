// Recall targets: how right the ANN search is, measured on the namespace's own data, and the
// smallest index setting that meets the target. Probe queries are made from the stored vectors
// (see sampleQueries). Calibration runs when the index is built or the table has doubled since, and on
// request; its result is stored in the registry and used by every search.
import { eq, sql } from 'drizzle-orm';
import {
  type NearestRows,
  positionsByKind,
  recallOfKinds,
  type SampledQuery,
  type StepRecall,
  sampleQueries,
  TIE_DISTANCE,
} from './calibration-probes.js';
import { distributedReltuples, isCitus } from './citus-placement.js';
import { type Database, queryRow } from './database.js';
import { invalidArgument } from './db-errors.js';
import { type Neighbour, nearestInParts } from './nearest-of-each.js';
import type { NamespaceRecord } from './registry-types.js';
import { namespacesTable, type SearchTuningRecord } from './schema/registry.js';
import { indexSettings, type SearchPlan, type SearchTuning } from './search-plan.js';
import { type SearchMemo, searchNearest } from './similarity-search.js';
import type { SearchResult } from './vector-store-types.js';

/** Queries a calibration or measurement uses by default. */
export const DEFAULT_RECALL_SAMPLE = 50;
/** Recall is measured at this k (recall@10), as the recall target is stated. */
export const RECALL_K = 10;
/** Probes a calibration uses by default: 50 of each kind (see sampleQueries). */
const CALIBRATION_SAMPLE = 100;
/** A table this many times larger than at its last calibration is calibrated again. */
const RECALIBRATE_GROWTH = 2;

const HNSW_EF_STEPS = [10, 16, 24, 32, 40, 56, 80, 112, 160, 224, 320, 448, 640, 1000];
/** Candidates per result of a binary-quantized search (90 × 11 results stays within ef_search 1,000). */
const OVERSAMPLE_STEPS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 90];

export interface RecallOptions {
  /**
   * Probe queries made from the stored vectors, half of each kind (calibrateSearch: default 100;
   * measureRecall: default 50; at most 1,000).
   */
  readonly sample?: number;
}

/** One search per sampled query, with what it ran as. */
type Search = (
  vector: number[],
  options: { readonly exact: boolean },
) => Promise<{
  readonly results: SearchResult[];
  readonly plan: SearchPlan;
}>;

export interface RecallMeasurement {
  readonly namespace: string;
  /**
   * Recall@k against an exact search with the same filter: the lower of the two probe kinds' mean
   * recall (see sampleQueries), as calibration reports it.
   */
  readonly recall: number;
  readonly k: number;
  readonly queries: number;
  readonly recall_target: number;
  readonly meets_target: boolean;
  /** How many of the searches ran exactly and how many through the index. */
  readonly strategies: { readonly exact: number; readonly index: number };
  /** The settings of the index searches (the last one's; they differ only with filter sizes). */
  readonly settings: Readonly<Record<string, string>>;
  readonly search_tuning: SearchTuningRecord;
}

function sampleSize(options: RecallOptions): number {
  const sample = options.sample ?? DEFAULT_RECALL_SAMPLE;
  if (!Number.isInteger(sample) || sample < 1 || sample > 1000) {
    throw invalidArgument('sample', 'must be a whole number of queries from 1 to 1000', sample);
  }
  return sample;
}

/**
 * The top k of a probe's rows. Searches ask for k + 1, as they did while a probe could be a stored
 * row left out of its own answer: the extra row keeps the settings (ef_search ≥ the limit) the
 * calibrations so far were measured with.
 */
function topK(found: readonly Neighbour[]): Neighbour[] {
  return found.slice(0, RECALL_K);
}

function neighboursOf(results: readonly SearchResult[]): Neighbour[] {
  return results.map(([found, similarity]) => ({ chunk_id: found.chunk_id, distance: 1 - similarity }));
}

/**
 * The share of the true k nearest the search found. A found row no farther than the k-th true
 * neighbour is one of them: rows at the same distance (duplicate texts have the same vector) are
 * interchangeable, so which of them a search returns is no miss. Counting them by id made a table
 * with duplicates (the bench's 10,000 chunks have 1,982 distinct vectors) miss the target at every
 * ef_search and calibrate the largest, 1,000.
 */
function overlap(truth: readonly Neighbour[], found: readonly Neighbour[]): number {
  const last = truth.at(-1);
  if (last === undefined) return 1;
  const within = found.filter((row) => row.distance <= last.distance + TIE_DISTANCE).length;
  return Math.min(within, truth.length) / truth.length;
}

/** Measures recall@10 of `search` (the planner as it runs) against exact search. */
export async function measureRecall(
  db: Database,
  record: NamespaceRecord,
  search: Search,
  options: RecallOptions & {
    readonly tuning: SearchTuningRecord;
    /** The handle's index description: the near probes' rows are found as calibration finds them. */
    readonly memo?: SearchMemo;
  },
): Promise<RecallMeasurement> {
  const queries = await sampleQueries(db, {
    record,
    count: sampleSize(options),
    nearest: rowNeighbours(db, { record, memo: options.memo }),
  });
  const found: number[] = [];
  const strategies = { exact: 0, index: 0 };
  let settings: Readonly<Record<string, string>> = {};
  for (const query of queries) {
    const truth = topK(neighboursOf((await search(query.vector, { exact: true })).results));
    const planned = await search(query.vector, { exact: false });
    strategies[planned.plan.strategy] += 1;
    if (planned.plan.strategy === 'index') settings = planned.plan.settings;
    found.push(overlap(truth, topK(neighboursOf(planned.results))));
  }
  // The lower of the two kinds' means, as calibration reports it.
  const measured = await recallOfKinds({
    byKind: positionsByKind(queries),
    target: record.recall_target,
    stopEarly: false,
    missOf: async (position) => 1 - (found[position] ?? 0),
  });
  const recall = measured?.recall ?? 1;
  return {
    namespace: record.namespace,
    recall,
    k: RECALL_K,
    queries: queries.length,
    recall_target: record.recall_target,
    meets_target: recall >= record.recall_target,
    strategies,
    settings,
    search_tuning: options.tuning,
  };
}

/** Rows in the table as PostgreSQL's statistics have them (-1 before the first ANALYZE). */
async function estimatedRows(db: Database, tableName: string): Promise<number> {
  if (isCitus(db)) return distributedReltuples(db.orm, tableName);
  const row = await queryRow<{ rows: number }>(
    db.orm,
    sql`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = to_regclass(quote_ident(${tableName}))`,
  );
  return Number(row?.rows ?? -1);
}

/**
 * The step to search with: one beyond the first that meets the target, or the largest when none
 * does, with its recall. `recallAt(step, true)` may stop early and return undefined once the step
 * cannot meet the target; `recallAt(step, false)` always measures every probe.
 */
export async function findStep(options: {
  readonly steps: readonly number[];
  readonly recallAt: (step: number, stopEarly: boolean) => Promise<StepRecall | undefined>;
}): Promise<{ readonly step: number; readonly recall: number } | undefined> {
  const { steps } = options;
  if (steps.length === 0) return undefined;
  const measured = new Map<number, StepRecall>();
  const meets = async (position: number): Promise<boolean> => {
    const recall = await options.recallAt(steps[position]!, true);
    if (recall !== undefined) measured.set(position, recall);
    return recall?.meets === true;
  };
  // Recall grows with the setting, so a binary search finds the first step that meets the target
  // in ~4 rounds of searches where walking the 14 HNSW steps took up to 14 (7.3 s of a 12,026-chunk
  // PGlite ingest); a round that fails stops after the probes that decide it. When no step meets
  // the target, the largest is taken.
  let low = 0;
  let high = steps.length - 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await meets(middle)) high = middle;
    else low = middle + 1;
  }
  // One step beyond the first that meets the target: the sample is small (50 probes of each
  // kind), so the first step that meets the target on it can miss it on other queries.
  const met = measured.has(low) ? measured.get(low)?.meets === true : await meets(low);
  const position = met ? Math.min(low + 1, steps.length - 1) : low;
  const recall =
    measured.get(position)?.recall ?? (await options.recallAt(steps[position]!, false))?.recall ?? 0;
  return { step: steps[position]!, recall };
}

/** Whether calibration can find many probes' neighbours in one statement (nearestOfEach). */
function batches(db: Database, record: NamespaceRecord): boolean {
  return record.index_params.quantization !== 'binary' && !isCitus(db);
}

/**
 * The `limit` nearest rows of each probe in one statement (nearestInParts): through the index with
 * the settings an unfiltered planned search would use at `tuning`, or exactly when `tuning` is
 * undefined or `memo` describes no index.
 */
function batchedNearest(
  db: Database,
  options: {
    readonly record: NamespaceRecord;
    readonly memo: SearchMemo | undefined;
    readonly probes: readonly (readonly number[])[];
    readonly limit: number;
    readonly tuning: SearchTuning | undefined;
  },
): Promise<Neighbour[][]> {
  const { record, limit, tuning } = options;
  const index = options.memo?.description;
  const settings =
    tuning === undefined || index === undefined
      ? undefined
      : indexSettings({ ...index, limit, selectivity: 1, tuning, iterative: false });
  return nearestInParts(db, {
    tableName: record.table_name,
    storage: record.storage,
    probes: options.probes,
    k: limit,
    settings,
  });
}

/**
 * The two nearest rows of each vector, for the near probes' distances (sampleQueries): through
 * the index at pgvector's default settings when `memo` describes one (the vectors are stored rows,
 * which any setting finds), else exactly; one statement for all where batches() allows.
 */
function rowNeighbours(
  db: Database,
  options: { readonly record: NamespaceRecord; readonly memo: SearchMemo | undefined },
): NearestRows {
  const { record, memo } = options;
  const index = memo?.description;
  if (batches(db, record))
    return (vectors) => batchedNearest(db, { record, memo, probes: vectors, limit: 2, tuning: {} });
  return async (vectors) => {
    const found: Neighbour[][] = [];
    for (const vector of vectors) {
      const searched = await searchNearest(db, {
        namespace: record,
        vector,
        limit: 2,
        includeVectors: false,
        exact: index === undefined,
        ...(memo === undefined ? {} : { indexMemo: memo }),
      });
      found.push(neighboursOf(searched.results));
    }
    return found;
  };
}

/** The k + 1 nearest chunk ids of each probe (by position) at a setting, or exactly (undefined). */
type NearestAt = (step: number | undefined) => Promise<(position: number) => Promise<Neighbour[]>>;

/**
 * How calibration finds the probes' neighbours. `batched`: all probes in one statement per setting
 * (nearestInParts), with the settings an unfiltered planned search of k + 1 rows would use. Else
 * (a binary-quantized index re-ranks its candidates; Citus takes no LATERAL join over a distributed
 * table) one planned search per probe, made only when asked, so a failing round stops early.
 */
function nearestFinder(
  db: Database,
  options: {
    readonly record: NamespaceRecord;
    readonly memo: SearchMemo;
    readonly queries: readonly SampledQuery[];
    readonly tuningOf: (step: number) => SearchTuning;
    readonly batched: boolean;
  },
): NearestAt {
  const { record, memo, queries, tuningOf } = options;
  const limit = RECALL_K + 1;
  if (options.batched) {
    // A step is measured once: the final round may ask again for a step a search round measured.
    const measured = new Map<number | undefined, Promise<Neighbour[][]>>();
    const probes = queries.map((query) => query.vector);
    const find = (step: number | undefined) =>
      batchedNearest(db, {
        record,
        memo,
        probes,
        limit,
        tuning: step === undefined ? undefined : tuningOf(step),
      });
    return async (step) => {
      let found = measured.get(step);
      if (found === undefined) {
        found = find(step);
        measured.set(step, found);
      }
      const all = await found;
      return async (position) => all[position] ?? [];
    };
  }
  const base = { namespace: record, limit, includeVectors: false, indexMemo: memo } as const;
  return async (step) => async (position) => {
    const vector = queries[position]?.vector ?? [];
    const searched =
      step === undefined
        ? await searchNearest(db, { ...base, vector, exact: true })
        : await searchNearest(db, { ...base, vector, tuning: tuningOf(step) });
    return neighboursOf(searched.results);
  };
}

/**
 * Finds the smallest `hnsw.ef_search` (or `ivfflat.probes`) at which each kind of probe meets its
 * target (kindTarget: the midpoints halfway from the namespace's target to 1, the near probes the
 * target itself), and takes the next step up as a margin (the largest tried when none does);
 * stores it in the registry and returns it. Needs the ANN index to exist.
 */
export async function calibrateSearch(
  db: Database,
  record: NamespaceRecord,
  memo: SearchMemo,
  options: RecallOptions = {},
): Promise<SearchTuningRecord> {
  const index = memo.description;
  if (index === undefined) return memo.tuning ?? record.search_tuning;
  const queries = await sampleQueries(db, {
    record,
    count: sampleSize({ sample: CALIBRATION_SAMPLE, ...options }),
    nearest: rowNeighbours(db, { record, memo }),
  });
  // A quantized index's recall is set by how many candidates are re-ranked, not by ef_search.
  const quantized = record.index_params.quantization === 'binary';
  const tuningOf = (step: number) =>
    quantized ? { oversample: step } : index.type === 'hnsw' ? { ef_search: step } : { probes: step };
  const steps = quantized
    ? OVERSAMPLE_STEPS
    : index.type === 'hnsw'
      ? HNSW_EF_STEPS
      : [...new Set([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, index.lists ?? 100])]
          .filter((probes) => probes <= (index.lists ?? 100))
          .sort((a, b) => a - b);
  const nearest = nearestFinder(db, { record, memo, queries, tuningOf, batched: batches(db, record) });
  const exact = await nearest(undefined);
  const truths: Neighbour[][] = [];
  for (const position of queries.keys()) truths.push(topK(await exact(position)));
  const byKind = positionsByKind(queries);
  const chosen = await findStep({
    steps,
    recallAt: async (step, stopEarly) => {
      const found = await nearest(step);
      return recallOfKinds({
        byKind,
        target: record.recall_target,
        stopEarly,
        missOf: async (position) => 1 - overlap(truths[position] ?? [], topK(await found(position))),
      });
    },
  });
  const rows = await estimatedRows(db, record.table_name);
  const tuning: SearchTuningRecord = {
    ...(chosen === undefined ? {} : tuningOf(chosen.step)),
    ...(chosen === undefined ? {} : { recall: Math.round(chosen.recall * 1000) / 1000 }),
    calibrated_rows: Math.max(rows, 0),
    calibrated_at: new Date().toISOString(),
  };
  await db.orm
    .update(namespacesTable)
    .set({ search_tuning: tuning })
    .where(eq(namespacesTable.namespace, record.namespace));
  memo.tuning = tuning;
  return tuning;
}

/**
 * After a write: calibrates when the index was just built, when an indexed namespace has never
 * been calibrated (checked once per handle), or when the table has doubled since its calibration.
 */
export async function calibrateIfDue(
  db: Database,
  record: NamespaceRecord,
  memo: SearchMemo,
  options: { readonly indexBuilt: boolean; readonly describe: () => Promise<unknown> },
): Promise<void> {
  if (record.index_type === 'none') return;
  const tuning = memo.tuning ?? record.search_tuning;
  if (options.indexBuilt) {
    memo.description = undefined;
  } else if (tuning.calibrated_rows === undefined) {
    if (memo.uncalibratedChecked === true) return;
    memo.uncalibratedChecked = true;
  } else {
    const rows = await estimatedRows(db, record.table_name);
    if (rows < RECALIBRATE_GROWTH * Math.max(tuning.calibrated_rows, 1)) return;
  }
  await options.describe();
  if (memo.description === undefined) return;
  await calibrateSearch(db, record, memo);
}
