// Liveness (the process answers) and readiness (the database answers too). Both are open to
// unauthenticated probes, so they say nothing about the database beyond up or down.
import { databaseUnavailable } from '@dynamic-embeddings/core';
import { createRoute } from '@hono/zod-openapi';
import { HttpError } from '../http-error.js';
import { health, readiness } from '../response-schemas.js';
import { errorResponses, jsonResponse, type RouteContext } from '../route-context.js';

/** How long /ready waits for the database before calling it unavailable. */
const readinessTimeoutMs = 5000;

export function registerHealthRoutes({ app, pipeline }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      operationId: 'getHealth',
      summary: 'Liveness: the process is up',
      description: 'Public: probes need no API key.',
      tags: ['health'],
      security: [],
      responses: { 200: jsonResponse(health, 'Alive') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      operationId: 'getReadiness',
      summary: 'Readiness: the database answers',
      description: 'Public: probes need no API key.',
      tags: ['health'],
      security: [],
      responses: { 200: jsonResponse(readiness, 'Ready'), ...errorResponses(503) },
    }),
    async (c) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        // Listing namespaces reads the registry: the cheapest query the pipeline offers, and it
        // proves the schema is in place, not only that a socket opens.
        await Promise.race([
          pipeline.listNamespaces(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${readinessTimeoutMs} ms`)),
              readinessTimeoutMs,
            );
          }),
        ]);
      } catch (error) {
        c.get('logger').warn({ err: error }, 'readiness check failed');
        throw HttpError.answering(
          databaseUnavailable(
            'The database does not answer, so the server is not ready. The server log says why.',
            { cause: error },
          ),
          { headers: { 'Retry-After': '5' } },
        );
      } finally {
        clearTimeout(timer);
      }
      return c.json({ status: 'ready' as const }, 200);
    },
  );
}
