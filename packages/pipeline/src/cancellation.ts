import { DjeError } from '@dynamic-embeddings/core';

/** Throws CANCELLED when the signal has fired; `stored` says what was already written for good. */
export function throwIfCancelled(
  signal: AbortSignal | undefined,
  stored: Readonly<Record<string, unknown>> = {},
): void {
  if (!signal?.aborted) return;
  throw new DjeError({
    code: 'CANCELLED',
    kind: 'cancelled',
    message: 'Ingestion was cancelled; everything reported as stored is complete, nothing else was written.',
    details: { ...stored },
    cause: signal.reason,
  });
}
