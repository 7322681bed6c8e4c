// POST /v1/chunk over real HTTP: the chunks an ingest would store, the auto decision's scores,
// clear errors for bad input, and no database needed to answer.
import { readFileSync } from 'node:fs';
import { chunkJson, createLocalProvider } from '@dynamic-embeddings/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../start-server.js';
import { call, startTestBackend, startTestServer, type TestBackend } from '../testing/backend.js';

const key = 'reader-key';
const campaigns: unknown = JSON.parse(
  readFileSync(new URL('../../../../examples/campaigns.json', import.meta.url), 'utf8'),
);

let backend: TestBackend;
let server: RunningServer;
let backendClosed = false;
const chunk = (json: unknown, apiKey = key) => call(server.url, 'POST', '/v1/chunk', { key: apiKey, json });

beforeAll(async () => {
  backend = await startTestBackend();
  // A read-only key for one namespace may preview chunks too: nothing is written anywhere.
  server = await startTestServer(backend, { apiKeys: `${key}:tenant_a:r` });
});

afterAll(async () => {
  await server?.close();
  if (!backendClosed) await backend?.close();
});

describe('POST /v1/chunk', () => {
  it('returns the chunks an ingest would store, with the auto decision and its scores', async () => {
    const response = await chunk({ data: campaigns, document_id: 'campaigns' });
    expect(response.status).toBe(200);
    const maxTokens = Math.min(512, createLocalProvider().maxTokensPerInput);
    const expected = chunkJson(campaigns, { documentId: 'campaigns', maxTokens });
    expect(response.body.strategy).toBe(expected.strategy);
    expect(response.body.chunks).toEqual(expected.chunks);
    expect(Object.keys(response.body.scores).sort()).toEqual(
      ['dimensional', 'flat', 'hierarchical', 'hybrid', 'semantic'].sort(),
    );
    for (const preview of response.body.chunks) {
      expect(preview.path).toMatch(/^\$/);
      expect(preview.token_count).toBeGreaterThan(0);
      expect(preview.text.length).toBeGreaterThan(0);
    }
  });

  it('uses a strategy given explicitly (no scores) and puts the collection into the chunk ids', async () => {
    const plain = await chunk({ data: { name: 'Spring banner', ctr: 0.04 }, strategy: 'flat' });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ strategy: 'flat', confidence: 1, document_id: 'document' });
    expect(plain.body.scores).toBeUndefined();
    const inCollection = await chunk({
      data: { name: 'Spring banner', ctr: 0.04 },
      strategy: 'flat',
      collection: 'campaigns',
    });
    expect(inCollection.body.chunks[0].chunk_id).not.toBe(plain.body.chunks[0].chunk_id);
    expect(inCollection.body.chunks[0].text).toBe(plain.body.chunks[0].text);
  });

  it('rejects bad input with a stable code', async () => {
    const noData = await chunk({ strategy: 'flat' });
    expect(noData.status).toBe(400);
    expect(noData.body.error.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(noData.body.error.details)).toContain('data');
    const badStrategy = await chunk({ data: {}, strategy: 'clever' });
    expect(badStrategy.status).toBe(400);
    expect(badStrategy.body.error.code).toBe('VALIDATION_ERROR');
    const badConfig = await chunk({ data: {}, config: 'no-such-config' });
    // An unknown name is a lookup that found nothing (404), as on PUT document.
    expect(badConfig.status).toBe(404);
    expect(badConfig.body.error.code).toBe('UNKNOWN_CONFIG');
  });

  it('needs a valid key when the server has keys', async () => {
    const wrong = await chunk({ data: {} }, 'not-a-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
  });

  it('answers with the database gone: chunking reads nothing from it', async () => {
    await backend.close();
    backendClosed = true;
    const response = await chunk({ data: { title: 'Offline', tags: ['a', 'b'] } });
    expect(response.status).toBe(200);
    expect(response.body.chunks.length).toBeGreaterThan(0);
  });
});
