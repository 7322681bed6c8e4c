// Retrying one provider request: retryable failures wait with backoff (or as long as the server
// asked), within a bound on attempts and on waits; everything else fails at once.
import { delay } from './cancellation.js';
import { exhaustedError, type RetryableFailure } from './openai-failure.js';
import { backoffDelay } from './retry-delay.js';

export interface RetryLoopOptions {
  /** Model and server, for the error once attempts run out. */
  readonly source: string;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** A server asking for a longer pause than this is out of capacity: fail rather than hang. */
  readonly maxRetryAfterMs: number;
  readonly signal: AbortSignal;
}

/** Runs `attempt` until it returns a result, it throws, or the retries or waits run out. */
export async function withRetries<Result>(
  attempt: () => Promise<Result | RetryableFailure>,
  options: RetryLoopOptions,
): Promise<Result> {
  for (let retry = 0; ; retry++) {
    const result = await attempt();
    if (!isFailure(result)) return result;
    const wait =
      result.retryAfterMs ??
      backoffDelay({ retry, baseDelayMs: options.retryBaseDelayMs, maxDelayMs: options.maxRetryDelayMs });
    if (retry >= options.maxRetries || wait > options.maxRetryAfterMs) {
      throw exhaustedError(result, { source: options.source, attempts: retry + 1 });
    }
    await delay(wait, options.signal);
  }
}

function isFailure(value: unknown): value is RetryableFailure {
  return typeof value === 'object' && value !== null && 'reason' in value && 'retryAfterMs' in value;
}
