import { djeErrorOf } from '@dynamic-embeddings/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseResetDuration, rateLimitBudget } from './rate-limit-headers.js';
import { createRateLimiter } from './rate-limiter.js';

// Simulated time: the limiter reads performance.now() and waits with setTimeout, both faked here,
// so these tests say when each request may go out without waiting for it.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
});

/** Starts an acquire and records when (in simulated time) it let the request go. */
function track(acquiring: Promise<void>): { at: number | undefined } {
  const state: { at: number | undefined } = { at: undefined };
  void acquiring.then(() => {
    state.at = performance.now();
  });
  return state;
}

describe('parseResetDuration', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['2', 2000],
  ])('reads %s as %i ms', (text, milliseconds) => {
    expect(parseResetDuration(text)).toBeCloseTo(milliseconds, 6);
  });

  it.each(['', 'soon', '5 minutes', '1x', undefined, null])('ignores %o', (text) => {
    expect(parseResetDuration(text)).toBeUndefined();
  });
});

describe('rateLimitBudget', () => {
  it("reads OpenAI's four headers and leaves out what is missing or garbled", () => {
    const headers = new Headers({
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-remaining-tokens': 'lots',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(rateLimitBudget(headers)).toEqual({ requests: 59, requestsResetMs: 1000, tokensResetMs: 360_000 });
    expect(rateLimitBudget(undefined)).toEqual({});
  });
});

describe('createRateLimiter', () => {
  it('holds every request back while paused, however many wait', async () => {
    const limiter = createRateLimiter();
    const start = performance.now();
    limiter.pause(500);
    const waiting = [track(limiter.acquire(10)), track(limiter.acquire(10)), track(limiter.acquire(10))];
    await vi.advanceTimersByTimeAsync(499);
    expect(waiting.map((state) => state.at)).toEqual([undefined, undefined, undefined]);
    await vi.advanceTimersByTimeAsync(10);
    for (const state of waiting) expect(state.at).toBeGreaterThanOrEqual(start + 500);
  });

  it('a later, shorter pause does not cut an earlier one short', async () => {
    const limiter = createRateLimiter();
    limiter.pause(800);
    limiter.pause(100);
    const state = track(limiter.acquire(1));
    await vi.advanceTimersByTimeAsync(700);
    expect(state.at).toBeUndefined();
    await vi.advanceTimersByTimeAsync(110);
    expect(state.at).toBeDefined();
  });

  it('sends at most requestsPerMinute in any minute', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 2 });
    const start = performance.now();
    const sent = [1, 2, 3, 4, 5].map(() => track(limiter.acquire(1)));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sent.filter((state) => state.at !== undefined)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent.filter((state) => state.at !== undefined)).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent.every((state) => state.at !== undefined)).toBe(true);
    const third = sent.map((state) => state.at!).sort((left, right) => left - right)[2]!;
    expect(third).toBeGreaterThanOrEqual(start + 60_000);
  });

  it('sends at most tokensPerMinute in any minute, and a request over the cap alone', async () => {
    const limiter = createRateLimiter({ tokensPerMinute: 100 });
    const first = track(limiter.acquire(60));
    const second = track(limiter.acquire(60));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(first.at).toBeDefined();
    expect(second.at).toBeUndefined();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(second.at).toBeDefined();
    // Larger than the whole cap: it waits for an empty window rather than forever.
    const huge = track(limiter.acquire(500));
    await vi.advanceTimersByTimeAsync(61_000);
    expect(huge.at).toBeDefined();
  });

  it('waits for the reset the headers name once their budget is spent, counting requests in flight', async () => {
    const limiter = createRateLimiter();
    limiter.observe(
      new Headers({
        'x-ratelimit-remaining-requests': '2',
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-remaining-tokens': '1000',
        'x-ratelimit-reset-tokens': '500ms',
      }),
    );
    const sent = [track(limiter.acquire(10)), track(limiter.acquire(10)), track(limiter.acquire(10))];
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((state) => state.at !== undefined)).toEqual([true, true, false]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent[2]?.at).toBeDefined();
  });

  it('waits for the token reset when the next request needs more tokens than are left', async () => {
    const limiter = createRateLimiter();
    limiter.observe(
      new Headers({ 'x-ratelimit-remaining-tokens': '50', 'x-ratelimit-reset-tokens': '300ms' }),
    );
    const small = track(limiter.acquire(40));
    const large = track(limiter.acquire(40));
    await vi.advanceTimersByTimeAsync(250);
    expect(small.at).toBeDefined();
    expect(large.at).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(large.at).toBeDefined();
  });

  it('stops waiting with CANCELLED when the signal aborts', async () => {
    const limiter = createRateLimiter();
    limiter.pause(10_000);
    const controller = new AbortController();
    const acquiring = djeErrorOf(limiter.acquire(1, controller.signal));
    controller.abort();
    expect((await acquiring).code).toBe('CANCELLED');
  });
});
