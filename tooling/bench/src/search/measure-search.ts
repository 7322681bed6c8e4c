// Runs search systems over a workload: recall@k and completeness against the exact answers,
// latency percentiles and throughput at concurrency 1 and, optionally, under concurrent load.
import { performance } from 'node:perf_hooks';
import { completeness } from './completeness.js';
import { type Dataset, vectorAt } from './dataset.js';
import { cosineSimilarity } from './ground-truth.js';
import { type LatencySummary, runConcurrently, summarizeLatencies } from './latency.js';
import { recallAtK } from './recall.js';
import { RESULT_LIMIT, type SearchSystem } from './search-systems.js';
import type { Workload } from './workloads.js';

/** Queries run once before timing, so connection setup and cold caches are not measured. */
export const WARMUP_QUERIES = 10;

export interface Measurement {
  readonly recall: number;
  readonly completeness: number;
  /** At concurrency 1. */
  readonly latency: LatencySummary;
  /** At `concurrency`, when asked for. */
  readonly concurrent?: LatencySummary;
  /** Queries whose results differed between concurrency 1 and the concurrent run (should be 0). */
  readonly differingUnderLoad: number;
}

function sameRows(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && new Set([...left, ...right]).size === new Set(left).size;
}

/**
 * The order the systems run query (or round) `index` in, from a Williams design: over every n
 * orders (2n when n is odd) each system goes first equally often and runs right after each other
 * system equally often. A rotation (0 1 2 3 4, then 1 2 3 4 0, …) keeps who follows whom: with ours
 * first in the list and LangChain fourth, ours ran right after LangChain's search (which reads its
 * whole table, evicting the filter's pages from the CPU caches) in one query of five and the raw
 * queries never did.
 */
export function runOrder(count: number, index: number): number[] {
  // 0, 1, n-1, 2, n-2, … shifted by the row: each difference between neighbours occurs once.
  const base = Array.from({ length: count }, (_, position) =>
    position % 2 === 1 ? (position + 1) / 2 : (count - position / 2) % count,
  );
  const rows = count % 2 === 0 ? count : 2 * count;
  const row = index % rows;
  const order = base.map((value) => (value + row) % count);
  return row < count ? order : order.reverse();
}

/**
 * Measures several systems on one workload, interleaved: at concurrency 1 each query runs on every
 * system in turn (in a shuffled order, see runOrder), and under load the queries run in rounds of
 * 4 × concurrency, each round on every system in turn. On a shared machine, load from elsewhere then
 * slows all systems alike instead of whichever happened to run at the time.
 */
export async function measureSystems(options: {
  readonly systems: readonly SearchSystem[];
  readonly workload: Workload;
  readonly dataset: Dataset;
  /** Also run the queries with this many in flight; omitted: concurrency 1 only. */
  readonly concurrency?: number;
}): Promise<Measurement[]> {
  const { systems, workload, dataset } = options;
  const queries = workload.queries;
  for (const system of systems)
    for (const query of queries.slice(0, WARMUP_QUERIES)) await system.search(query);

  const serial = systems.map(() => ({
    results: new Array<number[]>(queries.length),
    latencies: new Array<number>(queries.length),
  }));
  for (let index = 0; index < queries.length; index += 1) {
    for (const systemIndex of runOrder(systems.length, index)) {
      const started = performance.now();
      serial[systemIndex]!.results[index] = await systems[systemIndex]!.search(queries[index]!);
      serial[systemIndex]!.latencies[index] = performance.now() - started;
    }
  }

  const loaded = systems.map(() => ({ results: [] as number[][], latencies: [] as number[], wallMs: 0 }));
  if (options.concurrency !== undefined) {
    const roundSize = options.concurrency * 4;
    for (let start = 0, round = 0; start < queries.length; start += roundSize, round += 1) {
      const inputs = queries.slice(start, start + roundSize);
      for (const systemIndex of runOrder(systems.length, round)) {
        const system = systems[systemIndex]!;
        const run = await runConcurrently({
          inputs,
          concurrency: options.concurrency,
          operation: (query) => system.search(query),
        });
        const target = loaded[systemIndex]!;
        target.results.push(...run.results);
        target.latencies.push(...run.latenciesMs);
        target.wallMs += run.wallMs;
      }
    }
  }

  return systems.map((_, systemIndex) => {
    const { results, latencies } = serial[systemIndex]!;
    let recallTotal = 0;
    results.forEach((retrieved, index) => {
      const query = queries[index]!.vector;
      recallTotal += recallAtK({
        expected: workload.truth[index]!,
        retrieved,
        k: RESULT_LIMIT,
        // A row outside the filter never counts, however similar.
        similarityOf: (row) =>
          workload.include(row)
            ? cosineSimilarity(query, vectorAt(dataset.vectors, dataset.dimensions, row))
            : Number.NEGATIVE_INFINITY,
      });
    });
    const counts = results.map((retrieved) => ({
      returned: retrieved.length,
      available: workload.available,
    }));
    const underLoad = loaded[systemIndex]!;
    const differingUnderLoad = underLoad.results.filter(
      (retrieved, index) => !sameRows(retrieved, results[index]!),
    ).length;
    return {
      recall: recallTotal / queries.length,
      completeness: completeness(counts, RESULT_LIMIT),
      // Serial: throughput is the inverse of the time spent in searches.
      latency: summarizeLatencies(
        latencies,
        latencies.reduce((sum, value) => sum + value, 0),
      ),
      ...(options.concurrency === undefined
        ? {}
        : { concurrent: summarizeLatencies(underLoad.latencies, underLoad.wallMs) }),
      differingUnderLoad,
    };
  });
}

/** measureSystems for a single system. */
export async function measureSearch(options: {
  readonly system: SearchSystem;
  readonly workload: Workload;
  readonly dataset: Dataset;
  readonly concurrency?: number;
}): Promise<Measurement> {
  const [measurement] = await measureSystems({ ...options, systems: [options.system] });
  return measurement!;
}
