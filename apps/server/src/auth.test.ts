// API keys over real HTTP: 401 without a valid key, 403 outside the key's namespaces or rights,
// and a 403 that reads the same whether or not the namespace exists. Keys never reach the logs.
import { Writable } from 'node:stream';
import { createLogger } from '@dynamic-embeddings/core/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './start-server.js';
import {
  type ApiResponse,
  call,
  startTestBackend,
  startTestServer,
  type TestBackend,
} from './testing/backend.js';

const keys = {
  admin: 'k-admin-0f3c9a',
  tenant: 'k-tenant-a-77d1',
  reader: 'k-reader-ab-5e20',
};
const logLines: string[] = [];

let backend: TestBackend;
let server: RunningServer;

beforeAll(async () => {
  backend = await startTestBackend();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = await startTestServer(backend, {
    apiKeys: `${keys.admin}:*:rw,${keys.tenant}:tenant_a:rw,${keys.reader}:tenant_a|tenant_b:r`,
    logger: createLogger({ level: 'debug', destination }),
  });
  for (const name of ['tenant_a', 'tenant_b']) {
    const response = await call(server.url, 'POST', '/v1/namespaces', { key: keys.admin, json: { name } });
    expect(response.status).toBe(201);
    const ingest = await call(server.url, 'PUT', `/v1/namespaces/${name}/documents/doc-1`, {
      key: keys.admin,
      json: { collection: 'notes', data: { text: `a note in ${name}` } },
    });
    expect(ingest.status).toBe(200);
  }
});

afterAll(async () => {
  await server?.close();
  await backend?.close();
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an unknown key', 'Bearer not-a-key'],
    ['a prefix of a real key', `Bearer ${keys.admin.slice(0, -1)}`],
    ['another scheme', `Basic ${Buffer.from(`user:${keys.admin}`).toString('base64')}`],
    ['an empty bearer token', 'Bearer '],
  ])('answers 401 UNAUTHORIZED for %s', async (_label, authorization) => {
    const response = await call(server.url, 'GET', '/v1/namespaces/tenant_a/collections', {
      headers: authorization === undefined ? {} : { authorization },
    });
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('checks the key before validating the request', async () => {
    const response = await call(server.url, 'POST', '/v1/namespaces/tenant_a/search', {
      json: { limit: 'lots' },
    });
    expect(response.status).toBe(401);
  });

  it('leaves health, readiness and docs open', async () => {
    for (const path of ['/health', '/ready', '/openapi.json', '/docs']) {
      expect((await call(server.url, 'GET', path)).status, path).toBe(200);
    }
  });
});

