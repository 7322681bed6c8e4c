// Recall targets: how right the ANN search is, measured on the namespace's own data, and the
// smallest index setting that meets the target. Probe queries are made from the stored vectors
// (see sampleQueries). Calibration runs when the index is built or the table has doubled since, and on
// request; its result is stored in the registry and used by every search.
import { eq, sql } from 'drizzle-orm';
import { distributedReltuples, isCitus } from './citus-placement.js';
import { type Database, queryRow } from './database.js';
import { invalidArgument } from './db-errors.js';
import { parseVector } from './embedding-vector.js';
import { tableByName } from './namespace-table.js';
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
/** A table this many times larger than at its last calibration is calibrated again. */
const RECALIBRATE_GROWTH = 2;

const HNSW_EF_STEPS = [10, 16, 24, 32, 40, 56, 80, 112, 160, 224, 320, 448, 640, 1000];
/** Candidates per result of a binary-quantized search (90 × 11 results stays within ef_search 1,000). */
const OVERSAMPLE_STEPS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 90];

export interface RecallOptions {
  /** Probe queries made from stored vectors (default 50, at most 1,000). */
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
  /** Mean recall@k over the sampled queries against an exact search with the same filter. */
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

interface SampledQuery {
  /** The stored row the query must not count (none for a probe between two rows). */
  readonly chunkId: string;
  readonly vector: number[];
}

/** The normalised sum of two vectors: the direction halfway between them. */
function midpoint(a: readonly number[], b: readonly number[]): number[] {
  const sum = a.map((value, index) => value + (b[index] ?? 0));
  let squares = 0;
  for (const value of sum) squares += value * value;
  const norm = Math.sqrt(squares);
  return norm === 0 ? [...a] : sum.map((value) => value / norm);
}

/**
 * Probe queries from the namespace's own data: each is the point halfway between two stored
 * vectors (a fixed pseudo-random choice by hash, so runs are comparable). A stored vector itself
 * is a poor probe: it is a node of the HNSW graph, reached along its own edges, so its neighbours
 * are found at any ef_search (an ingest of 12,026 local-provider chunks calibrated ef_search 16 on
 * stored vectors and then answered new queries with recall 0.47–0.69). A midpoint is no row, lies
 * as far from its nearest rows as a typical query does (cosine √((1 + c) / 2) to both, for rows at
 * cosine c), and has neighbours in two regions, so the setting it needs errs toward recall.
 * A stored vector with noise added is no better: on the ingest bench's 12,026 local-provider
 * chunks (HNSW, PGlite), text queries had recall@10 0.58 at ef_search 40, 0.82 at 320 and 0.95 at
 * 1,000, midpoints 0.48, 0.59 and 0.77, but stored vectors with Gaussian noise of the rows'
 * median nearest-neighbour distance already 0.97 at ef_search 10 (their 10th neighbour at cosine
 * distance 0.24, a text query's at 0.73): calibrated on those, search would run at ef_search 16 and
 * miss half the neighbours of real queries.
 */
async function sampleQueries(db: Database, record: NamespaceRecord, count: number): Promise<SampledQuery[]> {
  const table = tableByName(record.table_name, record);
  const rows = await db.orm
    .select({ chunk_id: table.chunk_id, embedding: table.embedding })
    .from(table)
    .orderBy(sql`md5(${table.chunk_id})`)
    .limit(count + 1);
  const vectors = rows.map((row) => parseVector(row.embedding));
  // A table of one row has no pair: its only row is the probe, left out of its own answer.
  if (vectors.length < 2)
    return rows.map((row, index) => ({ chunkId: row.chunk_id, vector: vectors[index]! }));
  // The last probe pairs with the first row when the table holds no more rows than probes.
  return vectors.slice(0, count).map((vector, index) => ({
    chunkId: '',
    vector: midpoint(vector, vectors[(index + 1) % vectors.length]!),
  }));
}

/** The top k without the query's own row (searches ask for k + 1). */
function othersOf(found: readonly Neighbour[], own: string): Neighbour[] {
  return found.filter((row) => row.chunk_id !== own).slice(0, RECALL_K);
}

function neighboursOf(results: readonly SearchResult[]): Neighbour[] {
  return results.map(([found, similarity]) => ({ chunk_id: found.chunk_id, distance: 1 - similarity }));
}

/** Distances this close count as equal: the same stored vector read back, rounding aside. */
const TIE_DISTANCE = 1e-6;

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
  options: RecallOptions & { readonly tuning: SearchTuningRecord },
): Promise<RecallMeasurement> {
  const queries = await sampleQueries(db, record, sampleSize(options));
  let total = 0;
  const strategies = { exact: 0, index: 0 };
  let settings: Readonly<Record<string, string>> = {};
  for (const query of queries) {
    const truth = othersOf(
      neighboursOf((await search(query.vector, { exact: true })).results),
      query.chunkId,
    );
    const planned = await search(query.vector, { exact: false });
    strategies[planned.plan.strategy] += 1;
    if (planned.plan.strategy === 'index') settings = planned.plan.settings;
    total += overlap(truth, othersOf(neighboursOf(planned.results), query.chunkId));
  }
  const recall = queries.length === 0 ? 1 : total / queries.length;
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
 * Mean recall over `probes` probes, each missing `missOf(position)` of its true neighbours (0 to 1).
 * The mean meets `target` only while the misses stay within (1 - target) × probes; with `stopEarly`
 * the probes stop as soon as they exceed that, and the result is undefined (the step failed).
 */
export async function probeRecall(options: {
  readonly probes: number;
  readonly target: number;
  readonly stopEarly: boolean;
  readonly missOf: (position: number) => Promise<number>;
}): Promise<number | undefined> {
  const { probes } = options;
  const allowed = (1 - options.target) * probes + 1e-9;
  let missed = 0;
  for (let position = 0; position < probes; position++) {
    missed += await options.missOf(position);
    if (options.stopEarly && missed > allowed) return undefined;
  }
  return probes === 0 ? 1 : 1 - missed / probes;
}

/**
 * The step to search with: one beyond the first whose recall meets `target`, or the largest when
 * none does, with its recall. `recallAt(step, true)` may stop early and return undefined once the
 * step cannot meet the target; `recallAt(step, false)` always measures every probe.
 */
export async function findStep(options: {
  readonly steps: readonly number[];
  readonly target: number;
  readonly recallAt: (step: number, stopEarly: boolean) => Promise<number | undefined>;
}): Promise<{ readonly step: number; readonly recall: number } | undefined> {
  const { steps, target } = options;
  if (steps.length === 0) return undefined;
  const measured = new Map<number, number>();
  const meets = async (position: number): Promise<boolean> => {
    const recall = await options.recallAt(steps[position]!, true);
    if (recall !== undefined) measured.set(position, recall);
    return recall !== undefined && recall >= target;
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
  // One step beyond the first that meets the target: the sample is small (50 probes), so the first
  // step that meets the target on it can miss it on other queries (with stored vectors as probes,
  // bench:search measured 0.937 at the calibrated ef_search 160 on 50,000 × 1536-d).
  const met = measured.has(low) ? (measured.get(low) ?? 0) >= target : await meets(low);
  const position = met ? Math.min(low + 1, steps.length - 1) : low;
  const recall = measured.get(position) ?? (await options.recallAt(steps[position]!, false)) ?? 0;
  return { step: steps[position]!, recall };
}

/**
 * The recall the probes must reach for a namespace's target: halfway from the target to 1 (0.975
 * for 0.95), so the probes may miss half of what the target allows. Probes stand in for queries
 * the namespace has not seen, and on some data they are easier than those: on 50,000 × 1536-d
 * Gaussian vectors bench:search measured 0.922 for its queries at the ef_search 112 whose probe
 * recall was 0.974 (target 0.95, one step of margin already taken).
 */
export function probeTarget(target: number): number {
  return Math.min(1, target + (1 - target) / 2);
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
    const find = (step: number | undefined) => {
      const index = memo.description;
      const settings =
        step === undefined || index === undefined
          ? undefined
          : indexSettings({ ...index, limit, selectivity: 1, tuning: tuningOf(step), iterative: false });
      return nearestInParts(db, {
        tableName: record.table_name,
        storage: record.storage,
        probes: queries.map((query) => query.vector),
        k: limit,
        settings,
      });
    };
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
 * Finds the smallest `hnsw.ef_search` (or `ivfflat.probes`) whose unfiltered recall@10 on the
 * sample meets the probe target (probeTarget of the namespace's), and takes the next step up as a margin (the largest tried
 * when none does); stores it in the registry and returns it. Needs the ANN index to exist.
 */
export async function calibrateSearch(
  db: Database,
  record: NamespaceRecord,
  memo: SearchMemo,
  options: RecallOptions = {},
): Promise<SearchTuningRecord> {
  const index = memo.description;
  if (index === undefined) return memo.tuning ?? record.search_tuning;
  const queries = await sampleQueries(db, record, sampleSize(options));
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
  const nearest = nearestFinder(db, { record, memo, queries, tuningOf, batched: !quantized && !isCitus(db) });
  const exact = await nearest(undefined);
  const truths: Neighbour[][] = [];
  for (const [position, query] of queries.entries())
    truths.push(othersOf(await exact(position), query.chunkId));
  const target = probeTarget(record.recall_target);
  const chosen = await findStep({
    steps,
    target,
    recallAt: async (step, stopEarly) => {
      const found = await nearest(step);
      return probeRecall({
        probes: queries.length,
        target,
        stopEarly,
        missOf: async (position) =>
          1 - overlap(truths[position] ?? [], othersOf(await found(position), queries[position]!.chunkId)),
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
