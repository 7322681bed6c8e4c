// Errors that belong to HTTP itself (timeouts, overload, media types) and have no ErrorKind of
// their own: they are still DjeErrors with a stable code, plus the exact status and headers to send.
import { DjeError, type DjeErrorOptions } from '@dynamic-embeddings/core';

export interface HttpErrorOptions extends DjeErrorOptions {
  /** The HTTP status to answer with, overriding the one the kind maps to. */
  readonly status: number;
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export class HttpError extends DjeError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(options: HttpErrorOptions) {
    super(options);
    this.name = 'HttpError';
    this.status = options.status;
    this.headers = options.headers ?? {};
  }
}
