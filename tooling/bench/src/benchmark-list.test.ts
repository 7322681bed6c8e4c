import { describe, expect, it } from 'vitest';
import { BENCHMARKS, planRuns } from './benchmark-list.js';

describe('planRuns', () => {
  const existingFiles = new Set(['search-bench.ts', 'insert-bench.ts']);

  it('plans every benchmark in order and marks the missing ones', () => {
    const runs = planRuns({ existingFiles });
    expect(runs.map((run) => run.name)).toEqual(BENCHMARKS.map((benchmark) => benchmark.name));
    expect(runs.filter((run) => run.present).map((run) => run.name)).toEqual(['insert', 'search']);
  });

  it('runs only the named ones, still in the standard order', () => {
    const runs = planRuns({ existingFiles, only: ['search', 'insert'] });
    expect(runs.map((run) => run.name)).toEqual(['insert', 'search']);
  });

  it('rejects unknown names, listing the known ones', () => {
    expect(() => planRuns({ existingFiles, only: ['serach'] })).toThrow(
      /unknown benchmark\(s\) serach; known: insert/,
    );
  });
});
