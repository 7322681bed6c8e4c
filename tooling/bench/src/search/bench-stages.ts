// The measuring stages of the search benchmark, run in order by search-bench.ts on loaded tables.
import type { NamespaceHandle, SearchPlan } from '@dynamic-embeddings/db';
import type pg from 'pg';
import type { Sql } from 'postgres';
import type { Table } from '../report.js';
import type { QueryRecorder } from './bench-database.js';
import type { Dataset } from './dataset.js';
import { explainLangChain, explainRaw } from './explain-peers.js';
import { type Measurement, measureSystems } from './measure-search.js';
import { strategyCounts } from './report-tables.js';
import {
  langChainSearch,
  type OurSystem,
  ourSearch,
  ourSearchOptions,
  rawSqlSearch,
  rawWithPlan,
  type SearchSystem,
} from './search-systems.js';
import { statementBreakdown } from './statement-breakdown.js';
import type { WorkloadNumbers } from './targets.js';
import type { Workload, WorkloadKey } from './workloads.js';

export const WORKLOAD_KEYS: readonly WorkloadKey[] = ['unfiltered', 'metadata1', 'metadata20', 'column5'];

export interface BenchSystems {
  readonly ours: OurSystem;
  readonly rawExact: SearchSystem;
  readonly rawDefaults: SearchSystem;
  readonly langChain: SearchSystem;
}

export function makeSystems(options: {
  readonly handle: NamespaceHandle;
  readonly sql: Sql;
  readonly tableName: string;
  readonly langChain: Parameters<typeof langChainSearch>[0];
}): BenchSystems {
  const { sql, tableName } = options;
  return {
    ours: ourSearch(options.handle),
    rawExact: rawSqlSearch({ name: 'raw exact SQL (ORDER BY distance + 0)', sql, tableName, exact: true }),
    rawDefaults: rawSqlSearch({ name: "raw SQL, pgvector's defaults", sql, tableName }),
    langChain: langChainSearch(options.langChain),
  };
}

export interface WorkloadRun {
  readonly key: WorkloadKey;
  readonly workload: Workload;
  /** The plan of ours on the workload's first query, and the raw query that sends the same. */
  readonly plan: SearchPlan;
  readonly rawSamePlan: SearchSystem;
  /** Strategies ours ran over all the workload's searches. */
  readonly strategies: string;
  readonly measured: readonly { readonly system: SearchSystem; readonly measurement: Measurement }[];
}

/** Measures every system on every main workload, interleaved query by query. */
export async function runWorkloads(options: {
  readonly handle: NamespaceHandle;
  readonly sql: Sql;
  readonly tableName: string;
  readonly dataset: Dataset;
  readonly systems: BenchSystems;
  readonly workloads: Readonly<Record<WorkloadKey, Workload>>;
  readonly log: (message: string) => void;
}): Promise<WorkloadRun[]> {
  const { systems } = options;
  const runs: WorkloadRun[] = [];
  for (const key of WORKLOAD_KEYS) {
    const workload = options.workloads[key];
    const { plan } = await options.handle.searchWithPlan(ourSearchOptions(workload.queries[0]!));
    const rawSamePlan = rawWithPlan({ sql: options.sql, tableName: options.tableName, plan });
    const candidates = [systems.ours, rawSamePlan, systems.rawExact, systems.langChain, systems.rawDefaults];
    systems.ours.plans.length = 0;
    const measurements = await measureSystems({ systems: candidates, workload, dataset: options.dataset });
    const measured = candidates.map((system, index) => ({ system, measurement: measurements[index]! }));
    for (const { system, measurement } of measured)
      options.log(
        `${workload.name}: ${system.name}: p50 ${measurement.latency.p50.toFixed(2)} ms, recall ${measurement.recall.toFixed(3)}`,
      );
    runs.push({ key, workload, plan, rawSamePlan, strategies: strategyCounts(systems.ours.plans), measured });
  }
  return runs;
}

/** The numbers the targets are checked on, per workload. */
export function targetNumbers(
  runs: readonly WorkloadRun[],
  systems: BenchSystems,
): Record<WorkloadKey, WorkloadNumbers> {
  const entries = runs.map((run) => {
    const of = (system: SearchSystem) => run.measured.find((entry) => entry.system === system)!.measurement;
    return [
      run.key,
      {
        name: run.workload.name,
        ours: { p50: of(systems.ours).latency.p50, recall: of(systems.ours).recall },
        rawSamePlan: { p50: of(run.rawSamePlan).latency.p50 },
        rawExact: { p50: of(systems.rawExact).latency.p50 },
        langChain: { p50: of(systems.langChain).latency.p50 },
      },
    ] as const;
  });
  return Object.fromEntries(entries) as Record<WorkloadKey, WorkloadNumbers>;
}

/** Statement timings of ours, and EXPLAIN of what each system ran on each workload's first query. */
export async function runDiagnostics(options: {
  readonly sql: Sql;
  readonly pool: pg.Pool;
  readonly recorder: QueryRecorder;
  readonly tableName: string;
  readonly systems: BenchSystems;
  readonly runs: readonly WorkloadRun[];
}): Promise<{ readonly breakdown: Table; readonly explain: Table }> {
  const { sql, systems, runs } = options;
  const breakdown = await statementBreakdown({
    sql,
    recorder: options.recorder,
    inputs: runs.map((run) => ({
      workload: run.workload.name,
      ours: () => systems.ours.search(run.workload.queries[0]!),
      raw: () => run.rawSamePlan.search(run.workload.queries[0]!),
    })),
  });
  const rows: string[][] = [];
  for (const run of runs) {
    const query = run.workload.queries[0]!;
    const name = run.workload.name;
    rows.push(['ours (its recorded search statement)', name, breakdown.plans.get(name)!]);
    rows.push([
      'raw exact SQL',
      name,
      await explainRaw({ sql, tableName: options.tableName, query, exact: true }),
    ]);
    rows.push([
      systems.langChain.name,
      name,
      await explainLangChain({ pool: options.pool, system: systems.langChain, query }),
    ]);
  }
  return {
    breakdown: breakdown.table,
    explain: {
      title: 'Query plans (EXPLAIN of the first query of each workload)',
      headers: ['system', 'workload', 'plan'],
      rows,
    },
  };
}

/** The main workloads cut to the sweeps' query count, for the ef_search sweep. */
export function sweepWorkloads(
  workloads: Readonly<Record<WorkloadKey, Workload>>,
  queries: number,
): Workload[] {
  return (['unfiltered', 'metadata1', 'metadata20'] as const).map((key) =>
    firstQueriesOf(workloads[key], queries),
  );
}

function firstQueriesOf(workload: Workload, queries: number): Workload {
  return {
    ...workload,
    queries: workload.queries.slice(0, queries),
    truth: workload.truth.slice(0, queries),
  };
}
