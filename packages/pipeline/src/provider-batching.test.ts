// Many small documents share full embedding requests: through a real OpenAI-compatible HTTP server
// on 127.0.0.1 and the openai SDK, ingesting 500 documents sends ⌈texts ÷ inputs per request⌉
// requests, not one per document, and re-ingesting the same documents sends none.
import { createOpenAIProvider } from '@dynamic-embeddings/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOpenAIServer, type TestOpenAIServer } from '../../embeddings/src/testing/openai-server.js';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline, IngestInput } from './pipeline-types.js';

const DOCUMENTS = 500;

function documents(): IngestInput[] {
  return Array.from({ length: DOCUMENTS }, (_, index) => ({
    kind: 'data' as const,
    documentId: `sensor-${index}`,
    data: { sensor: `sensor-${index}`, room: `room ${index % 17}`, battery: index % 100, status: 'ok' },
  }));
}

describe('ingesting many small documents through an OpenAI-compatible provider', () => {
  let server: TestOpenAIServer;
  let pipeline: EmbeddingPipeline;
  const maxInputs = 200;
  beforeAll(async () => {
    server = await startTestOpenAIServer();
    const provider = createOpenAIProvider({
      baseURL: server.baseURL,
      apiKey: 'test-key',
      model: 'text-embedding-3-small',
      dimensions: 32,
      retryBaseDelayMs: 1,
      timeoutMs: 5_000,
    });
    // A small per-request limit, so 500 documents need several full requests.
    pipeline = await createPipeline({
      databaseUrl: 'memory://',
      namespace: 'sensors',
      provider: { ...provider, maxInputsPerCall: maxInputs },
    });
  });
  afterAll(async () => {
    await pipeline?.close();
    await server?.close();
  });

  it('fills every request but the last: ⌈texts ÷ inputs per request⌉ requests (±1)', async () => {
    const result = await pipeline.ingest(documents(), { collectionName: 'readings' });
    expect(result).toMatchObject({ documents: DOCUMENTS, reused: 0 });
    const inputs = server.requests.map((request) =>
      Array.isArray(request.body.input) ? request.body.input.length : 1,
    );
    expect(inputs.reduce((sum, count) => sum + count, 0)).toBe(result.embedded);
    expect(Math.max(...inputs)).toBeLessThanOrEqual(maxInputs);
    const fewest = Math.ceil(result.embedded / maxInputs);
    expect(server.requests.length).toBeGreaterThanOrEqual(fewest);
    expect(server.requests.length).toBeLessThanOrEqual(fewest + 1);
    expect(server.requests.length).toBeLessThan(DOCUMENTS / 4);
  });

  it('re-ingesting unchanged documents sends no request and stores each document once', async () => {
    const before = server.requests.length;
    const again = await pipeline.ingest(documents(), { collectionName: 'readings' });
    expect(again).toMatchObject({ documents: DOCUMENTS, embedded: 0 });
    expect(again.reused).toBe(again.chunks - again.skipped);
    expect(server.requests.length).toBe(before);
    const stats = await pipeline.getCollectionStats('readings');
    expect(stats.document_count).toBe(DOCUMENTS);
  });
});

describe('a folder-sized ingest uses the provider concurrency', () => {
  let server: TestOpenAIServer;
  let pipeline: EmbeddingPipeline;
  beforeAll(async () => {
    // Answers held back long enough that a later batch's requests go out while earlier ones wait.
    server = await startTestOpenAIServer({ delayMs: 400 });
    const provider = createOpenAIProvider({
      baseURL: server.baseURL,
      apiKey: 'test-key',
      model: 'text-embedding-3-small',
      dimensions: 8,
      concurrency: 4,
      timeoutMs: 10_000,
    });
    pipeline = await createPipeline({ databaseUrl: 'memory://', namespace: 'folder', provider });
  });
  afterAll(async () => {
    await pipeline?.close();
    await server?.close();
  });

  it('has as many requests in flight as the concurrency, and no more requests than 512 inputs each would need', async () => {
    const inputs: IngestInput[] = Array.from({ length: 4 * DOCUMENTS }, (_, index) => ({
      kind: 'data' as const,
      documentId: `meter-${index}`,
      data: { meter: `meter-${index}`, kwh: index % 37 },
    }));
    const result = await pipeline.ingest(inputs, { collectionName: 'meters' });
    expect(result).toMatchObject({ documents: 4 * DOCUMENTS, reused: 0 });
    // One batch of 2,000 documents, one call that fits a 2,048-input request: sent as four requests
    // of 500 at once, as many as the concurrency (one request a batch: one in flight).
    expect(server.maxConcurrent).toBe(4);
    expect(server.requests.length).toBeLessThanOrEqual(Math.ceil(result.embedded / 512));
    const sent = server.requests.flatMap((request) => request.body.input ?? []);
    expect(new Set(sent).size).toBe(result.embedded);
  });
});
