// The generated client against a real server (startServer on 127.0.0.1) over each database path:
// typed calls for writing, searching and listing, API keys, and error bodies.
import { createNamespaceMigration } from '@dynamic-embeddings/migration';
import { createLocalProvider, createPipeline, type EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import { type RunningServer, startServer } from '@dynamic-embeddings/server';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDjeClient } from './create-client.js';

const campaign = {
  name: 'Autumn Savings - Norway Mobile Banners',
  targeting: { countries: ['Norway'], devices: ['mobile'] },
  performance: { impressions: 4820000, clicks: 183160, ctr: 3.8 },
};

describe.each(databaseTargets)('createDjeClient against a running server on $name', (target) => {
  let database: { readonly url: string; close(): Promise<void> };
  let pipeline: EmbeddingPipeline;
  let server: RunningServer;

  beforeAll(async () => {
    database = await target.start();
    pipeline = await createPipeline({
      databaseUrl: database.url,
      provider: createLocalProvider({ dimensions: 64 }),
    });
    server = await startServer({
      pipeline,
      migration: createNamespaceMigration({ db: pipeline.db }),
      port: 0,
      apiKeys: 'writer:*:rw,reader:default:r',
    });
  });
  afterAll(async () => {
    await server?.close();
    await pipeline?.close();
    await database?.close();
  });

  it('writes a document, finds it by meaning, and lists it', async () => {
    const client = createDjeClient({ baseUrl: server.url, apiKey: 'writer' });
    const put = await client.PUT('/v1/namespaces/{ns}/documents/{id}', {
      params: { path: { ns: 'default', id: 'autumn' } },
      body: { collection: 'campaigns', data: campaign },
    });
    expect(put.error).toBeUndefined();
    expect(put.response.status).toBe(200);

    const search = await client.POST('/v1/namespaces/{ns}/search', {
      params: { path: { ns: 'default' } },
      body: { query: 'mobile banners in Norway', collection: 'campaigns', limit: 3 },
    });
    expect(search.error).toBeUndefined();
    expect(search.data?.results[0]?.document_id).toBe('autumn');

    const namespaces = await client.GET('/v1/namespaces');
    expect(namespaces.data?.namespaces.map((entry) => entry.namespace)).toEqual(['default']);
  });

  it('gives the error body with its code: no key, and a read-only key writing', async () => {
    const anonymous = createDjeClient({ baseUrl: server.url });
    const denied = await anonymous.GET('/v1/namespaces');
    expect(denied.response.status).toBe(401);
    expect(denied.error).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

    const reader = createDjeClient({ baseUrl: server.url, apiKey: 'reader' });
    const write = await reader.DELETE('/v1/namespaces/{ns}/documents/{id}', {
      params: { path: { ns: 'default', id: 'autumn' } },
    });
    expect(write.response.status).toBe(403);
    expect(write.error).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const health = await anonymous.GET('/health');
    expect(health.data).toEqual({ status: 'ok' });
  });
});
