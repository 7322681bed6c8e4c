// POST /v1/migrations — copy or move a namespace; `dry_run` returns the plan and changes nothing.
// POST /v1/migrations/reembed — a namespace's rows embedded again with the server's model.

import { migrationResultFailed } from '@dynamic-embeddings/migration';
import { createRoute } from '@hono/zod-openapi';
import { HttpError } from '../http-error.js';
import { migrationBody, reembedBody } from '../request-schemas.js';
import { migrationResponse, reembedResult } from '../response-schemas.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  type RouteContext,
} from '../route-context.js';

export function registerMigrationRoutes(context: RouteContext): void {
  registerCopyAndMove(context);
  registerReembed(context);
}

function registerReembed({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/migrations/reembed',
      operationId: 'reembedNamespace',
      summary: "Re-embed a namespace into another with the server's model (needs a * key with rw)",
      description:
        'Copies every row of the source (text, metadata, chunk columns) into the target, embedded with the server’s provider; the source is left unchanged. A repeated request skips the rows the target already has, so an interrupted re-embedding resumes.',
      tags: ['migrations'],
      security: bearerSecurity,
      middleware: [authorizer.admin] as const,
      request: { body: jsonBody(reembedBody) },
      responses: {
        200: jsonResponse(reembedResult, 'What was (dry_run: would be) embedded and written'),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 504),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await pipeline.reembedNamespace({
        source: body.source,
        target: body.target,
        dryRun: body.dry_run,
        ...(body.page_rows === undefined ? {} : { pageRows: body.page_rows }),
        signal: c.get('signal'),
      });
      return c.json(result, 200);
    },
  );
}

function registerCopyAndMove({ app, migration, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/migrations',
      operationId: 'runMigration',
      summary: 'Copy or move a namespace (needs a * key with rw)',
      description:
        'Refusals (missing source, existing target, …) are 4xx errors and change nothing. A migration that fails while copying is rolled back and answered with 500 MIGRATION_FAILED, whose details carry the result.',
      tags: ['migrations'],
      security: bearerSecurity,
      middleware: [authorizer.admin] as const,
      request: { body: jsonBody(migrationBody) },
      responses: {
        200: jsonResponse(migrationResponse, 'The plan (dry_run) or the result'),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 504),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const request = { source: body.source, target: body.target, mode: body.mode, into: body.into };
      if (body.dry_run) {
        return c.json({ dry_run: true as const, plan: await migration.planMigration(request) }, 200);
      }
      const result = await migration.migrateNamespace({
        ...request,
        checksum: body.checksum,
        signal: c.get('signal'),
      });
      if (!result.success) {
        // MIGRATION_FAILED is a database error (CLI exit 6); over HTTP it stays the documented 500.
        throw HttpError.answering(migrationResultFailed(result), { status: 500 });
      }
      return c.json({ dry_run: false as const, result }, 200);
    },
  );
}
