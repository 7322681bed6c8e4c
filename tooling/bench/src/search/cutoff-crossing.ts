// The cutoff-crossing section: for filters matching a given number of rows around the planner's
// exact cutoff, how long an exact search over them takes against an ANN search with the iterative
// scan budgets the planner would give it — the measurement behind exactCutoffRows.
import { indexSettings, type SearchTuning } from '@dynamic-embeddings/db';
import type { Sql } from 'postgres';
import type { Dataset } from './dataset.js';
import { explainRaw } from './explain-peers.js';
import { measureSystems } from './measure-search.js';
import { type OurSystem, RESULT_LIMIT, rawSqlSearch } from './search-systems.js';
import type { Workload } from './workloads.js';

/** Turns off the plans that would read the filter's rows exactly, leaving the ANN index scan. */
export const FORCE_INDEX: Readonly<Record<string, string>> = {
  enable_seqscan: 'off',
  enable_bitmapscan: 'off',
};

export interface CrossingPoint {
  /** Rows the filter matches. */
  readonly size: number;
  readonly exactP50: number;
  readonly annP50: number;
  readonly annRecall: number;
  readonly annSettings: Readonly<Record<string, string>>;
  /** EXPLAIN of the ANN side's first query: whether it really ran as an HNSW index scan. */
  readonly annPlan: string;
  /** What ours ran (strategy of its plans) and its p50. */
  readonly oursStrategy: string;
  readonly oursP50: number;
  readonly oursRecall: number;
}

export async function measureCrossing(options: {
  readonly sql: Sql;
  readonly tableName: string;
  readonly dataset: Dataset;
  readonly ours: OurSystem;
  readonly tuning: SearchTuning;
  readonly workloads: readonly Workload[];
  readonly log: (message: string) => void;
}): Promise<CrossingPoint[]> {
  const { sql, tableName, dataset, ours } = options;
  const points: CrossingPoint[] = [];
  for (const workload of options.workloads) {
    const annSettings = indexSettings({
      type: 'hnsw',
      lists: undefined,
      limit: RESULT_LIMIT,
      selectivity: workload.available / dataset.rows,
      tuning: options.tuning,
      iterative: true,
    });
    const exact = rawSqlSearch({ name: 'exact', sql, tableName, exact: true });
    // PostgreSQL may serve the ANN-shaped query exactly through the filter's index when it costs
    // less by its model; the crossing needs the index scan's own cost, so that path is forced.
    const ann = rawSqlSearch({ name: 'ANN', sql, tableName, settings: { ...annSettings, ...FORCE_INDEX } });
    const annPlan = await explainRaw({
      sql,
      tableName,
      query: workload.queries[0]!,
      exact: false,
      settings: { ...annSettings, ...FORCE_INDEX },
    });
    ours.plans.length = 0;
    const [exactM, annM, oursM] = await measureSystems({ systems: [exact, ann, ours], workload, dataset });
    const strategies = [...new Set(ours.plans.map((plan) => plan.strategy))].join(' + ');
    points.push({
      size: workload.available,
      exactP50: exactM!.latency.p50,
      annP50: annM!.latency.p50,
      annRecall: annM!.recall,
      annSettings,
      annPlan,
      oursStrategy: strategies,
      oursP50: oursM!.latency.p50,
      oursRecall: oursM!.recall,
    });
    options.log(
      `crossing ${workload.available} rows: exact ${exactM!.latency.p50.toFixed(2)} ms, ANN ${annM!.latency.p50.toFixed(2)} ms (recall ${annM!.recall.toFixed(3)}), ours ${strategies} ${oursM!.latency.p50.toFixed(2)} ms`,
    );
  }
  return points;
}

/**
 * The number of matching rows at which exact and ANN take equally long, interpolated on a log-log
 * scale between the two measured sizes that bracket it (exact grows with the rows, the ANN search
 * shrinks as the filter loosens). Undefined when one side is faster at every size measured.
 */
export function crossingRows(points: readonly CrossingPoint[]): number | undefined {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  for (let index = 1; index < sorted.length; index += 1) {
    const before = sorted[index - 1]!;
    const after = sorted[index]!;
    const ratioBefore = Math.log(before.exactP50 / before.annP50);
    const ratioAfter = Math.log(after.exactP50 / after.annP50);
    if (ratioBefore <= 0 && ratioAfter > 0) {
      const fraction = -ratioBefore / (ratioAfter - ratioBefore);
      const logSize = Math.log(before.size) + fraction * (Math.log(after.size) - Math.log(before.size));
      return Math.round(Math.exp(logSize));
    }
  }
  return undefined;
}
