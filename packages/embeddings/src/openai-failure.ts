// Sorting a failed embeddings request into "retry it" or "give up with this DjeError".
import { createError, DjeError } from '@dynamic-embeddings/core';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { retryAfterDelay } from './retry-delay.js';

/** A failure worth another attempt, and how to report it if the attempts run out. */
export interface RetryableFailure {
  readonly reason: 'rate_limited' | 'unavailable' | 'timeout';
  /** Wait the server asked for, in milliseconds, if it asked. */
  readonly retryAfterMs: number | undefined;
  readonly message: string;
  readonly status: number | undefined;
  readonly cause: unknown;
}

export interface FailureContext {
  /** Model and server, e.g. `text-embedding-3-large at https://api.openai.com/v1`. */
  readonly source: string;
  /** Whether our own per-request timer aborted the request. */
  readonly timedOut: boolean;
  readonly timeoutMs: number;
}

function serverMessage(error: APIError): string {
  return error.message.replace(/^\d{3}\s+/, '') || 'no message';
}

export function classifyFailure(error: unknown, context: FailureContext): RetryableFailure | DjeError {
  if (DjeError.isInstance(error)) return error;
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return {
      reason: 'timeout',
      retryAfterMs: undefined,
      message: `no answer within ${context.timeoutMs} ms`,
      status: undefined,
      cause: error,
    };
  }
  if (error instanceof APIConnectionError || !(error instanceof APIError)) {
    // Connection refused or reset, or the body broke off while it was being read.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      reason: 'unavailable',
      retryAfterMs: undefined,
      message: `connection failed (${error instanceof Error ? error.message : String(error)}${cause})`,
      status: undefined,
      cause: error,
    };
  }
  const status = error.status ?? 0;
  const details = { source: context.source, status, type: error.type, serverCode: error.code };
  if (status === 429 && error.code === 'insufficient_quota') {
    return createError({
      code: 'PROVIDER_QUOTA_EXCEEDED',
      message: `${context.source} refused the request: ${serverMessage(error)}. Retrying will not help; add credit or use another key.`,
      details,
      cause: error,
    });
  }
  if (status === 429 || status === 408 || status === 409 || status >= 500) {
    return {
      reason: status === 429 ? 'rate_limited' : 'unavailable',
      retryAfterMs: retryAfterDelay(error.headers),
      message: `HTTP ${status}: ${serverMessage(error)}`,
      status,
      cause: error,
    };
  }
  if (status === 401 || status === 403) {
    return createError({
      code: 'PROVIDER_AUTH_FAILED',
      message: `${context.source} rejected the credentials (HTTP ${status}: ${serverMessage(error)}). Check OPENAI_API_KEY, and OPENAI_BASE_URL if you use another server.`,
      details,
      cause: error,
    });
  }
  return createError({
    code: 'PROVIDER_BAD_REQUEST',
    message: `${context.source} rejected the request (HTTP ${status}: ${serverMessage(error)}). Check the model name, the dimensions and the inputs.`,
    details,
    cause: error,
  });
}

const exhaustedCodes = {
  rate_limited: 'PROVIDER_RATE_LIMITED',
  unavailable: 'PROVIDER_UNAVAILABLE',
  timeout: 'PROVIDER_TIMEOUT',
} as const;

const advice = {
  rate_limited:
    'Lower the concurrency or cap requestsPerMinute / tokensPerMinute (dje: --rpm / --tpm) to your tier, or wait and run again (already-embedded chunks are cached).',
  unavailable: 'Check that the server is up and reachable, then run again.',
  timeout:
    'The server may be overloaded, or a request too large for it: raise timeoutMs or lower maxTokensPerRequest.',
} as const;

/** The error for a retryable failure once no attempt is left, or the server asked for too long a wait. */
export function exhaustedError(
  failure: RetryableFailure,
  context: { source: string; attempts: number },
): DjeError {
  return createError({
    code: exhaustedCodes[failure.reason],
    message: `${context.source} failed after ${context.attempts} attempt${context.attempts === 1 ? '' : 's'}, last with ${failure.message}. ${advice[failure.reason]}`,
    details: { source: context.source, attempts: context.attempts, status: failure.status },
    cause: failure.cause,
  });
}

/**
 * A request the server refused for good (any provider, not only OpenAI): credentials for 401/403,
 * else the request itself. Retrying cannot help either.
 */
export function refusedError(options: {
  readonly source: string;
  readonly status: number | undefined;
  readonly message: string;
  readonly cause: unknown;
}): DjeError {
  const { source, status } = options;
  const auth = status === 401 || status === 403;
  return createError({
    code: auth ? 'PROVIDER_AUTH_FAILED' : 'PROVIDER_BAD_REQUEST',
    message: `${source} ${auth ? 'rejected the credentials' : 'rejected the request'} (HTTP ${status ?? '?'}: ${options.message}). ${auth ? "Check the provider's API key setting." : 'Check the model name, the dimensions and the inputs.'}`,
    details: { source, status },
    cause: options.cause,
  });
}
