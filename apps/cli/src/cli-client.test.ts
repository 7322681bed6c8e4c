// The generated typed client (@dynamic-embeddings/client) against a real `dje serve` process with
// API keys: what a user of the published client sees.
import { createDjeClient } from '@dynamic-embeddings/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDatabaseArgs, startDjeServer, temporaryDirectory } from './testing/dje.js';

describe('@dynamic-embeddings/client against dje serve', () => {
  const directory = temporaryDirectory('client');
  let url: string;
  let stop: () => Promise<unknown>;

  beforeAll(async () => {
    ({ url, stop } = await startDjeServer(embeddedDatabaseArgs(directory.path), {
      env: { DJE_API_KEYS: 'writer:*:rw,reader:default:r' },
    }));
  });
  afterAll(async () => {
    await stop?.();
    directory.remove();
  });

  it('writes, searches and reads a document with typed calls', async () => {
    const client = createDjeClient({ baseUrl: url, apiKey: 'writer' });
    const put = await client.PUT('/v1/namespaces/{ns}/documents/{id}', {
      params: { path: { ns: 'default', id: 'autumn' } },
      body: {
        collection: 'campaigns',
        data: { name: 'Autumn banners', targeting: { countries: ['Norway'] } },
      },
    });
    expect(put.response.status).toBe(200);
    const search = await client.POST('/v1/namespaces/{ns}/search', {
      params: { path: { ns: 'default' } },
      body: { query: 'banners in Norway', collection: 'campaigns', limit: 1 },
    });
    expect(search.data?.results.map((hit) => hit.document_id)).toEqual(['autumn']);
    const document = await client.GET('/v1/namespaces/{ns}/documents/{id}', {
      params: { path: { ns: 'default', id: 'autumn' } },
    });
    expect(document.data?.chunks.length).toBeGreaterThan(0);
  });

  it('returns the error body of a refused write', async () => {
    const reader = createDjeClient({ baseUrl: url, apiKey: 'reader' });
    const refused = await reader.DELETE('/v1/namespaces/{ns}/documents/{id}', {
      params: { path: { ns: 'default', id: 'autumn' } },
    });
    expect(refused.response.status).toBe(403);
    expect(refused.error?.error.code).toBe('FORBIDDEN');
  });
});
