// Overload, timeouts, binding rules and graceful shutdown, each on its own server over one database.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './start-server.js';
import {
  call,
  openBody,
  startTestBackend,
  startTestServer,
  type TestBackend,
  upload,
} from './testing/backend.js';

let backend: TestBackend;

beforeAll(async () => {
  backend = await startTestBackend();
});

afterAll(async () => {
  await backend?.close();
});

/** Resolves once a TCP connection to the port succeeds; rejects with the socket error otherwise. */
function connect(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/**
 * Repeats a search by query until the server answers 503: proof that the one embedding slot is
 * taken by the request in flight (the search itself would take a slot).
 */
async function untilBusy(url: string): Promise<Awaited<ReturnType<typeof call>>> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await call(url, 'POST', '/v1/namespaces/default/search', {
      json: { query: 'anything' },
    });
    if (response.status === 503) return response;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the server never became busy');
}

describe('binding', () => {
  it('refuses to listen beyond loopback without API keys', async () => {
    await expect(
      startServer({ pipeline: backend.pipeline, migration: backend.migration, port: 0, host: '0.0.0.0' }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED_PUBLIC_BIND', details: { host: '0.0.0.0' } });
  });

  it('rejects invalid key text at start, naming the entry but not the key', async () => {
    const error = await startServer({
      pipeline: backend.pipeline,
      migration: backend.migration,
      port: 0,
      apiKeys: 'good-key:*:rw,leaky-secret:*:write',
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_API_KEYS', details: { entry: 2 } });
    expect(JSON.stringify(error)).not.toContain('leaky-secret');
    expect(String((error as Error).message)).not.toContain('leaky-secret');
  });
});

describe('limits', () => {
  it('answers 503 SERVER_BUSY with Retry-After when embedding slots and queue are full', async () => {
    await backend.pipeline.setupDatabase();
    const server = await startTestServer(backend, { limits: { embeddingConcurrency: 1, embeddingQueue: 0 } });
    try {
      const body = openBody();
      body.push(JSON.stringify({ id: 'slow-1', text: 'holds the only embedding slot' }));
      const inFlight = upload(server.url, '/v1/namespaces/default/documents:bulk?collection=busy', {
        body: body.stream,
      });
      const busy = await untilBusy(server.url);
      expect(busy.body.error.code).toBe('SERVER_BUSY');
      expect(busy.headers.get('retry-after')).toBe('1');
      // Work without embeddings (search by vector) is not held up by the embedding limit.
      const byVector = await call(server.url, 'POST', '/v1/namespaces/default/search', {
        json: { vector: Array.from({ length: 64 }, (_, index) => (index === 0 ? 1 : 0)) },
      });
      expect(byVector.status).toBe(200);
      body.end();
      const finished = await inFlight;
      expect(finished.status).toBe(200);
      expect(await finished.json()).toMatchObject({ documents: 1 });
      const after = await call(server.url, 'POST', '/v1/namespaces/default/search', {
        json: { query: 'slot' },
      });
      expect(after.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers 504 REQUEST_TIMEOUT when a request outlives its deadline, and cancels its work', async () => {
    const server = await startTestServer(backend, {
      limits: { longRequestTimeoutMs: 300, embeddingConcurrency: 1 },
    });
    try {
      const body = openBody();
      body.push(JSON.stringify({ id: 'late-1', text: 'never finishes in time' }));
      const response = await upload(server.url, '/v1/namespaces/default/documents:bulk?collection=late', {
        body: body.stream,
      });
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({
        error: { code: 'REQUEST_TIMEOUT', details: { timeout_ms: 300 } },
      });
      body.end();
      // The cancelled upload gives its embedding slot back: with one slot, a search gets through.
      let status = 0;
      for (let attempt = 0; attempt < 200 && status !== 200; attempt += 1) {
        status = (
          await call(server.url, 'POST', '/v1/namespaces/default/search', { json: { query: 'late' } })
        ).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(status).toBe(200);
      // Cancelled, not finished in the background: the document it had received was not stored.
      const stored = await call(server.url, 'GET', '/v1/namespaces/default/documents/late-1');
      expect(stored.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('readiness', () => {
  it('answers 503 DATABASE_UNAVAILABLE on /ready once the database is gone, while /health stays up', async () => {
    const doomed = await startTestBackend();
    const server = await startTestServer(doomed);
    try {
      expect((await call(server.url, 'GET', '/ready')).status).toBe(200);
      await doomed.database.close();
      const ready = await call(server.url, 'GET', '/ready');
      expect(ready).toMatchObject({ status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE' } } });
      expect(ready.headers.get('retry-after')).toBe('5');
      // The message says nothing about where the database is: /ready is unauthenticated.
      expect(JSON.stringify(ready.body)).not.toContain('127.0.0.1');
      expect((await call(server.url, 'GET', '/health')).status).toBe(200);
    } finally {
      await server.close();
      await doomed.pipeline.close().catch(() => {});
    }
  });
});

describe('graceful shutdown', () => {
  it('stops accepting connections, lets the request in flight finish with 200, then closes', async () => {
    const server = await startTestServer(backend, { limits: { embeddingConcurrency: 1, embeddingQueue: 0 } });
    const body = openBody();
    body.push(JSON.stringify({ id: 'drain-1', text: 'first document of the upload' }));
    const inFlight = upload(server.url, '/v1/namespaces/default/documents:bulk?collection=drain', {
      body: body.stream,
    });
    await untilBusy(server.url);

    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await expect(connect(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);

    body.push(JSON.stringify({ id: 'drain-2', text: 'sent after close() was called' }));
    body.end();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ documents: 2 });
    await closing;
    expect(closed).toBe(true);
    const stats = await backend.pipeline.getCollectionStats('drain');
    expect(stats.document_count).toBe(2);
  });

  it('bounds the wait: a request still open after the shutdown timeout is cut off', async () => {
    const server = await startTestServer(backend, {
      shutdownTimeoutMs: 200,
      limits: { embeddingConcurrency: 1, embeddingQueue: 0 },
    });
    const body = openBody();
    body.push(JSON.stringify({ id: 'stuck-1', text: 'this upload never ends' }));
    const inFlight = upload(server.url, '/v1/namespaces/default/documents:bulk?collection=stuck', {
      body: body.stream,
    }).then(
      (response) => response.status,
      (error: unknown) => error,
    );
    await untilBusy(server.url);
    await server.close();
    const outcome = await inFlight;
    expect(outcome).toBeInstanceOf(Error);
    await expect(connect(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
