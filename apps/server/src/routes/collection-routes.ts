// Collections inside a namespace: list, stats, empty.
import { collectionNotFound } from '@dynamic-embeddings/core';
import { createRoute } from '@hono/zod-openapi';
import { collectionParams, namespaceParams } from '../request-schemas.js';
import { collectionList, collectionStats, deleted } from '../response-schemas.js';
import { bearerSecurity, errorResponses, jsonResponse, type RouteContext } from '../route-context.js';

export function registerCollectionRoutes({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/namespaces/{ns}/collections',
      operationId: 'listCollections',
      summary: 'List collections',
      tags: ['collections'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('read')] as const,
      request: { params: namespaceParams },
      responses: { 200: jsonResponse(collectionList, 'Collections'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const collections = await pipeline.listCollections({ namespace: ns });
      return c.json({ namespace: ns, collections }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/namespaces/{ns}/collections/{collection}',
      operationId: 'getCollectionStats',
      summary: 'Collection statistics',
      tags: ['collections'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('read')] as const,
      request: { params: collectionParams },
      responses: { 200: jsonResponse(collectionStats, 'Statistics'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ns, collection } = c.req.valid('param');
      // Throws COLLECTION_NOT_FOUND for a collection without rows: it exists only through them.
      return c.json(await pipeline.getCollectionStats(collection, { namespace: ns }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/namespaces/{ns}/collections/{collection}',
      operationId: 'deleteCollection',
      summary: 'Empty a collection (delete all its rows)',
      tags: ['collections'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('write')] as const,
      request: { params: collectionParams },
      responses: { 200: jsonResponse(deleted, 'Rows deleted'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ns, collection } = c.req.valid('param');
      const count = await pipeline.deleteCollection(collection, { namespace: ns });
      if (count === 0) throw collectionNotFound(ns, collection);
      return c.json({ deleted: count }, 200);
    },
  );
}
