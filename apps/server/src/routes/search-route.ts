// POST /v1/namespaces/:ns/search — by text (embedded with the server's provider) or by a vector.
import type { ModePlan, SearchHit, SearchPlan } from '@dynamic-embeddings/pipeline';
import { createRoute } from '@hono/zod-openapi';
import { namespaceParams, searchBody } from '../request-schemas.js';
import { searchResults } from '../response-schemas.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  type RouteContext,
} from '../route-context.js';

export function registerSearchRoute({ app, pipeline, authorizer, embeddingLimiter }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/namespaces/{ns}/search',
      operationId: 'searchNamespace',
      summary: 'Search by `query` text (hybrid, vector or keyword) or by `vector`',
      tags: ['search'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('read')] as const,
      request: { params: namespaceParams, body: jsonBody(searchBody) },
      responses: {
        200: jsonResponse(searchResults, 'Hits, most similar first'),
        ...errorResponses(400, 401, 403, 404, 413, 415, 503, 504),
      },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const body = c.req.valid('json');
      const signal = c.get('signal');
      const options = {
        namespace: ns,
        limit: body.limit,
        ...(body.collection === undefined ? {} : { collectionName: body.collection }),
        ...(body.threshold === undefined ? {} : { threshold: body.threshold }),
        ...(body.filter === undefined ? {} : { filters: body.filter }),
        ...(body.exact === undefined ? {} : { exact: body.exact }),
      };
      const answer = (results: SearchHit[], plan: SearchPlan | ModePlan) =>
        c.json({ namespace: ns, results, ...(body.explain ? { plan } : {}) }, 200);
      if (body.vector !== undefined) {
        // No embedding work, so no embedding slot: the database pool bounds this path.
        const { results, plan } = await pipeline.store.similaritySearchWithPlan({
          ...options,
          vector: body.vector,
        });
        const hits = results.map(([{ embedding: _embedding, ...record }, similarity]) => ({
          ...record,
          similarity,
        }));
        return answer(hits, plan);
      }
      const query = body.query ?? '';
      const { hits, plan } = await embeddingLimiter.run(signal, () =>
        pipeline.searchWithPlan(query, {
          ...options,
          ...(body.mode === undefined ? {} : { mode: body.mode }),
          ...(body.rrf_k === undefined ? {} : { rrfK: body.rrf_k }),
          ...(body.weights === undefined ? {} : { weights: body.weights }),
          signal,
        }),
      );
      return answer(hits, plan);
    },
  );
}
