import { describe, expect, it } from 'vitest';
import { describePlan, type PlanNode, planFromExplainRow, usesIndex } from './query-plan.js';

const hnswPlan: PlanNode = {
  'Node Type': 'Limit',
  Plans: [{ 'Node Type': 'Index Scan', 'Index Name': 'embeddings_bench_vector_idx' }],
};
const exactPlan: PlanNode = {
  'Node Type': 'Limit',
  Plans: [
    {
      'Node Type': 'Sort',
      Plans: [
        {
          'Node Type': 'Bitmap Heap Scan',
          Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'embeddings_bench_collection_idx' }],
        },
      ],
    },
  ],
};

describe('query plans', () => {
  it('summarises node types top down with the indexes they scan', () => {
    expect(describePlan(hnswPlan)).toBe('Limit → Index Scan (embeddings_bench_vector_idx)');
    expect(describePlan(exactPlan)).toBe(
      'Limit → Sort → Bitmap Heap Scan → Bitmap Index Scan (embeddings_bench_collection_idx)',
    );
  });

  it('tells whether an index is used anywhere in the plan', () => {
    expect(usesIndex(hnswPlan, 'vector_idx')).toBe(true);
    expect(usesIndex(exactPlan, 'vector_idx')).toBe(false);
    expect(usesIndex(exactPlan, 'collection_idx')).toBe(true);
  });

  it('reads the root from a parsed or a textual EXPLAIN row', () => {
    expect(planFromExplainRow({ 'QUERY PLAN': [{ Plan: hnswPlan }] })).toEqual(hnswPlan);
    expect(planFromExplainRow({ 'QUERY PLAN': JSON.stringify([{ Plan: exactPlan }]) })).toEqual(exactPlan);
    expect(() => planFromExplainRow({ other: 1 })).toThrow(/EXPLAIN/);
  });
});
