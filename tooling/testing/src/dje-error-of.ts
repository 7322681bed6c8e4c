// The DjeError a promise rejects with, for asserting on its code, kind and details.
import { DjeError } from '@dynamic-embeddings/core';

/** Awaits `promise` and returns its rejection; fails the test if it resolves or rejects with anything else. */
export async function djeErrorOf(promise: Promise<unknown>): Promise<DjeError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!DjeError.isInstance(error)) throw new Error(`expected a DjeError, got ${String(error)}`);
  return error;
}
