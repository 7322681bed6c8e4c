// An AI SDK embedding model (@ai-sdk/openai against the local OpenAI-compatible server) as the
// pipeline's provider: documents are ingested and found through it, on both database paths.
import { createOpenAI } from '@ai-sdk/openai';
import { fromAiSdk } from '@dynamic-embeddings/embeddings';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOpenAIServer, type TestOpenAIServer } from '../../embeddings/src/testing/openai-server.js';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline } from './pipeline-types.js';

const campaign = {
  name: 'Autumn Savings - Norway Mobile Banners',
  targeting: { countries: ['Norway', 'Sweden'], devices: ['mobile'] },
  creatives: [
    { format: 'banner', size: '320x50' },
    { format: 'interstitial', size: '320x480' },
  ],
};

describe.each(databaseTargets)('an AI SDK model as the provider on $name', (target) => {
  let database: { readonly url: string; close(): Promise<void> };
  let server: TestOpenAIServer;
  let pipeline: EmbeddingPipeline;

  beforeAll(async () => {
    database = await target.start();
    // @ai-sdk/openai takes the vectors in response order, as OpenAI sends them.
    server = await startTestOpenAIServer({ inOrder: true });
    const openai = createOpenAI({ baseURL: server.baseURL, apiKey: 'test-key' });
    pipeline = await createPipeline({
      databaseUrl: database.url,
      namespace: 'ai_sdk',
      provider: fromAiSdk(openai.embedding('text-embedding-3-small'), {
        dimensions: 16,
        sendDimensions: true,
      }),
    });
  });

  afterAll(async () => {
    await pipeline?.close();
    await server?.close();
    await database?.close();
  });

  it('ingests through the model and finds each chunk by its own text', async () => {
    const result = await pipeline.processJsonData(campaign, {
      collectionName: 'campaigns',
      documentId: 'autumn',
    });
    expect(result.embedded).toBe(result.chunks);
    const embedded = server.requests.flatMap((request) => request.body.input ?? []);
    expect(embedded).toHaveLength(result.chunks);

    const rows = await pipeline.getDocument('autumn');
    for (const row of rows) {
      const [hit] = await pipeline.searchSimilar(row.text, { collectionName: 'campaigns', limit: 1 });
      expect(hit?.chunk_id).toBe(row.chunk_id);
      expect(hit?.similarity).toBeCloseTo(1, 5);
    }
    const [namespace] = await pipeline.listNamespaces();
    expect(namespace).toMatchObject({
      provider: 'openai.embedding',
      model: 'text-embedding-3-small',
      dimensions: 16,
    });
    expect(server.requests.every((request) => request.body.dimensions === 16)).toBe(true);
  });
});
