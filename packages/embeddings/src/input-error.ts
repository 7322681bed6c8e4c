// Errors about one input name it by index and by a text preview. Batching helpers (embedAll,
// withCache) hand providers a slice of the caller's texts, so they re-index these errors to the
// caller's positions.
import { createError, DjeError, type ErrorCode } from '@dynamic-embeddings/core';

export interface InputErrorOptions {
  readonly code: ErrorCode;
  /** Position of the input in the caller's array. */
  readonly index: number;
  readonly text: unknown;
  /** What is wrong and what to do, continuing the sentence "Input 3 ("…") …". */
  readonly problem: string;
  readonly details?: Record<string, unknown>;
}

const previewLength = 60;
const builtFrom = new WeakMap<DjeError, InputErrorOptions>();

export function previewOf(text: unknown): string {
  if (typeof text !== 'string') return `<${text === null ? 'null' : typeof text}>`;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > previewLength ? `${flat.slice(0, previewLength)}…` : flat;
}

export function inputError(options: InputErrorOptions): DjeError {
  const preview = previewOf(options.text);
  const error = createError({
    code: options.code,
    message: `Input ${options.index} ("${preview}") ${options.problem}`,
    details: { index: options.index, preview, ...options.details },
  });
  builtFrom.set(error, options);
  return error;
}

/** Returns the error with its input index translated to the caller's position; other errors as they are. */
export function reindexInputError(error: unknown, mapIndex: (index: number) => number): unknown {
  if (!DjeError.isInstance(error)) return error;
  const options = builtFrom.get(error);
  if (options) return inputError({ ...options, index: mapIndex(options.index) });
  const index = error.details?.index;
  if (typeof index !== 'number') return error;
  // An input error from another provider implementation: its message keeps the old index, the
  // structured details get the right one.
  return createError({
    code: error.code,
    message: error.message,
    details: { ...error.details, index: mapIndex(index) },
    cause: error.cause,
  });
}
