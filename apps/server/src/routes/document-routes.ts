// Single documents: ingest/replace, read its chunks, delete.
import { documentNotFound } from '@dynamic-embeddings/core';
import { resolveConfig } from '@dynamic-embeddings/pipeline';
import { createRoute } from '@hono/zod-openapi';
import {
  deleteDocumentQuery,
  documentParams,
  getDocumentQuery,
  putDocumentBody,
} from '../request-schemas.js';
import { deleted, documentChunks, ingestResult } from '../response-schemas.js';
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  type RouteContext,
} from '../route-context.js';

export function registerDocumentRoutes({ app, pipeline, authorizer, embeddingLimiter }: RouteContext): void {
  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/namespaces/{ns}/documents/{id}',
      operationId: 'putDocument',
      summary: 'Ingest a JSON document, replacing its previous chunks',
      description: 'Chunks, embeds and stores `data`. Creates the namespace on first use.',
      tags: ['documents'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('write')] as const,
      request: { params: documentParams, body: jsonBody(putDocumentBody) },
      responses: {
        200: jsonResponse(ingestResult, 'Ingested'),
        ...errorResponses(400, 401, 403, 413, 415, 503, 504),
      },
    }),
    async (c) => {
      const { ns, id } = c.req.valid('param');
      const body = c.req.valid('json');
      const signal = c.get('signal');
      // Checked before waiting for an embedding slot: a bad config fails at once.
      const config = body.config === undefined ? undefined : resolveConfig(body.config);
      const result = await embeddingLimiter.run(signal, () =>
        pipeline.processJsonData(body.data, {
          namespace: ns,
          collectionName: body.collection,
          documentId: id,
          signal,
          ...(body.strategy === undefined ? {} : { strategy: body.strategy }),
          ...(config === undefined ? {} : { config }),
        }),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/namespaces/{ns}/documents/{id}',
      operationId: 'getDocument',
      summary: "A document's chunks (vectors only with ?vectors=true)",
      tags: ['documents'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('read')] as const,
      request: { params: documentParams, query: getDocumentQuery },
      responses: { 200: jsonResponse(documentChunks, 'Chunks'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ns, id } = c.req.valid('param');
      const query = c.req.valid('query');
      const chunks = await pipeline.getDocument(id, {
        namespace: ns,
        includeVectors: query.vectors === true,
        ...(query.collection === undefined ? {} : { collectionName: query.collection }),
      });
      if (chunks.length === 0)
        throw documentNotFound({ namespace: ns, documentId: id, collectionName: query.collection });
      return c.json({ namespace: ns, document_id: id, chunks }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/namespaces/{ns}/documents/{id}',
      operationId: 'deleteDocument',
      summary: "Delete a document's chunks",
      tags: ['documents'],
      security: bearerSecurity,
      middleware: [authorizer.namespace('write')] as const,
      request: { params: documentParams, query: deleteDocumentQuery },
      responses: { 200: jsonResponse(deleted, 'Rows deleted'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { ns, id } = c.req.valid('param');
      const { collection } = c.req.valid('query');
      const count = await pipeline.deleteDocument(id, {
        namespace: ns,
        ...(collection === undefined ? {} : { collectionName: collection }),
      });
      if (count === 0) throw documentNotFound({ namespace: ns, documentId: id, collectionName: collection });
      return c.json({ deleted: count }, 200);
    },
  );
}
