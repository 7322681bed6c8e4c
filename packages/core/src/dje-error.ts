const marker = Symbol.for('dynamic-embeddings.error');

/**
 * What kind of failure an error is. The kind, not the code, decides the HTTP status and the CLI
 * exit code, so every new code maps consistently without touching the apps.
 */
export type ErrorKind =
  | 'usage'
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'confirmation_required'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'locked'
  | 'provider'
  | 'database'
  | 'cancelled'
  | 'internal';

export interface DjeErrorOptions {
  /** Stable, machine-readable code in SCREAMING_SNAKE_CASE, e.g. `INVALID_NAMESPACE_NAME`. */
  readonly code: string;
  /** Failure category; maps to one HTTP status and one CLI exit code. */
  readonly kind: ErrorKind;
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
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(options: DjeErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DjeError';
    this.code = options.code;
    this.kind = options.kind;
    this.details = options.details;
  }

  /** True for DjeErrors from any copy of this package (works across duplicated installs). */
  static isInstance(error: unknown): error is DjeError {
    return typeof error === 'object' && error !== null && marker in error;
  }

  /** The JSON shape used by the HTTP API and `dje --json`. */
  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

const httpStatuses: Record<ErrorKind, number> = {
  usage: 400,
  validation: 400,
  not_found: 404,
  conflict: 409,
  confirmation_required: 400,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  locked: 423,
  provider: 502,
  database: 503,
  cancelled: 499,
  internal: 500,
};

/** Exit codes of the `dje` CLI, documented in its README. */
export const exitCodes = {
  ok: 0,
  internal: 1,
  usage: 2,
  not_found: 3,
  validation: 4,
  provider: 5,
  database: 6,
  conflict: 7,
  confirmation_required: 8,
  locked: 9,
  unauthorized: 10,
  forbidden: 10,
  payload_too_large: 4,
  cancelled: 130,
} as const satisfies Record<ErrorKind | 'ok', number>;

export function httpStatusOf(error: unknown): number {
  return DjeError.isInstance(error) ? httpStatuses[error.kind] : 500;
}

export function exitCodeOf(error: unknown): number {
  return DjeError.isInstance(error) ? exitCodes[error.kind] : exitCodes.internal;
}
