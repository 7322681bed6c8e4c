// Request timeouts that also cancel the work: hono/timeout only stops waiting, while this aborts the
// request's signal, which every pipeline call receives, so a timed-out ingest stops embedding.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { HttpError } from './http-error.js';

export function requestDeadline(timeoutOf: (c: Context<AppEnv>) => number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const timeoutMs = timeoutOf(c);
    const controller = new AbortController();
    // The client going away (node-server aborts the request's signal) cancels the work too.
    c.set('signal', AbortSignal.any([c.req.raw.signal, controller.signal]));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new HttpError({
          code: 'REQUEST_TIMEOUT',
          status: 504,
          message: `The request did not finish within ${timeoutMs} ms and was cancelled. Send less work per request (smaller documents or batches), or ask the operator to raise the timeout.`,
          details: { timeout_ms: timeoutMs },
        });
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
