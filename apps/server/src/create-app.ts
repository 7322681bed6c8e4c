// Builds the Hono app: middleware (request ids, logs, timeouts, body limits, auth), every route,
// and the OpenAPI document. Listening is startServer's job, so tests can also call `app.request()`.
import { createLogger, type Logger } from '@dynamic-embeddings/core/logger';
import type { NamespaceMigration } from '@dynamic-embeddings/migration';
import type { EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { ApiKey } from './api-keys.js';
import type { AppEnv } from './app-env.js';
import { createAuthorizer } from './authorize.js';
import { errorResponse } from './error-response.js';
import { payloadTooLarge } from './http-error.js';
import { requestDeadline } from './request-deadline.js';
import type { RouteContext } from './route-context.js';
import { registerBulkRoute } from './routes/bulk-route.js';
import { registerChunkRoute } from './routes/chunk-route.js';
import { registerClusterRoutes } from './routes/cluster-routes.js';
import { registerCollectionRoutes } from './routes/collection-routes.js';
import { registerConsoleRoutes } from './routes/console-routes.js';
import { registerDocsRoutes } from './routes/docs-routes.js';
import { registerDocumentRoutes } from './routes/document-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerMigrationRoutes } from './routes/migration-routes.js';
import { registerNamespaceRoutes } from './routes/namespace-routes.js';
import { registerRecallRoutes } from './routes/recall-routes.js';
import { registerSearchRoute } from './routes/search-route.js';
import { resolveLimits, type ServerLimits } from './server-limits.js';
import { validationError } from './validation-error.js';
import { createWorkLimiter } from './work-limiter.js';

export interface AppDependencies {
  readonly pipeline: EmbeddingPipeline;
  readonly migration: NamespaceMigration;
  /** Parsed with parseApiKeys; none means every request is allowed (startServer then binds to loopback only). */
  readonly apiKeys?: readonly ApiKey[];
  readonly limits?: Partial<ServerLimits>;
  /** Request logs and errors (default: a pino logger named `server` on stderr). */
  readonly logger?: Logger;
}

const bulkPathPattern = /\/documents(?::|%3a)bulk$/i;

/** Bulk uploads and migrations legitimately run for minutes. */
function isLongRequest(c: Context<AppEnv>): boolean {
  return bulkPathPattern.test(c.req.path) || c.req.path === '/v1/migrations';
}

export function createApp(dependencies: AppDependencies): OpenAPIHono<AppEnv> {
  const limits = resolveLimits(dependencies.limits);
  const logger = dependencies.logger ?? createLogger({ name: 'server' });
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target, result.error);
    },
  });

  app.use(requestId());
  app.use(async (c, next) => {
    const requestLogger = logger.child({ request_id: c.get('requestId') });
    c.set('logger', requestLogger);
    const startedAt = performance.now();
    await next();
    // Method, path and outcome only: never headers (Authorization) nor bodies.
    requestLogger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - startedAt) * 10) / 10,
        ...(c.get('errorCode') === undefined ? {} : { error_code: c.get('errorCode') }),
      },
      'request',
    );
  });
  app.use(
    '/v1/*',
    requestDeadline((c) => (isLongRequest(c) ? limits.longRequestTimeoutMs : limits.requestTimeoutMs)),
  );
  const jsonBodyLimit = bodyLimit({
    maxSize: limits.jsonBodyBytes,
    onError: () => {
      throw payloadTooLarge(
        `The request body is larger than ${limits.jsonBodyBytes} bytes. Send smaller documents, use the NDJSON bulk route for many documents, or ask the operator to raise the limit.`,
        { details: { limit_bytes: limits.jsonBodyBytes } },
      );
    },
  });
  // The bulk route streams its body and limits each line instead.
  app.use('/v1/*', (c, next) => (bulkPathPattern.test(c.req.path) ? next() : jsonBodyLimit(c, next)));

  const context: RouteContext = {
    app,
    pipeline: dependencies.pipeline,
    migration: dependencies.migration,
    authorizer: createAuthorizer(dependencies.apiKeys ?? []),
    embeddingLimiter: createWorkLimiter({
      concurrency: limits.embeddingConcurrency,
      queue: limits.embeddingQueue,
    }),
    limits,
  };
  registerHealthRoutes(context);
  registerNamespaceRoutes(context);
  registerCollectionRoutes(context);
  registerDocumentRoutes(context);
  registerBulkRoute(context);
  registerSearchRoute(context);
  registerChunkRoute(context);
  registerRecallRoutes(context);
  registerClusterRoutes(context);
  registerMigrationRoutes(context);
  registerDocsRoutes(context);
  registerConsoleRoutes(context);

  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'NOT_FOUND',
          message: `There is no route ${c.req.method} ${c.req.path}. The routes are listed at /docs.`,
        },
      },
      404,
    ),
  );
  app.onError(errorResponse);
  return app;
}
