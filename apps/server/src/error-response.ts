// The one place errors become HTTP responses: `{ error: { code, message, details?, hint? } }` with the
// status the error's kind (or HttpError) names. Unknown errors are logged and answered without
// their message, which may contain internals.
import {
  createError,
  DjeError,
  hintFor,
  httpStatusOf,
  invalidJson,
  withHint,
} from '@dynamic-embeddings/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './app-env.js';
import { httpHints } from './error-hints.js';
import { HttpError, payloadTooLarge, unsupportedMediaType } from './http-error.js';

/** Hono's own exceptions (media type gate, malformed JSON, body limit) as DjeErrors. */
function fromHttpException(exception: HTTPException): DjeError {
  switch (exception.status) {
    case 400:
      return exception.message.includes('JSON')
        ? invalidJson(
            'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
          )
        : createError({ code: 'BAD_REQUEST', message: exception.message });
    case 413:
      return payloadTooLarge(exception.message);
    case 415:
      return unsupportedMediaType(
        'Unsupported Content-Type: this route takes a JSON body sent with Content-Type: application/json.',
      );
    default:
      return new HttpError({
        code: 'HTTP_ERROR',
        status: exception.status,
        message: exception.message,
      });
  }
}

export function errorResponse(error: unknown, c: Context<AppEnv>): Response {
  const signal = c.get('signal');
  // A handler cut off by its deadline rejects later with the same reason; its answer (504) is
  // already sent, so there is nothing more to say or log.
  if (c.finalized && signal?.aborted && signal.reason === error) return c.res;
  const known = DjeError.isInstance(error)
    ? error
    : error instanceof HTTPException
      ? fromHttpException(error)
      : undefined;
  if (known === undefined) {
    c.get('logger')?.error({ err: error }, 'unhandled error');
    c.set('errorCode', 'INTERNAL_ERROR');
    return c.json(
      {
        error: {
          code: 'INTERNAL_ERROR',
          message: `Internal server error. The server log has the details under request id ${c.get('requestId')}.`,
        },
      },
      500,
    );
  }
  const status = (known instanceof HttpError ? known.status : httpStatusOf(known)) as ContentfulStatusCode;
  // Overload and timeouts are operating conditions, not faults: a warning without a stack.
  if (known instanceof HttpError && status >= 500) c.get('logger')?.warn({ code: known.code }, known.message);
  else if (status >= 500) c.get('logger')?.error({ err: known }, known.message);
  if (known instanceof HttpError)
    for (const [name, value] of Object.entries(known.headers)) c.header(name, value);
  c.set('errorCode', known.code);
  const hint = hintFor(known, httpHints);
  const body = { ...known.toJSON(), message: withHint(known.message, hint) };
  return c.json({ error: hint === undefined ? body : { ...body, hint } }, status);
}
