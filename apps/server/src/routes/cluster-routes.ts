// Where namespaces live on a Citus cluster: POST /v1/namespaces/{ns}/move moves one to a worker,
// POST /v1/namespaces/{ns}/distribute shards a large one, POST /v1/cluster/rebalance runs Citus's
// rebalancer. CITUS_REQUIRED on a single server.
import { createRoute } from '@hono/zod-openapi';
import { distributeNamespaceBody, moveNamespaceBody, namespaceParams } from '../request-schemas.js';
import { clusterRebalance, namespaceDistribution, namespaceMove } from '../response-schemas.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  type RouteContext,
} from '../route-context.js';

export function registerClusterRoutes({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/namespaces/{ns}/move',
      operationId: 'moveNamespace',
      summary: 'Move a namespace to another Citus worker (needs a * key with rw)',
      description:
        "Citus's shard move: every row and index is kept, the namespace stays readable. 404 NODE_NOT_FOUND when `to` is not a worker; 400 CITUS_REQUIRED on a single PostgreSQL server.",
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.admin] as const,
      request: { params: namespaceParams, body: jsonBody(moveNamespaceBody) },
      responses: {
        200: jsonResponse(namespaceMove, 'Where the namespace was, and where it is now'),
        ...errorResponses(400, 401, 403, 404, 413, 415, 503, 504),
      },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(await pipeline.moveNamespace(ns, { to: body.to }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/namespaces/{ns}/distribute',
      operationId: 'distributeNamespace',
      summary: 'Hash-distribute a large namespace over N Citus shards (needs a * key with rw)',
      description:
        'Distributed on chunk_id, an ANN index per shard; searches fan out and merge. Writers wait while it runs. 400 CITUS_REQUIRED on a single PostgreSQL server.',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.admin] as const,
      request: { params: namespaceParams, body: jsonBody(distributeNamespaceBody) },
      responses: {
        200: jsonResponse(namespaceDistribution, 'Its shards and the workers holding them'),
        ...errorResponses(400, 401, 403, 404, 413, 415, 503, 504),
      },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(await pipeline.distributeNamespace(ns, { shards: body.shards }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/cluster/rebalance',
      operationId: 'rebalanceCluster',
      summary: "Run Citus's shard rebalancer and wait for it (needs a * key with rw)",
      description: 'Spreads namespaces over the workers. 400 CITUS_REQUIRED on a single PostgreSQL server.',
      tags: ['namespaces'],
      security: bearerSecurity,
      middleware: [authorizer.admin] as const,
      responses: {
        200: jsonResponse(clusterRebalance, 'The shard moves made'),
        ...errorResponses(400, 401, 403, 503, 504),
      },
    }),
    async (c) => c.json(await pipeline.rebalanceCluster(), 200),
  );
}
