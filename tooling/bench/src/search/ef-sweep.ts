// Recall against latency of raw SQL at fixed hnsw.ef_search values (iterative scan on when
// filtered), to draw ours against: where ours lands relative to what hand tuning could reach.
import type { Sql } from 'postgres';
import type { ChartSeries } from '../charts/svg.js';
import type { Dataset } from './dataset.js';
import { measureSearch } from './measure-search.js';
import { rawSqlSearch } from './search-systems.js';
import type { Workload } from './workloads.js';

export const EF_SEARCH_SWEEP: readonly number[] = [10, 20, 40, 80, 160, 400];

export interface SweepPoint {
  readonly workload: string;
  /** Rows the workload's filter matches (the table's when unfiltered). */
  readonly available: number;
  readonly efSearch: number;
  readonly recall: number;
  readonly p50: number;
  readonly p95: number;
}

/** Settings of a sweep point: filtered searches scan iteratively (relaxed order), as ours does. */
export function sweepSettings(efSearch: number, filtered: boolean): Record<string, string> {
  return {
    'hnsw.ef_search': String(efSearch),
    ...(filtered ? { 'hnsw.iterative_scan': 'relaxed_order' } : {}),
  };
}

export async function sweepEfSearch(options: {
  readonly sql: Sql;
  readonly tableName: string;
  readonly dataset: Dataset;
  readonly workloads: readonly Workload[];
  readonly log: (message: string) => void;
  /** The ef_search values (default EF_SEARCH_SWEEP). */
  readonly efSearches?: readonly number[];
  /** Settings added to each point's (e.g. FORCE_INDEX, so PostgreSQL cannot answer exactly). */
  readonly extraSettings?: Readonly<Record<string, string>>;
}): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const workload of options.workloads) {
    for (const efSearch of options.efSearches ?? EF_SEARCH_SWEEP) {
      const system = rawSqlSearch({
        name: `raw SQL ef_search ${efSearch}`,
        sql: options.sql,
        tableName: options.tableName,
        settings: { ...sweepSettings(efSearch, workload.key !== 'unfiltered'), ...options.extraSettings },
      });
      const measurement = await measureSearch({ system, workload, dataset: options.dataset });
      points.push({
        workload: workload.name,
        available: workload.available,
        efSearch,
        recall: measurement.recall,
        p50: measurement.latency.p50,
        p95: measurement.latency.p95,
      });
    }
    options.log(`ef_search sweep: ${workload.name} done`);
  }
  return points;
}

/**
 * Chart series: one line of raw SQL per workload, and ours as one labelled point per workload (a
 * series of its own, so no line joins different workloads).
 */
export function sweepSeries(
  points: readonly SweepPoint[],
  ours: readonly {
    readonly workload: string;
    readonly p50: number;
    readonly recall: number;
    readonly label: string;
  }[],
): ChartSeries[] {
  const workloads = [...new Set(points.map((point) => point.workload))];
  return [
    ...workloads.map((workload) => ({
      name: `raw SQL, ${workload}`,
      points: points
        .filter((point) => point.workload === workload)
        .map((point) => ({ x: point.p50, y: point.recall, label: String(point.efSearch) })),
    })),
    ...ours.map((point) => ({
      name: `ours (defaults), ${point.workload}`,
      points: [{ x: point.p50, y: point.recall, label: point.label }],
    })),
  ];
}
