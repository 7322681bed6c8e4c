// The provider is called while the source is still being read: reading and chunking are synchronous
// work, so without turns of the event loop the first request would leave only once the reader
// blocks (after the whole of a source that fits in the batches in flight). Through a real
// OpenAI-compatible HTTP server on 127.0.0.1 and the openai SDK.
import { databaseTargets } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';
import type { IngestInput } from './pipeline-types.js';
import { useProviderPipeline } from './testing/provider-pipeline.js';

/** Two full batches and one short one: the short one is handed on only after the source ends. */
const BATCH_DOCUMENTS = 1000;
const DOCUMENTS = 2 * BATCH_DOCUMENTS + 999;
const CONCURRENCY = 2;
/** Requests a caller may expect at most: LangChain's 512 inputs per request. */
const INPUTS_PER_REQUEST_FLOOR = 512;

describe.each(databaseTargets)('an ingest of many small documents on $name', (target) => {
  // The namespace exists and its connections are open before the ingest, so the first batch's
  // lookup and request need a few turns of the event loop, not a connection's set-up.
  const suite = useProviderPipeline(
    { target, namespace: 'early', delayMs: 50, concurrency: CONCURRENCY },
    (started) => started.pipeline.createNamespace('early'),
  );

  it('sends its first request before the source is read to its end, within the limits', async () => {
    let requestsWhenLastRead: number | undefined;
    function* documents(): Generator<IngestInput> {
      for (let index = 0; index < DOCUMENTS; index++) {
        if (index === DOCUMENTS - 1) requestsWhenLastRead = suite.server.requests.length;
        yield {
          kind: 'data',
          documentId: `reading-${index}`,
          // Sixteen fields (one chunk, ~120 tokens), so reading and chunking the later batches takes
          // many slices while a batch stays within a request's token budget.
          data: Object.fromEntries(
            Array.from({ length: 16 }, (_, field) => [`reading_${field}`, `sensor ${index} value ${field}`]),
          ),
        };
      }
    }
    const result = await suite.pipeline.ingest(documents(), {
      collectionName: 'readings',
      batchDocuments: BATCH_DOCUMENTS,
    });
    expect(result).toMatchObject({ documents: DOCUMENTS, reused: 0 });
    // The server had a request of the first batch before the reader took the last document.
    expect(requestsWhenLastRead).toBeGreaterThan(0);

    const sent = suite.server.requests.flatMap((request) => request.body.input ?? []);
    expect(sent).toHaveLength(result.embedded);
    expect(new Set(sent).size).toBe(sent.length);
    expect(suite.server.requests.length).toBeLessThanOrEqual(
      Math.ceil(result.embedded / INPUTS_PER_REQUEST_FLOOR),
    );
    // Requests overlapped, never more at once than the provider's concurrency.
    expect(suite.server.maxConcurrent).toBeGreaterThan(1);
    expect(suite.server.maxConcurrent).toBeLessThanOrEqual(CONCURRENCY);
    const stats = await suite.pipeline.getCollectionStats('readings');
    expect(stats).toMatchObject({
      document_count: DOCUMENTS,
      total_embeddings: result.chunks - result.skipped,
    });
  });
});
