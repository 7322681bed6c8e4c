// The search benchmark's report tables, from its measurements.
import type { SearchPlan } from '@dynamic-embeddings/db';
import { formatNumber, type Table } from '../report.js';
import { type CrossingPoint, crossingRows } from './cutoff-crossing.js';
import type { SweepPoint } from './ef-sweep.js';
import type { Measurement } from './measure-search.js';
import type { TargetRow } from './targets.js';

export function percent(fraction: number): string {
  return `${formatNumber(fraction * 100)}%`;
}

/** `name=value` pairs, short names (without the `hnsw.` prefix). */
export function describeSettings(settings: Readonly<Record<string, string>>): string {
  const entries = Object.entries(settings);
  if (entries.length === 0) return 'none';
  return entries.map(([name, value]) => `${name.replace(/^(hnsw|ivfflat)\./, '')}=${value}`).join(', ');
}

/** A plan in one cell: strategy, reason, the estimate it rested on, the settings. */
export function describeOurPlan(plan: SearchPlan): string {
  const parts = [`${plan.strategy} (${plan.reason})`];
  if (plan.matching_rows !== undefined)
    parts.push(
      `matching rows ${plan.matching_rows_counted === 'at_least' ? '>' : '='} ${formatNumber(plan.matching_rows_counted === 'at_least' ? plan.matching_rows - 1 : plan.matching_rows)} (cutoff ${formatNumber(plan.exact_cutoff)})`,
    );
  if (plan.estimated_total_rows !== undefined)
    parts.push(`table ≈ ${formatNumber(Math.round(plan.estimated_total_rows))} rows`);
  if (plan.strategy === 'index' && plan.assumed_selectivity !== undefined)
    parts.push(`assumed selectivity ${formatNumber(plan.assumed_selectivity)}`);
  if (plan.strategy === 'index') parts.push(`settings: ${describeSettings(plan.settings)}`);
  if (plan.exact_fallback) parts.push('fell back to exact');
  return parts.join('; ');
}

/** How often each strategy ran over a workload's searches, e.g. `index 210`, `exact 3 (fallback)`. */
export function strategyCounts(plans: readonly SearchPlan[]): string {
  const counts = new Map<string, number>();
  for (const plan of plans) {
    const key = plan.exact_fallback ? `${plan.strategy} after fallback` : plan.strategy;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${key} ${count}`).join(', ');
}

export interface SystemResult {
  readonly workload: string;
  readonly system: string;
  readonly measurement: Measurement;
}

export function resultsTable(results: readonly SystemResult[], oursName: string): Table {
  return {
    title: 'Latency and recall per workload (concurrency 1, systems interleaved query by query)',
    headers: ['workload', 'system', 'p50 ms', 'p95 ms', 'recall@10', 'complete', 'ours p50 ÷ this p50'],
    rows: results.map(({ workload, system, measurement }) => {
      const ours = results.find((entry) => entry.workload === workload && entry.system === oursName);
      return [
        workload,
        system,
        measurement.latency.p50,
        measurement.latency.p95,
        measurement.recall,
        percent(measurement.completeness),
        ours === undefined ? '' : `${(ours.measurement.latency.p50 / measurement.latency.p50).toFixed(2)}×`,
      ];
    }),
  };
}

export function planTable(
  plans: readonly { readonly workload: string; readonly plan: SearchPlan; readonly counts: string }[],
): Table {
  return {
    title: 'The plan ours chose (searchWithPlan of the first query; strategies over all its searches)',
    headers: ['workload', 'plan', 'strategies run'],
    rows: plans.map(({ workload, plan, counts }) => [workload, describeOurPlan(plan), counts]),
  };
}

export function targetsTable(rows: readonly TargetRow[]): Table {
  return {
    title: 'Targets (issue 14)',
    headers: ['target', 'measured', 'verdict'],
    rows: rows.map((row) => [row.target, row.measured, row.holds ? 'holds' : '**does not hold**']),
  };
}

export function sweepTable(points: readonly SweepPoint[], queries: number): Table {
  return {
    title: `Raw SQL at fixed hnsw.ef_search (filtered: iterative_scan = relaxed_order, other budgets pgvector's defaults; ${queries} queries each)`,
    headers: ['workload', 'ef_search', 'recall@10', 'p50 ms', 'p95 ms'],
    rows: points.map((point) => [point.workload, point.efSearch, point.recall, point.p50, point.p95]),
  };
}

/** The filtered sweep: large filters through the index at candidate lists around the planner's. */
export function filteredSweepTable(points: readonly SweepPoint[], queries: number, rows: number): Table {
  return {
    title: `Filtered ANN recall vs hnsw.ef_search: the crossing's largest filters (metadata, n rows), raw SQL through the HNSW index (iterative_scan = relaxed_order, seq and bitmap scans and sort off, so no exact plan can answer), ${queries} queries each`,
    headers: ['filter', 'selectivity', 'ef_search', 'recall@10', 'p50 ms', 'p95 ms'],
    rows: points.map((point) => [
      point.workload,
      `${Math.round((point.available / rows) * 100)}%`,
      point.efSearch,
      point.recall,
      point.p50,
      point.p95,
    ]),
  };
}

export function crossingTable(points: readonly CrossingPoint[], cutoff: number, queries: number): Table {
  return {
    title: `Cutoff crossing: metadata filters matching n rows, exact (raw SQL through the GIN index) vs ANN (raw SQL, HNSW iterative scan with the budgets the planner gives selectivity n / rows; seq and bitmap scans off so the index scan runs), ${queries} queries each; exactCutoffRows = ${formatNumber(cutoff)}`,
    headers: [
      'matching rows',
      '× cutoff',
      'exact p50 ms',
      'ANN p50 ms',
      'ANN recall@10',
      'ANN settings',
      'ANN plan',
      'exact ÷ ANN',
      'ours ran',
      'ours p50 ms',
      'ours recall@10',
    ],
    rows: points.map((point) => [
      point.size,
      (point.size / cutoff).toFixed(2),
      point.exactP50,
      point.annP50,
      point.annRecall,
      describeSettings(point.annSettings),
      point.annPlan,
      `${(point.exactP50 / point.annP50).toFixed(2)}×`,
      point.oursStrategy,
      point.oursP50,
      point.oursRecall,
    ]),
  };
}

/** The crossing in words, for the notes. */
export function crossingNote(points: readonly CrossingPoint[], cutoff: number, dimensions: number): string {
  const crossing = crossingRows(points);
  const sizes = points.map((point) => point.size);
  if (crossing === undefined) {
    const exactWins = points.every((point) => point.exactP50 <= point.annP50);
    return `**Cutoff crossing (${dimensions}-d).** ${exactWins ? 'Exact was faster than the ANN search' : 'The ANN search was faster than exact'} at every size measured (${sizes.map(formatNumber).join(', ')} rows), so this run only bounds the crossing: it lies ${exactWins ? 'above' : 'below'} ${formatNumber(exactWins ? Math.max(...sizes) : Math.min(...sizes))} matching rows; exactCutoffRows(${dimensions}) = ${formatNumber(cutoff)}.`;
  }
  return `**Cutoff crossing (${dimensions}-d).** Exact and the ANN search take equally long at about ${formatNumber(crossing)} matching rows (log-log interpolation between the bracketing sizes), ${(crossing / cutoff).toFixed(2)}× exactCutoffRows(${dimensions}) = ${formatNumber(cutoff)}.`;
}
