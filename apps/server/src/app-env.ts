// The per-request values middleware hands to route handlers.
import type { Logger } from '@dynamic-embeddings/core/logger';
import type { ApiKey } from './api-keys.js';

export interface AppVariables {
  /** Set by hono/request-id; echoed as X-Request-Id and on every log line of the request. */
  requestId: string;
  /** Aborted when the request times out or the client goes away; passed to all pipeline work. */
  signal: AbortSignal;
  /** The caller's key, or undefined when the server runs without keys. */
  apiKey: ApiKey | undefined;
  /** The request's child logger. */
  logger: Logger;
  /** The error code of the response, when it is an error (for the request log). */
  errorCode: string | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}
