// Sorting a failed AI SDK `doEmbed` into "retry it" or "give up with this DjeError". Providers of
// the AI SDK throw APICallError, which says itself whether a retry may help.
import { APICallError } from '@ai-sdk/provider';
import { DjeError } from '@dynamic-embeddings/core';
import { type RetryableFailure, refusedError } from './openai-failure.js';
import { retryAfterDelay } from './retry-delay.js';

export function classifyAiSdkFailure(error: unknown, source: string): RetryableFailure | DjeError {
  if (DjeError.isInstance(error)) return error;
  if (!APICallError.isInstance(error)) {
    // Not an HTTP answer (a connection failure the provider did not wrap): worth another attempt.
    return {
      reason: 'unavailable',
      retryAfterMs: undefined,
      message: `connection failed (${error instanceof Error ? error.message : String(error)})`,
      status: undefined,
      cause: error,
    };
  }
  const status = error.statusCode;
  if (!error.isRetryable) return refusedError({ source, status, message: error.message, cause: error });
  return {
    reason: status === 429 ? 'rate_limited' : 'unavailable',
    retryAfterMs: retryAfterDelay(new Headers(error.responseHeaders ?? {})),
    message: `HTTP ${status ?? '?'}: ${error.message}`,
    status,
    cause: error,
  };
}
