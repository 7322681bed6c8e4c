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

/** The HTTP status of each kind (the server may override it for HTTP-only errors). */
export const httpStatuses = {
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
} as const satisfies Record<ErrorKind, number>;

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
