import { describe, expect, it } from 'vitest';
import { generateDataset } from './dataset.js';
import { exactTopK } from './ground-truth.js';
import { measureSearch, measureSystems, runOrder, WARMUP_QUERIES } from './measure-search.js';
import type { SearchQuery, SearchSystem } from './search-systems.js';
import { makeWorkloads } from './workloads.js';

const dataset = generateDataset({ rows: 2000, dimensions: 8, queries: 12, seed: 4 });
const workloads = makeWorkloads(dataset, 10);

/** Answers exactly, then applies `damage` to the result: a stand-in for an approximate system. */
function system(damage: (rows: number[]) => number[]): SearchSystem {
  return {
    name: 'test',
    async search(query: SearchQuery) {
      const include = query.filter === undefined ? undefined : workloads.column5.include;
      const exact = exactTopK({
        vectors: dataset.vectors,
        dimensions: 8,
        query: query.vector,
        k: 10,
        ...(include === undefined ? {} : { include }),
      });
      return damage(exact.map((neighbor) => neighbor.index));
    },
  };
}

describe('measureSearch', () => {
  it('scores an exact system at recall 1 and complete, unfiltered and filtered', async () => {
    for (const workload of [workloads.unfiltered, workloads.column5]) {
      const measurement = await measureSearch({
        system: system((rows) => rows),
        workload,
        dataset,
        concurrency: 3,
      });
      expect(measurement.recall).toBe(1);
      expect(measurement.completeness).toBe(1);
      expect(measurement.latency.count).toBe(12);
      expect(measurement.concurrent?.count).toBe(12);
      expect(measurement.differingUnderLoad).toBe(0);
    }
  });

  it('sees missing rows in recall and in completeness', async () => {
    const measurement = await measureSearch({
      system: system((rows) => rows.slice(0, 5)),
      workload: workloads.column5,
      dataset,
    });
    expect(measurement.recall).toBe(0.5);
    expect(measurement.completeness).toBe(0);
    expect(measurement.concurrent).toBeUndefined();
  });

  it('does not credit rows from outside the filter, however similar', async () => {
    const outsider = [...Array(dataset.rows).keys()].find((row) => !workloads.column5.include(row))!;
    const measurement = await measureSearch({
      system: system((rows) => [...rows.slice(0, 9), outsider]),
      workload: workloads.column5,
      dataset,
    });
    expect(measurement.recall).toBeCloseTo(0.9);
    expect(measurement.completeness).toBe(1);
  });

  it('counts queries whose results change under load', async () => {
    let calls = 0;
    const flaky = system((rows) => {
      calls += 1;
      // The concurrent pass is the last 12 calls; answer one of them differently.
      return calls === 10 + 12 + 5 ? rows.slice(1) : rows;
    });
    const measurement = await measureSearch({
      system: flaky,
      workload: workloads.unfiltered,
      dataset,
      concurrency: 2,
    });
    expect(measurement.differingUnderLoad).toBe(1);
  });

  it('interleaves systems query by query, in balanced orders, and scores each separately', async () => {
    const calls: string[] = [];
    const named = (name: string, damage: (rows: number[]) => number[]): SearchSystem => {
      const inner = system(damage);
      return {
        name,
        async search(query) {
          calls.push(name);
          return inner.search(query);
        },
      };
    };
    const [exact, half] = await measureSystems({
      systems: [
        named('exact', (rows) => rows),
        named('half', (rows) => rows.slice(0, 5)),
        named('other', (rows) => rows),
      ],
      workload: workloads.unfiltered,
      dataset,
    });
    const serialCalls = calls.slice(3 * WARMUP_QUERIES);
    expect(serialCalls).toHaveLength(36);
    // Each query runs once on every system; every system goes first sometimes and runs right after
    // each of the others (a rotation would always put the same system before it).
    const perQuery = Array.from({ length: 12 }, (_, index) => serialCalls.slice(3 * index, 3 * index + 3));
    for (const order of perQuery) expect([...order].sort()).toEqual(['exact', 'half', 'other']);
    expect(new Set(perQuery.map((order) => order[0]))).toEqual(new Set(['exact', 'half', 'other']));
    for (const name of ['exact', 'half', 'other']) {
      const before = new Set(
        perQuery.flatMap((order) => (order.indexOf(name) > 0 ? [order[order.indexOf(name) - 1]] : [])),
      );
      expect(before.size).toBe(2);
    }
    expect(exact!.recall).toBe(1);
    expect(half!.recall).toBe(0.5);
    expect(half!.completeness).toBe(0);
  });

  it('balances who goes first and who follows whom (a Williams design)', () => {
    for (const count of [2, 3, 5]) {
      const orders = Array.from({ length: 2 * count }, (_, index) => runOrder(count, index));
      const first = new Map<number, number>();
      const follows = new Map<string, number>();
      for (const order of orders) {
        expect([...order].sort()).toEqual(Array.from({ length: count }, (_, position) => position));
        first.set(order[0]!, (first.get(order[0]!) ?? 0) + 1);
        for (let position = 1; position < count; position += 1) {
          const pair = `${order[position - 1]}>${order[position]}`;
          follows.set(pair, (follows.get(pair) ?? 0) + 1);
        }
      }
      expect(new Set(first.values()).size).toBe(1);
      expect(follows.size).toBe(count * (count - 1));
      expect(new Set(follows.values()).size).toBe(1);
    }
  });
});
