import { cancelled } from '@dynamic-embeddings/core';

/** Throws CANCELLED when the signal has fired; `stored` says what was already written for good. */
export function throwIfCancelled(
  signal: AbortSignal | undefined,
  stored: Readonly<Record<string, unknown>> = {},
): void {
  if (!signal?.aborted) return;
  throw cancelled(
    'Ingestion was cancelled; everything reported as stored is complete, nothing else was written.',
    { details: { ...stored }, cause: signal.reason },
  );
}
