import { describe, expect, it } from 'vitest';
import { checkTargets, type WorkloadNumbers } from './targets.js';
import type { WorkloadKey } from './workloads.js';

function numbers(overrides: Partial<Record<WorkloadKey, Partial<WorkloadNumbers>>> = {}) {
  const base = (name: string): WorkloadNumbers => ({
    name,
    ours: { p50: 10, recall: 1 },
    rawSamePlan: { p50: 10 },
    rawExact: { p50: 20 },
    langChain: { p50: 20 },
  });
  return {
    unfiltered: { ...base('unfiltered'), ...overrides.unfiltered },
    metadata1: { ...base('metadata 1%'), ...overrides.metadata1 },
    metadata20: { ...base('metadata 20%'), ...overrides.metadata20 },
    column5: { ...base('collection column 5%'), ...overrides.column5 },
  };
}

describe('checkTargets', () => {
  it('holds every target when ours is as fast as the same SQL and recall is perfect', () => {
    const rows = checkTargets(numbers());
    expect(rows).toHaveLength(4 + 2 + 4);
    expect(rows.every((row) => row.holds)).toBe(true);
  });

  it('asks 0.99 recall of the 1% filter and 0.95 of the others', () => {
    const rows = checkTargets(
      numbers({
        metadata1: { ours: { p50: 10, recall: 0.985 } },
        metadata20: { ours: { p50: 10, recall: 0.95 } },
      }),
    );
    const failing = rows.filter((row) => !row.holds).map((row) => row.target);
    expect(failing).toEqual(['recall@10 ≥ 0.99, metadata 1%']);
  });

  it('fails the overhead target above 1.15× the same SQL, and the peer targets when slower', () => {
    const rows = checkTargets(
      numbers({
        unfiltered: { rawSamePlan: { p50: 8.6 } },
        metadata1: { ours: { p50: 21, recall: 1 }, rawSamePlan: { p50: 19 } },
      }),
    );
    const failing = rows.filter((row) => !row.holds);
    expect(failing.map((row) => row.target)).toEqual([
      "p50 ≤ LangChain PGVectorStore's, metadata 1%",
      "p50 ≤ raw exact SQL's, metadata 1%",
      'p50 ≤ 1.15× raw SQL with the same plan and settings, unfiltered',
    ]);
    expect(failing[2]!.measured).toBe('1.16× (10.00 vs 8.60 ms)');
  });
});
