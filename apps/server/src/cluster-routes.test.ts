// Moving namespaces and rebalancing over real HTTP: refused on a single server, and (with
// CITUS_DATABASE_URL) done on a Citus coordinator.
import { citusSkipReason, startCitusTestDatabase, type TestDatabase } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './start-server.js';
import { call, startTestBackend, startTestServer, type TestBackend } from './testing/backend.js';

const adminKey = 'admin-cluster-key';
const readKey = 'read-cluster-key';
const skipped = citusSkipReason();

/** A backend and server on `database` (the default test database when undefined). */
function serve(database?: () => Promise<TestDatabase>) {
  const state: { backend?: TestBackend; server?: RunningServer } = {};
  beforeAll(async () => {
    state.backend = await startTestBackend(database === undefined ? {} : { database });
    state.server = await startTestServer(state.backend, { apiKeys: `${adminKey}:*:rw,${readKey}:shop:r` });
    const created = await api('POST', '/v1/namespaces', { json: { name: 'shop' } });
    expect(created.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await state.server?.close();
    await state.backend?.close();
  });
  const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call((state.server as RunningServer).url, method, path, { key: adminKey, ...options });
  return api;
}

describe('on a single server', () => {
  const api = serve();

  it('refuses a move and a rebalance with CITUS_REQUIRED (400)', async () => {
    const moved = await api('POST', '/v1/namespaces/shop/move', { json: { to: '10.0.0.3:5432' } });
    expect(moved).toMatchObject({ status: 400, body: { error: { code: 'CITUS_REQUIRED' } } });
    const distributed = await api('POST', '/v1/namespaces/shop/distribute', { json: { shards: 4 } });
    expect(distributed).toMatchObject({ status: 400, body: { error: { code: 'CITUS_REQUIRED' } } });
    const rebalanced = await api('POST', '/v1/cluster/rebalance');
    expect(rebalanced).toMatchObject({ status: 400, body: { error: { code: 'CITUS_REQUIRED' } } });
  });

  it('needs an admin key, and a body with `to`', async () => {
    const reader = await api('POST', '/v1/namespaces/shop/move', { key: readKey, json: { to: 'h:1' } });
    expect(reader.status).toBe(403);
    const empty = await api('POST', '/v1/namespaces/shop/move', { json: {} });
    expect(empty.status).toBe(400);
  });
});

describe.skipIf(skipped !== undefined)(
  `on a Citus coordinator${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    const api = serve(() => startCitusTestDatabase(process.env.CITUS_DATABASE_URL as string));

    it('lists the worker of a namespace and moves it to the other one', async () => {
      const listed = await api('GET', '/v1/namespaces');
      const shop = listed.body.namespaces.find((info: { namespace: string }) => info.namespace === 'shop');
      expect(shop).toMatchObject({ shard_count: 1, nodes: [expect.stringMatching(/:\d+$/)] });
      const workers = await api('POST', '/v1/namespaces/shop/move', { json: { to: '127.0.0.1:1' } });
      expect(workers).toMatchObject({ status: 404, body: { error: { code: 'NODE_NOT_FOUND' } } });
      const other = (workers.body.error.details.workers as string[]).find((node) => node !== shop.nodes[0]);
      const moved = await api('POST', '/v1/namespaces/shop/move', { json: { to: other } });
      expect(moved).toMatchObject({
        status: 200,
        body: { namespace: 'shop', from: shop.nodes, to: other, moved_shards: 1 },
      });
      const stats = await api('GET', '/v1/namespaces/shop');
      expect(stats.body).toMatchObject({ nodes: [other], shard_count: 1 });
      const distributed = await api('POST', '/v1/namespaces/shop/distribute', { json: { shards: 4 } });
      expect(distributed).toMatchObject({ status: 200, body: { namespace: 'shop', shard_count: 4 } });
      expect((await api('GET', '/v1/namespaces/shop')).body).toMatchObject({ shard_count: 4 });
    });
  },
);
