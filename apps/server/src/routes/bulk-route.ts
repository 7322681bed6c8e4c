// POST /v1/namespaces/:ns/documents:bulk — an NDJSON body streamed straight into the pipeline, so
// memory stays bounded by the pipeline's batch and the per-line limit, whatever the body's size.

import { z } from '@hono/zod-openapi';
import { unsupportedMediaType } from '../http-error.js';
import { limitLineLength } from '../limit-line-length.js';
import { bulkQuery, namespaceParams } from '../request-schemas.js';
import { ingestResult } from '../response-schemas.js';
import { bearerSecurity, errorResponses, jsonResponse, type RouteContext } from '../route-context.js';
import { validationError } from '../validation-error.js';

/**
 * Hono reads `:` in a path segment as the start of a parameter, so the literal `documents:bulk`
 * segment is matched with a regular-expression parameter (also accepting a percent-encoded colon).
 */
export const BULK_ROUTE_PATH = '/v1/namespaces/:ns/:operation{documents(?::|%3[aA])bulk}';

const ndjsonMediaType = 'application/x-ndjson';
/**
 * Documents per write batch of an upload (the pipeline's default is 1,000). Each upload keeps about
 * two batches in flight (one embedded, one written) and a server runs several uploads at once, so a
 * smaller batch bounds the memory one upload holds: with 1,000 the 59 MB upload of
 * bulk-memory.test.ts peaked at 17–44 MB of live memory (above its 40 MB bound once in three runs),
 * with 250 at 25–31 MB. A provider still gets requests of up to 250 documents' chunks.
 */
const BULK_BATCH_DOCUMENTS = 250;

export function registerBulkRoute({
  app,
  pipeline,
  authorizer,
  embeddingLimiter,
  limits,
}: RouteContext): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/namespaces/{ns}/documents:bulk',
    operationId: 'ingestDocumentsBulk',
    summary: 'Ingest many documents from an NDJSON body (streamed)',
    description: `One JSON document per line. Each document's id is its \`id\`, \`_id\` or \`document_id\` field (else doc-N by position, so give ids when uploading in several requests). Lines are limited to ${limits.ndjsonLineBytes} bytes; the body as a whole is streamed, not limited. Not atomic: on an error, documents of earlier lines may already be stored, and re-uploading them is safe (each document replaces its own chunks).`,
    tags: ['documents'],
    security: bearerSecurity,
    request: {
      params: namespaceParams,
      query: bulkQuery,
      body: {
        required: true,
        content: {
          [ndjsonMediaType]: { schema: z.string().openapi({ example: '{"id":"a","title":"…"}\n' }) },
        },
      },
    },
    responses: {
      200: jsonResponse(ingestResult, 'Ingested'),
      ...errorResponses(400, 401, 403, 413, 415, 503, 504),
    },
  });

  app.post(BULK_ROUTE_PATH, authorizer.namespace('write'), async (c) => {
    const namespace = namespaceParams.parse({ ns: c.req.param('ns') }).ns;
    const query = bulkQuery.safeParse(c.req.query());
    if (!query.success) throw validationError('query', query.error);
    const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== ndjsonMediaType) {
      throw unsupportedMediaType(
        `A bulk upload is NDJSON: send one JSON document per line with Content-Type: ${ndjsonMediaType}.`,
        { details: { expected: ndjsonMediaType, received: mediaType ?? null } },
      );
    }
    // An empty body is an empty upload: zero documents.
    const body = c.req.raw.body ?? [];
    const signal = c.get('signal');
    const result = await embeddingLimiter.run(signal, () =>
      pipeline.processJsonStream(limitLineLength(body, { maxLineBytes: limits.ndjsonLineBytes, signal }), {
        namespace,
        collectionName: query.data.collection,
        batchDocuments: BULK_BATCH_DOCUMENTS,
        signal,
        ...(query.data.strategy === undefined ? {} : { strategy: query.data.strategy }),
      }),
    );
    return c.json(result, 200);
  });
}
