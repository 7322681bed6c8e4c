import { describe, expect, it } from 'vitest';
import { planRequests } from './plan-requests.js';

describe('planRequests', () => {
  it('closes a request when the next input would exceed the token budget', () => {
    expect(
      planRequests({ tokenCounts: [4, 3, 3, 5, 1], maxInputsPerRequest: 10, maxTokensPerRequest: 10 }),
    ).toEqual([
      { start: 0, end: 3, tokens: 10 },
      { start: 3, end: 5, tokens: 6 },
    ]);
  });

  it('closes a request at the input limit', () => {
    expect(
      planRequests({ tokenCounts: [1, 1, 1, 1, 1], maxInputsPerRequest: 2, maxTokensPerRequest: 100 }),
    ).toEqual([
      { start: 0, end: 2, tokens: 2 },
      { start: 2, end: 4, tokens: 2 },
      { start: 4, end: 5, tokens: 1 },
    ]);
  });

  it('gives an input larger than the budget a request of its own', () => {
    expect(
      planRequests({ tokenCounts: [2, 50, 3], maxInputsPerRequest: 10, maxTokensPerRequest: 10 }),
    ).toEqual([
      { start: 0, end: 1, tokens: 2 },
      { start: 1, end: 2, tokens: 50 },
      { start: 2, end: 3, tokens: 3 },
    ]);
  });

  it('plans nothing for no inputs', () => {
    expect(planRequests({ tokenCounts: [], maxInputsPerRequest: 10, maxTokensPerRequest: 10 })).toEqual([]);
  });
});
