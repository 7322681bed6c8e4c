export interface BackoffOptions {
  /** Zero-based number of the retry being scheduled. */
  readonly retry: number;
  /** Delay of the first retry before jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with jitter: base · 2^retry, capped, then scaled into [½, 1] of itself so
 * clients that failed together do not retry together.
 */
export function backoffDelay(options: BackoffOptions): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** options.retry);
  const random = options.random ?? Math.random;
  return exponential / 2 + (exponential / 2) * random();
}

/**
 * How long the server asked us to wait, in milliseconds: OpenAI's `retry-after-ms`, else the
 * standard `Retry-After` in seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterDelay(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
