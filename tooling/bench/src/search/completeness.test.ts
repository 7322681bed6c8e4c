import { describe, expect, it } from 'vitest';
import { completeness, isComplete } from './completeness.js';

describe('completeness', () => {
  it('needs k rows when at least k exist, and all of them when fewer exist', () => {
    expect(isComplete({ returned: 10, available: 100 }, 10)).toBe(true);
    expect(isComplete({ returned: 7, available: 100 }, 10)).toBe(false);
    expect(isComplete({ returned: 4, available: 4 }, 10)).toBe(true);
    expect(isComplete({ returned: 3, available: 4 }, 10)).toBe(false);
    expect(isComplete({ returned: 0, available: 0 }, 10)).toBe(true);
  });

  it('is the fraction of complete queries', () => {
    const counts = [
      { returned: 10, available: 100 },
      { returned: 2, available: 100 },
      { returned: 10, available: 100 },
      { returned: 5, available: 5 },
    ];
    expect(completeness(counts, 10)).toBe(0.75);
    expect(completeness([], 10)).toBeNaN();
  });
});
