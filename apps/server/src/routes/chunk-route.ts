// POST /v1/chunk: how a JSON document would be chunked on ingest, without storing or embedding
// anything. No database, no provider call: the console's chunk inspector and `dje chunk` over HTTP.
import { chunkJson, chunkLimits, resolveConfig } from '@dynamic-embeddings/pipeline';
import { createRoute, type z } from '@hono/zod-openapi';
import { chunkBody } from '../request-schemas.js';
import { chunkPreview } from '../response-schemas.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  type RouteContext,
} from '../route-context.js';

export function registerChunkRoute({ app, pipeline, authorizer }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/chunk',
      operationId: 'chunkDocument',
      summary: 'Preview the chunks of a JSON document (nothing is stored or embedded)',
      description:
        "Chunks `data` as an ingest on this server would (the same token bound as the server's embedding model) and returns the chunks, the strategy used and, for `auto`, every strategy's score. Any valid key may call it.",
      tags: ['chunking'],
      security: bearerSecurity,
      middleware: [authorizer.authenticated] as const,
      request: { body: jsonBody(chunkBody) },
      responses: {
        200: jsonResponse(chunkPreview, 'The chunks, in document order'),
        ...errorResponses(400, 401, 404, 413, 415),
      },
    }),
    (c) => {
      const body = c.req.valid('json');
      // The provider is only asked for its input limit, so a preview matches what ingest stores.
      const { config, maxTokens } = chunkLimits(
        pipeline.provider,
        body.config === undefined ? undefined : resolveConfig(body.config),
      );
      const result = chunkJson(body.data, {
        documentId: body.document_id,
        config,
        maxTokens,
        ...(body.strategy === undefined ? {} : { strategy: body.strategy }),
        ...(body.collection === undefined ? {} : { collectionName: body.collection }),
      });
      // The chunker's result is deeply readonly; the schema's inferred type is the same shape, mutable.
      return c.json(result as z.infer<typeof chunkPreview>, 200);
    },
  );
}
