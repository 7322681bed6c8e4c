import { describe, expect, it } from 'vitest';
import { summarizeStatement } from './statement-timings.js';

describe('summarizeStatement', () => {
  it('puts a statement on one line', () => {
    expect(summarizeStatement('select\n  a,\n\tb  from t')).toBe('select a, b from t');
  });

  it('shortens long statements with an ellipsis', () => {
    const summary = summarizeStatement(`select ${'x, '.repeat(100)}y from t`, 20);
    expect(summary).toHaveLength(20);
    expect(summary.endsWith('…')).toBe(true);
  });
});
