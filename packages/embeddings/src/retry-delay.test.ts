import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterDelay } from './retry-delay.js';

describe('backoffDelay', () => {
  it('doubles per retry, between half and all of the exponential delay', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 10_000 };
    expect(backoffDelay({ ...options, retry: 0, random: () => 0 })).toBe(50);
    expect(backoffDelay({ ...options, retry: 0, random: () => 0.999_999 })).toBeCloseTo(100, 3);
    expect(backoffDelay({ ...options, retry: 3, random: () => 0.5 })).toBe(600);
  });

  it('never exceeds the cap', () => {
    expect(
      backoffDelay({ retry: 30, baseDelayMs: 500, maxDelayMs: 20_000, random: () => 0.999 }),
    ).toBeLessThan(20_000);
  });
});

describe('retryAfterDelay', () => {
  it('prefers retry-after-ms', () => {
    expect(retryAfterDelay(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterDelay(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterDelay(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterDelay(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterDelay(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    expect(retryAfterDelay(undefined)).toBeUndefined();
    expect(retryAfterDelay(new Headers())).toBeUndefined();
    expect(retryAfterDelay(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterDelay(new Headers({ 'retry-after-ms': '-5' }))).toBeUndefined();
  });
});
