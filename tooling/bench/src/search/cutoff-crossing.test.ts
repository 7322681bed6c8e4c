import { describe, expect, it } from 'vitest';
import { type CrossingPoint, crossingRows } from './cutoff-crossing.js';

function point(size: number, exactP50: number, annP50: number): CrossingPoint {
  return {
    size,
    exactP50,
    annP50,
    annRecall: 1,
    annSettings: {},
    annPlan: 'Limit → Index Scan (embeddings_t_vector_idx)',
    oursStrategy: 'exact',
    oursP50: exactP50,
    oursRecall: 1,
  };
}

describe('crossingRows', () => {
  it('interpolates on a log-log scale between the sizes that bracket the crossing', () => {
    // exact/ANN goes from 1/2 at 1000 rows to 2 at 4000 rows: equal halfway in log size, 2000.
    const points = [point(4000, 8, 4), point(1000, 2, 4)];
    expect(crossingRows(points)).toBe(2000);
  });

  it('is undefined when one side wins at every size', () => {
    expect(crossingRows([point(1000, 1, 4), point(4000, 3, 4)])).toBeUndefined();
    expect(crossingRows([point(1000, 5, 4), point(4000, 9, 4)])).toBeUndefined();
  });
});
