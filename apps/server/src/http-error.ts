// Errors that belong to HTTP itself (timeouts, overload, media types) and have no ErrorKind of
// their own: they are still DjeErrors with a stable code, plus the exact status and headers to send.
import {
  createError,
  DjeError,
  type DjeErrorOptions,
  type ErrorFacts,
  httpStatusOf,
} from '@dynamic-embeddings/core';

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

  /**
   * The same error (code, message, details, cause) answered with an explicit status or extra
   * headers: the error stays built by its one factory, HTTP only adds how it is sent.
   */
  static answering(
    error: DjeError,
    how: { readonly status?: number; readonly headers?: Readonly<Record<string, string>> },
  ): HttpError {
    const { code, message, details } = error;
    return new HttpError({
      code,
      message,
      ...(details === undefined ? {} : { details }),
      ...(error.cause === undefined ? {} : { cause: error.cause }),
      status: how.status ?? httpStatusOf(error),
      ...(how.headers === undefined ? {} : { headers: how.headers }),
    });
  }
}

/** PAYLOAD_TOO_LARGE: a JSON body or one NDJSON line is over the server's limit. */
export function payloadTooLarge(message: string, facts: ErrorFacts = {}): DjeError {
  return createError({ code: 'PAYLOAD_TOO_LARGE', message, ...facts });
}

/** UNSUPPORTED_MEDIA_TYPE (415): the body was sent with a Content-Type the route does not take. */
export function unsupportedMediaType(message: string, facts: ErrorFacts = {}): HttpError {
  return new HttpError({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, message, ...facts });
}
