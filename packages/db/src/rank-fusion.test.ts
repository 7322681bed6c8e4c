import { describe, expect, it } from 'vitest';
import { fuseRanks } from './rank-fusion.js';

describe('fuseRanks (Reciprocal Rank Fusion)', () => {
  it('orders a hand-computed example, ties broken by keyword rank', () => {
    // vector leg: 1, 2, 3; keyword leg: 3, 4, 1 (row ids, best first), k = 60:
    //   row 1: 1/61 + 1/63 = 0.032266…   row 3: 1/63 + 1/61 = 0.032266… (the same: tie)
    //   row 4: 1/62 = 0.016129…          row 2: 1/62 = 0.016129… (tie)
    // Ties go to the better keyword rank: 3 (keyword 1) before 1 (keyword 3), 4 (keyword 2) before 2.
    const fused = fuseRanks({ vector: [1, 2, 3], keyword: [3, 4, 1] });
    expect(fused.map((rank) => rank.id)).toEqual([3, 1, 4, 2]);
    expect(fused[0]).toEqual({ id: 3, score: 1 / 63 + 1 / 61, vector_rank: 3, keyword_rank: 1 });
    expect(fused[1]?.score).toBeCloseTo(0.0322664, 6);
    expect(fused[2]).toEqual({ id: 4, score: 1 / 62, keyword_rank: 2 });
    expect(fused[3]).toEqual({ id: 2, score: 1 / 62, vector_rank: 2 });
  });

  it('lets a row both legs rank beat rows only one leg ranks first', () => {
    // row 7: 1/62 + 1/62 = 0.032258 > row 5 (vector 1 only): 1/61 = 0.016393
    const fused = fuseRanks({ vector: [5, 7], keyword: [6, 7] });
    expect(fused.map((rank) => rank.id)).toEqual([7, 6, 5]);
  });

  it('applies k and the weights', () => {
    // k = 0, keyword weight 3: row 1 = 1/1 = 1; row 2 = 3/1 = 3; row 3 = 1/2 + 3/2 = 2
    const fused = fuseRanks({
      vector: [1, 3],
      keyword: [2, 3],
      k: 0,
      weights: { vector: 1, keyword: 3 },
    });
    expect(fused.map((rank) => [rank.id, rank.score])).toEqual([
      [2, 3],
      [3, 2],
      [1, 1],
    ]);
  });

  it('with a zero weight keeps that leg’s rows only behind the others', () => {
    const fused = fuseRanks({ vector: [1, 2], keyword: [3], weights: { vector: 0, keyword: 1 } });
    expect(fused.map((rank) => rank.id)).toEqual([3, 1, 2]);
  });
});
