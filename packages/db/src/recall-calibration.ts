// Recall targets: how right the ANN search is, measured on the namespace's own data, and the
// smallest index setting that meets the target. Stored vectors serve as queries; each query's own
// row is left out of both the exact truth and the index's answer (it would be found trivially and
// inflate recall). Calibration runs when the index is built or the table has doubled since, and on
// request; its result is stored in the registry and used by every search.
import { eq, sql } from 'drizzle-orm';
import { distributedReltuples, isCitus } from './citus-placement.js';
import { type Database, queryRow } from './database.js';
import { invalidArgument } from './db-errors.js';
import { parseVector } from './embedding-vector.js';
import { tableByName } from './namespace-table.js';
import type { NamespaceRecord } from './registry-types.js';
import { namespacesTable, type SearchTuningRecord } from './schema/registry.js';
import type { SearchPlan } from './search-plan.js';
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
  /** Stored vectors used as queries (default 50, at most 1,000). */
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
  readonly chunkId: string;
  readonly vector: number[];
}

/** Stored vectors as queries: a fixed pseudo-random choice (by hash), so runs are comparable. */
async function sampleQueries(db: Database, record: NamespaceRecord, count: number): Promise<SampledQuery[]> {
  const table = tableByName(record.table_name, record);
  const rows = await db.orm
    .select({ chunk_id: table.chunk_id, embedding: table.embedding })
    .from(table)
    .orderBy(sql`md5(${table.chunk_id})`)
    .limit(count);
  return rows.map((row) => ({ chunkId: row.chunk_id, vector: parseVector(row.embedding) }));
}

/** The top k without the query's own row (searches ask for k + 1). */
function othersOf(results: readonly SearchResult[], own: string): string[] {
  return results
    .map(([found]) => found.chunk_id)
    .filter((id) => id !== own)
    .slice(0, RECALL_K);
}

function overlap(truth: readonly string[], found: readonly string[]): number {
  if (truth.length === 0) return 1;
  const expected = new Set(truth);
  return found.filter((id) => expected.has(id)).length / truth.length;
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
    const truth = othersOf((await search(query.vector, { exact: true })).results, query.chunkId);
    const planned = await search(query.vector, { exact: false });
    strategies[planned.plan.strategy] += 1;
    if (planned.plan.strategy === 'index') settings = planned.plan.settings;
    total += overlap(truth, othersOf(planned.results, query.chunkId));
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
 * Finds the smallest `hnsw.ef_search` (or `ivfflat.probes`) whose unfiltered recall@10 on the
 * sample meets the namespace's target, and takes the next step up as a margin (the largest tried
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
  const base = { namespace: record, limit: RECALL_K + 1, includeVectors: false, indexMemo: memo } as const;
  const truths: string[][] = [];
  for (const query of queries) {
    const exact = await searchNearest(db, { ...base, vector: query.vector, exact: true });
    truths.push(othersOf(exact.results, query.chunkId));
  }
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
  let chosen: { step: number; recall: number } | undefined;
  // One step beyond the first that meets the target: stored vectors are easier queries than new
  // ones (each is a node of the graph, reached along its own edges) and the sample is small, so
  // the first step that meets the target on it tends to miss it on new queries (bench:search:
  // 0.937 at the calibrated ef_search 160 on 50,000 × 1536-d, 0.944 at 10 on 10,000 × 256-d).
  let met = false;
  for (const step of steps) {
    const tuning = tuningOf(step);
    let total = 0;
    for (const [position, query] of queries.entries()) {
      const found = await searchNearest(db, { ...base, vector: query.vector, tuning });
      total += overlap(truths[position] ?? [], othersOf(found.results, query.chunkId));
    }
    chosen = { step, recall: queries.length === 0 ? 1 : total / queries.length };
    if (met) break;
    met = chosen.recall >= record.recall_target;
  }
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
