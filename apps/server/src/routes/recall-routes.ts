// Is search still right: recall@10 measured now (read), the recall target (write, calibrates), and
// the filter indexes of older tables (write).
import type { Filter } from '@dynamic-embeddings/pipeline';
import { createRoute, z } from '@hono/zod-openapi';
import { namespaceParams, recallBody, recallTargetBody } from '../request-schemas.js';
import { namespaceRecord, recallMeasurement, reindexResult } from '../response-schemas.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  type RouteContext,
} from '../route-context.js';

export function registerRecallRoutes({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/namespaces/{ns}/recall',
      operationId: 'measureRecall',
      summary: 'Measure recall@10 of search as it runs now, against exact search',
      description:
        'The queries are probes made from the stored vectors: half halfway between two of them, half a stored vector moved as far as its nearest neighbour lies; the recall reported is the lower of the two halves. With `filter`, filtered searches are measured. Reads only.',
      tags: ['search'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('read')] as const,
      request: { params: namespaceParams, body: jsonBody(recallBody) },
      responses: {
        200: jsonResponse(recallMeasurement, 'The measurement'),
        ...errorResponses(400, 401, 403, 404, 413, 415, 503, 504),
      },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const body = c.req.valid('json');
      const measured = await pipeline.measureRecall({
        namespace: ns,
        sample: body.sample,
        ...(body.collection === undefined ? {} : { collectionName: body.collection }),
        ...(body.filter === undefined ? {} : { filters: body.filter as Filter }),
      });
      return c.json(measured, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/namespaces/{ns}/recall-target',
      operationId: 'setRecallTarget',
      summary: 'Set the recall target and calibrate the index to it',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('write')] as const,
      request: { params: namespaceParams, body: jsonBody(recallTargetBody) },
      responses: {
        200: jsonResponse(
          z.object({ namespace: namespaceRecord, calibrated: z.boolean() }),
          'The namespace, and whether it had an index to calibrate',
        ),
        ...errorResponses(400, 401, 403, 404, 413, 415, 503, 504),
      },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(await pipeline.setRecallTarget(body.recall_target, { namespace: ns }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/namespaces/{ns}/reindex',
      operationId: 'reindexNamespace',
      summary: 'Build the filter indexes the namespace table lacks',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('write')] as const,
      request: { params: namespaceParams },
      responses: {
        200: jsonResponse(reindexResult, 'The indexes built'),
        ...errorResponses(400, 401, 403, 404, 503, 504),
      },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      return c.json(await pipeline.reindexNamespace(ns), 200);
    },
  );
}
