// Namespaces: list, create, stats, drop.
import {
  confirmationRequired,
  createError,
  dimensionMismatch,
  namespaceNotFound,
} from '@dynamic-embeddings/core';
import { createRoute } from '@hono/zod-openapi';
import { createNamespaceBody, dropNamespaceQuery, namespaceParams } from '../request-schemas.js';
import { backupList, dropped, namespaceList, namespaceRecord, namespaceStats } from '../response-schemas.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  type RouteContext,
} from '../route-context.js';

export function registerNamespaceRoutes(context: RouteContext): void {
  registerListNamespaces(context);
  registerCreateNamespace(context);
  registerNamespaceStats(context);
  registerDropNamespace(context);
  registerListBackups(context);
}

/** GET /v1/namespaces: the namespaces the key may read. */
function registerListNamespaces({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/namespaces',
      operationId: 'listNamespaces',
      summary: 'List the namespaces this key may read',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.authenticated] as const,
      responses: { 200: jsonResponse(namespaceList, 'Namespaces with row counts'), ...errorResponses(401) },
    }),
    async (c) => {
      const namespaces = await pipeline.listNamespaces();
      // A tenant key sees only its own namespaces: the list must not reveal the others.
      return c.json({ namespaces: namespaces.filter((info) => authorizer.canRead(c, info.namespace)) }, 200);
    },
  );
}

/** POST /v1/namespaces: creates a namespace with the server's model (admin key). */
function registerCreateNamespace({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/namespaces',
      operationId: 'createNamespace',
      summary: 'Create a namespace (needs a * key with rw)',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.admin] as const,
      request: { body: jsonBody(createNamespaceBody) },
      responses: {
        201: jsonResponse(namespaceRecord, 'Created'),
        ...errorResponses(400, 401, 403, 409, 413, 415),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const dimensions = pipeline.provider.dimensions;
      if (body.dimensions !== undefined && body.dimensions !== dimensions) {
        throw dimensionMismatch(
          `This server embeds with ${pipeline.provider.provider}/${pipeline.provider.model}, which makes ${dimensions}-dimensional vectors; the request asked for ${body.dimensions}. Omit "dimensions" or run a server with that model.`,
          { field: 'dimensions', expected: dimensions, actual: body.dimensions },
        );
      }
      const { created, namespace } = await pipeline.createNamespace(body.name, {
        ...(body.index === undefined ? {} : { index: body.index }),
        ...(body.index_params === undefined ? {} : { indexParams: body.index_params }),
        ...(body.index_threshold === undefined ? {} : { indexThreshold: body.index_threshold }),
        ...(body.storage === undefined ? {} : { storage: body.storage }),
        ...(body.recall_target === undefined ? {} : { recallTarget: body.recall_target }),
        ...(body.text_search_config === undefined ? {} : { textSearchConfig: body.text_search_config }),
      });
      if (!created) {
        throw createError({
          code: 'NAMESPACE_EXISTS',
          message: `Namespace "${body.name}" already exists. Use it as it is, or drop it first.`,
          details: { namespace: body.name },
        });
      }
      c.header('Location', `/v1/namespaces/${namespace.namespace}`);
      return c.json(namespace, 201);
    },
  );
}

/** GET /v1/namespaces/{ns}: statistics of one namespace. */
function registerNamespaceStats({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/namespaces/{ns}',
      operationId: 'getNamespaceStats',
      summary: 'Namespace statistics',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('read')] as const,
      request: { params: namespaceParams },
      responses: { 200: jsonResponse(namespaceStats, 'Statistics'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const stats = await pipeline.getNamespaceStats(ns);
      if (!stats.exists) throw namespaceNotFound(ns);
      return c.json(stats, 200);
    },
  );
}

/** DELETE /v1/namespaces/{ns}: drops a namespace and its rows (admin key, ?confirm=true). */
function registerDropNamespace({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/namespaces/{ns}',
      operationId: 'dropNamespace',
      summary: 'Drop a namespace and all its rows (needs ?confirm=true and a * key with rw)',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.admin] as const,
      request: { params: namespaceParams, query: dropNamespaceQuery },
      responses: { 200: jsonResponse(dropped, 'Dropped'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      if (c.req.valid('query').confirm !== true) {
        throw confirmationRequired(`Dropping namespace "${ns}" deletes its table and every row in it.`, {
          details: { field: 'confirm', namespace: ns },
        });
      }
      // dropNamespace returns true or throws (NAMESPACE_NOT_FOUND for an unknown namespace).
      await pipeline.dropNamespace(ns, { confirm: true });
      return c.json({ dropped: true as const, namespace: ns }, 200);
    },
  );
}

/** GET /v1/namespaces/{ns}/backups: backup tables filed under a namespace (it may be gone). */
function registerListBackups({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/namespaces/{ns}/backups',
      operationId: 'listNamespaceBackups',
      summary: "Backups of a namespace's table (made by a move migration), newest first",
      description:
        'A backup outlives its namespace, so an unknown or dropped namespace answers with its backups (or none), not 404.',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('read')] as const,
      request: { params: namespaceParams },
      responses: { 200: jsonResponse(backupList, 'Backups'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const backups = (await pipeline.listBackups())
        .filter((backup) => backup.namespace === ns)
        .sort((a, b) => b.created_at.localeCompare(a.created_at));
      return c.json({ namespace: ns, backups }, 200);
    },
  );
}
