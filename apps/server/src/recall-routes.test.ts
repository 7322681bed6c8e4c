// Search plans and recall over real HTTP: `explain`, the recall measurement, the recall target and
// reindex, with the access they need and their validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './start-server.js';
import {
  call,
  startTestBackend,
  startTestServer,
  TEST_DIMENSIONS,
  type TestBackend,
} from './testing/backend.js';

const adminKey = 'admin-recall-key';
const readKey = 'read-recall-key';
let backend: TestBackend;
let server: RunningServer;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(server.url, method, path, { key: adminKey, ...options });

const products = Array.from({ length: 30 }, (_, index) => ({
  id: `sku-${index}`,
  data: { name: `Product ${index}`, category: index % 3 === 0 ? 'outdoor' : 'kitchen', price: 10 + index },
}));

beforeAll(async () => {
  backend = await startTestBackend();
  server = await startTestServer(backend, { apiKeys: `${adminKey}:*:rw,${readKey}:shop:r` });
  const created = await api('POST', '/v1/namespaces', { json: { name: 'shop', recall_target: 0.9 } });
  expect(created).toMatchObject({ status: 201, body: { recall_target: 0.9, search_tuning: {} } });
  for (const { id, data } of products) {
    const stored = await api('PUT', `/v1/namespaces/shop/documents/${id}`, {
      json: { collection: 'items', data },
    });
    expect(stored.status).toBe(200);
  }
});

afterAll(async () => {
  await server?.close();
  await backend?.close();
});

describe('search plans', () => {
  it('returns the plan with "explain": true and only then', async () => {
    const plain = await api('POST', '/v1/namespaces/shop/search', { json: { query: 'outdoor product' } });
    expect(plain.status).toBe(200);
    expect(plain.body.plan).toBeUndefined();
    const explained = await api('POST', '/v1/namespaces/shop/search', {
      json: { query: 'outdoor product', explain: true, filter: { document_id: 'sku-3' } },
    });
    expect(explained.status).toBe(200);
    expect(explained.body.results.every((hit: { document_id: string }) => hit.document_id === 'sku-3')).toBe(
      true,
    );
    // Below its index threshold the namespace has no ANN index: every search is exact. A query text
    // searches in hybrid mode by default: the plan has both legs.
    expect(explained.body.plan).toMatchObject({
      mode: 'hybrid',
      vector: { strategy: 'exact', reason: 'no_index', settings: {} },
      keyword: { text_search_config: 'simple' },
    });
    const byVector = await api('POST', '/v1/namespaces/shop/search', {
      json: { vector: Array.from({ length: TEST_DIMENSIONS }, (_, i) => (i === 0 ? 1 : 0)), explain: true },
    });
    expect(byVector.body.plan).toMatchObject({ strategy: 'exact' });
  });
});

describe('recall', () => {
  it('measures recall@10 with a read key, unfiltered and with a filter', async () => {
    const measured = await call(server.url, 'POST', '/v1/namespaces/shop/recall', {
      key: readKey,
      json: { sample: 5, filter: { strategy: { $ne: 'nothing' } } },
    });
    expect(measured).toMatchObject({
      status: 200,
      body: { namespace: 'shop', recall: 1, k: 10, queries: 5, recall_target: 0.9, meets_target: true },
    });
    const unfiltered = await api('POST', '/v1/namespaces/shop/recall', { json: {} });
    expect(unfiltered.body).toMatchObject({ queries: 30, strategies: { exact: 30, index: 0 } });
  });

  it('refuses a bad sample or filter, naming the field', async () => {
    const sample = await api('POST', '/v1/namespaces/shop/recall', { json: { sample: 0 } });
    expect(sample).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: expect.anything() } },
    });
    const filter = await api('POST', '/v1/namespaces/shop/recall', { json: { filter: { color: 'red' } } });
    expect(filter).toMatchObject({ status: 400, body: { error: { code: 'INVALID_FILTER' } } });
  });

  it('sets the recall target with a write key only, and validates it', async () => {
    const refused = await call(server.url, 'PUT', '/v1/namespaces/shop/recall-target', {
      key: readKey,
      json: { recall_target: 0.99 },
    });
    expect(refused.status).toBe(403);
    const bad = await api('PUT', '/v1/namespaces/shop/recall-target', { json: { recall_target: 1.2 } });
    expect(bad.status).toBe(400);
    const set = await api('PUT', '/v1/namespaces/shop/recall-target', { json: { recall_target: 0.99 } });
    expect(set).toMatchObject({
      status: 200,
      body: { calibrated: false, namespace: { recall_target: 0.99 } },
    });
    expect((await api('GET', '/v1/namespaces/shop')).body.recall_target).toBe(0.99);
  });

  it('reindexes: nothing to build on a current table; 404 for a missing namespace', async () => {
    const again = await api('POST', '/v1/namespaces/shop/reindex');
    expect(again).toMatchObject({ status: 200, body: { namespace: 'shop', created: [], table_version: 3 } });
    const missing = await api('POST', '/v1/namespaces/nowhere/reindex');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NAMESPACE_NOT_FOUND' } } });
  });
});
