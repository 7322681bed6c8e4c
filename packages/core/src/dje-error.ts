import { type ErrorCode, errorCatalog, isErrorCode } from './error-catalog.js';
import { type ErrorKind, exitCodes, httpStatuses } from './error-kind.js';

const marker = Symbol.for('dynamic-embeddings.error');

export interface DjeErrorOptions {
  /** Stable, machine-readable code from the error catalog; it decides the kind. */
  readonly code: ErrorCode;
  /** What went wrong and what to do about it. */
  readonly message: string;
  /** Extra structured facts (field names, limits, positions); safe to show to the caller. */
  readonly details?: Record<string, unknown>;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/** The one error base class of the project: every error a user can cause is a DjeError. */
export class DjeError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(options: DjeErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DjeError';
    this.code = options.code;
    // A code from outside the catalog (only untyped JavaScript can pass one) is an internal error.
    this.kind = isErrorCode(options.code) ? errorCatalog[options.code] : 'internal';
    this.details = options.details;
  }

  /** True for DjeErrors from any copy of this package (works across duplicated installs). */
  static isInstance(error: unknown): error is DjeError {
    return typeof error === 'object' && error !== null && marker in error;
  }

  /** The JSON shape used by the HTTP API and `dje --json`. */
  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** The factory for every error: the code names the failure, the catalog gives its kind. */
export function createError(options: DjeErrorOptions): DjeError {
  return new DjeError(options);
}

export function httpStatusOf(error: unknown): number {
  return DjeError.isInstance(error) ? httpStatuses[error.kind] : 500;
}

export function exitCodeOf(error: unknown): number {
  return DjeError.isInstance(error) ? exitCodes[error.kind] : exitCodes.internal;
}