describe('authorisation', () => {
  it('lets a tenant key use its own namespace', async () => {
    const search = await call(server.url, 'POST', '/v1/namespaces/tenant_a/search', {
      key: keys.tenant,
      json: { query: 'note' },
    });
    expect(search.status).toBe(200);
    expect(search.body.results.length).toBeGreaterThan(0);
    const put = await call(server.url, 'PUT', '/v1/namespaces/tenant_a/documents/doc-2', {
      key: keys.tenant,
      json: { collection: 'notes', data: { text: 'another note' } },
    });
    expect(put.status).toBe(200);
  });

  it('lists only the namespaces a key may read', async () => {
    const names = async (key: string) =>
      ((await call(server.url, 'GET', '/v1/namespaces', { key })).body.namespaces as { namespace: string }[])
        .map((info) => info.namespace)
        .sort();
    expect(await names(keys.admin)).toEqual(['tenant_a', 'tenant_b']);
    expect(await names(keys.tenant)).toEqual(['tenant_a']);
    expect(await names(keys.reader)).toEqual(['tenant_a', 'tenant_b']);
  });

  it('answers 403 for another namespace without revealing whether it exists', async () => {
    const requests: [string, string, { json?: unknown }][] = [
      ['GET', '', {}],
      ['GET', '/collections', {}],
      ['GET', '/documents/doc-1', {}],
      ['POST', '/search', { json: { query: 'note' } }],
      ['PUT', '/documents/doc-9', { json: { collection: 'notes', data: { text: 'x' } } }],
      ['DELETE', '/collections/notes', {}],
    ];
    const comparable = (response: ApiResponse, namespace: string) => ({
      status: response.status,
      body: JSON.stringify(response.body).replaceAll(namespace, 'NAMESPACE'),
      headers: [...response.headers.keys()].filter((name) => !['date', 'x-request-id'].includes(name)).sort(),
    });
    for (const [method, suffix, options] of requests) {
      // tenant_b exists; tenant_zz does not.
      const existing = await call(server.url, method, `/v1/namespaces/tenant_b${suffix}`, {
        key: keys.tenant,
        ...options,
      });
      const missing = await call(server.url, method, `/v1/namespaces/tenant_zz${suffix}`, {
        key: keys.tenant,
        ...options,
      });
      expect(existing.status, `${method} ${suffix}`).toBe(403);
      expect(existing.body.error.code).toBe('FORBIDDEN');
      expect(comparable(missing, 'tenant_zz')).toEqual(comparable(existing, 'tenant_b'));
    }
    // The refused write did not happen.
    const stored = await call(server.url, 'GET', '/v1/namespaces/tenant_b/documents/doc-9', {
      key: keys.admin,
    });
    expect(stored.status).toBe(404);
  });

  it('keeps read-only keys from writing', async () => {
    const read = await call(server.url, 'GET', '/v1/namespaces/tenant_b/documents/doc-1', {
      key: keys.reader,
    });
    expect(read.status).toBe(200);
    const search = await call(server.url, 'POST', '/v1/namespaces/tenant_b/search', {
      key: keys.reader,
      json: { query: 'note' },
    });
    expect(search.status).toBe(200);
    for (const [method, path, json] of [
      [
        'PUT',
        '/v1/namespaces/tenant_a/documents/doc-1',
        { collection: 'notes', data: { text: 'overwrite' } },
      ],
      ['DELETE', '/v1/namespaces/tenant_a/documents/doc-1', undefined],
      ['DELETE', '/v1/namespaces/tenant_a/collections/notes', undefined],
      ['POST', '/v1/namespaces/tenant_a/documents:bulk?collection=notes', undefined],
    ] as const) {
      const response = await call(server.url, method, path, { key: keys.reader, ...(json ? { json } : {}) });
      expect(response, `${method} ${path}`).toMatchObject({
        status: 403,
        body: { error: { code: 'FORBIDDEN' } },
      });
    }
    const unchanged = await call(server.url, 'GET', '/v1/namespaces/tenant_a/documents/doc-1', {
      key: keys.admin,
    });
    expect(unchanged.body.chunks.map((chunk: { text: string }) => chunk.text).join(' ')).toContain(
      'a note in tenant_a',
    );
  });

  it('reserves namespace lifecycle and migrations for * keys with rw', async () => {
    for (const key of [keys.tenant, keys.reader]) {
      const create = await call(server.url, 'POST', '/v1/namespaces', { key, json: { name: 'tenant_a_2' } });
      expect(create.status).toBe(403);
      const drop = await call(server.url, 'DELETE', '/v1/namespaces/tenant_a?confirm=true', { key });
      expect(drop.status).toBe(403);
      const migrate = await call(server.url, 'POST', '/v1/migrations', {
        key,
        json: { source: 'tenant_a', target: 'tenant_a_copy', dry_run: true },
      });
      expect(migrate.status).toBe(403);
    }
    expect((await call(server.url, 'GET', '/v1/namespaces/tenant_a', { key: keys.admin })).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/namespaces/tenant_a_2', { key: keys.admin })).status).toBe(
      404,
    );
  });
});

describe('request logs', () => {
  it('log every request with its id and outcome, and never a key', async () => {
    const response = await call(server.url, 'GET', '/v1/namespaces/tenant_a', {
      key: keys.tenant,
      headers: { 'x-request-id': 'trace-me-42' },
    });
    expect(response.status).toBe(200);
    await call(server.url, 'GET', '/v1/namespaces', {
      headers: { authorization: 'Bearer wrong-key-not-logged' },
    });
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        request_id: 'trace-me-42',
        method: 'GET',
        path: '/v1/namespaces/tenant_a',
        status: 200,
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ status: 401, error_code: 'UNAUTHORIZED' }));
    const everything = logLines.join('');
    for (const secret of [...Object.values(keys), 'wrong-key-not-logged'])
      expect(everything).not.toContain(secret);
  });
});
