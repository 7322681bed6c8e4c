// The errors of the db package that more than one module raises: each code is built here, once.
// Messages state facts and carry them in `details`; the CLI and the server phrase their own hints.
import {
  createError,
  DjeError,
  invalidDimensions,
  dimensionMismatch as sharedDimensionMismatch,
} from '@dynamic-embeddings/core';

export {
  backupNotFound,
  collectionNotFound,
  confirmationRequired,
  namespaceNotFound,
} from '@dynamic-embeddings/core';

/** The largest vector pgvector's `vector` type stores. */
export const MAX_VECTOR_DIMENSIONS = 16_000;

/** The namespace behind an open handle was dropped, or dropped and created again, since it was opened. */
export function namespaceChanged(namespace: string, dropped: boolean): DjeError {
  return createError({
    code: dropped ? 'NAMESPACE_NOT_FOUND' : 'NAMESPACE_CHANGED',
    message: dropped
      ? `Namespace "${namespace}" was dropped while it was in use; nothing more was written to it.`
      : `Namespace "${namespace}" was dropped and created again while it was in use; nothing was written to the new one. Open it again to use it.`,
    details: { namespace, ...(dropped ? { dropped: true } : {}) },
  });
}

/** Whether `error` is one `namespaceChanged` made: the namespace went away (or was made again) under a handle. */
export function isNamespaceChanged(error: unknown): boolean {
  if (!DjeError.isInstance(error)) return false;
  return (
    error.code === 'NAMESPACE_CHANGED' ||
    (error.code === 'NAMESPACE_NOT_FOUND' && error.details?.dropped === true)
  );
}

export function invalidArgument(name: string, rule: string, value: unknown): DjeError {
  return createError({
    code: 'INVALID_ARGUMENT',
    message: `${name} ${rule} (got ${JSON.stringify(value) ?? String(value)}).`,
    details: { argument: name },
  });
}

/** A non-empty string of at most `maxLength` characters, else INVALID_ARGUMENT. */
export function requireText(name: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw invalidArgument(name, `must be a non-empty string of at most ${maxLength} characters`, value);
  }
  return value;
}

/** Whole dimensions from 1 to 16,000, else INVALID_DIMENSIONS naming `label`. */
export function validateDimensions(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_VECTOR_DIMENSIONS) {
    throw invalidDimensions(
      `${label} must be an integer from 1 to ${MAX_VECTOR_DIMENSIONS}, got ${String(value)}.`,
      {
        details: { argument: label },
      },
    );
  }
  return value;
}

export function dimensionMismatch(options: {
  readonly namespace: string;
  readonly expected: number;
  readonly actual: number;
  readonly what: string;
  readonly field?: string;
}): DjeError {
  const { namespace, expected, actual, what, field } = options;
  return sharedDimensionMismatch(
    `${what} has ${actual} dimensions, but namespace "${namespace}" stores ${expected}-dimensional vectors. Use the namespace's embedding model and dimensions, or another namespace.`,
    { ...(field === undefined ? {} : { field }), namespace, expected, actual },
  );
}

export function invalidRecord(message: string, details?: Record<string, unknown>): DjeError {
  return createError({
    code: 'INVALID_RECORD',
    message: `${message}; nothing was written.`,
    ...(details === undefined ? {} : { details }),
  });
}

export function tableConflict(message: string, details: Record<string, unknown>): DjeError {
  return createError({ code: 'NAMESPACE_TABLE_CONFLICT', message, details });
}

/** NO_VECTOR_INDEX: calibration needs the namespace's ANN index, which is not built (yet). */
export function noIndexToCalibrate(namespace: string): DjeError {
  return createError({
    code: 'NO_VECTOR_INDEX',
    message: `Namespace "${namespace}" has no ANN index to calibrate: its search is exact until the index is built (at its index threshold), so its recall is already 1.`,
    details: { namespace },
  });
}

/** INVALID_RECALL_TARGET: a recall target outside (0, 1]. */
export function invalidRecallTarget(value: unknown): DjeError {
  return createError({
    code: 'INVALID_RECALL_TARGET',
    message: `A recall target is a fraction above 0 and at most 1 (e.g. 0.95), got ${JSON.stringify(value)}.`,
    details: { recall_target: value },
  });
}
