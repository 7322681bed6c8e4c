// Every route over real HTTP: a server on an ephemeral 127.0.0.1 port, fetch as the client, and
// the pipeline on postgres.js over the wire (PGlite behind pglite-socket, or TEST_DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './start-server.js';
import {
  call,
  startTestBackend,
  startTestServer,
  TEST_DIMENSIONS,
  type TestBackend,
  upload,
} from './testing/backend.js';

const adminKey = 'admin-secret-key';
const campaigns = [
  {
    id: 'campaign-1',
    data: { name: 'Spring mobile banner campaign', country: 'Norway', channel: 'mobile banners', ctr: 0.042 },
  },
  {
    id: 'campaign-2',
    data: { name: 'Winter television spot', country: 'Sweden', channel: 'television', ctr: 0.011 },
  },
  {
    id: 'campaign-3',
    data: { name: 'Summer podcast sponsorship', country: 'Denmark', channel: 'podcast audio', ctr: 0.02 },
  },
];

let backend: TestBackend;
let server: RunningServer;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(server.url, method, path, { key: adminKey, ...options });

beforeAll(async () => {
  backend = await startTestBackend();
  server = await startTestServer(backend, {
    apiKeys: `${adminKey}:*:rw`,
    limits: { jsonBodyBytes: 64 * 1024, ndjsonLineBytes: 4096 },
  });
});

afterAll(async () => {
  await server?.close();
  await backend?.close();
});

describe('health, readiness and documentation', () => {
  it('answers /health and /ready without a key, with a request id', async () => {
    const health = await call(server.url, 'GET', '/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const ready = await call(server.url, 'GET', '/ready', { headers: { 'x-request-id': 'probe-1' } });
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(ready.headers.get('x-request-id')).toBe('probe-1');
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, and a docs page listing every route', async () => {
    const spec = await call(server.url, 'GET', '/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    const operations = Object.entries(spec.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /health',
        'GET /ready',
        'GET /v1/namespaces',
        'POST /v1/namespaces',
        'GET /v1/namespaces/{ns}',
        'DELETE /v1/namespaces/{ns}',
        'GET /v1/namespaces/{ns}/backups',
        'GET /v1/namespaces/{ns}/collections',
        'GET /v1/namespaces/{ns}/collections/{collection}',
        'DELETE /v1/namespaces/{ns}/collections/{collection}',
        'PUT /v1/namespaces/{ns}/documents/{id}',
        'GET /v1/namespaces/{ns}/documents/{id}',
        'DELETE /v1/namespaces/{ns}/documents/{id}',
        'POST /v1/namespaces/{ns}/documents:bulk',
        'POST /v1/namespaces/{ns}/search',
        'POST /v1/namespaces/{ns}/recall',
        'PUT /v1/namespaces/{ns}/recall-target',
        'POST /v1/namespaces/{ns}/reindex',
        'POST /v1/namespaces/{ns}/move',
        'POST /v1/namespaces/{ns}/distribute',
        'POST /v1/cluster/rebalance',
        'POST /v1/migrations',
        'POST /v1/migrations/reembed',
        'POST /v1/chunk',
      ].sort(),
    );
    const searchBody = spec.body.components.schemas.SearchRequest;
    expect(Object.keys(searchBody.properties)).toEqual(
      expect.arrayContaining([
        'query',
        'vector',
        'collection',
        'limit',
        'threshold',
        'filter',
        'exact',
        'explain',
        'mode',
        'rrf_k',
        'weights',
      ]),
    );
    expect(spec.body.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });

    const docs = await call(server.url, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.body).toContain('POST /v1/namespaces/{ns}/documents:bulk');
    expect(docs.body).toContain('href="/openapi.json"');
  });

  it('answers unknown routes with a NOT_FOUND error', async () => {
    const response = await api('GET', '/v2/everything');
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });
});

describe('namespaces', () => {
  it('creates a namespace (201), then refuses to create it again (409)', async () => {
    const created = await api('POST', '/v1/namespaces', {
      json: { name: 'shop', index: 'hnsw', index_threshold: 0 },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/namespaces/shop');
    expect(created.body).toMatchObject({
      namespace: 'shop',
      table_name: 'embeddings_shop',
      dimensions: TEST_DIMENSIONS,
      provider: 'local',
      index_type: 'hnsw',
      index_threshold: 0,
    });
    const again = await api('POST', '/v1/namespaces', { json: { name: 'shop' } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'NAMESPACE_EXISTS' } } });
  });

  it('validates the body: bad name, wrong dimensions, unknown fields', async () => {
    const badName = await api('POST', '/v1/namespaces', { json: { name: 'Bad-Name' } });
    expect(badName).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: { field: 'name' } } },
    });
    const dimensions = await api('POST', '/v1/namespaces', { json: { name: 'wide', dimensions: 1536 } });
    expect(dimensions).toMatchObject({
      status: 400,
      body: { error: { code: 'DIMENSION_MISMATCH', details: { expected: TEST_DIMENSIONS, actual: 1536 } } },
    });
    const unknown = await api('POST', '/v1/namespaces', { json: { name: 'typo', indx: 'hnsw' } });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: { field: 'indx' } } },
    });
    const missing = await api('POST', '/v1/namespaces', { json: {} });
    expect(missing).toMatchObject({ status: 400, body: { error: { details: { field: 'name' } } } });
    // Nothing was created by the refused requests.
    const list = await api('GET', '/v1/namespaces');
    expect(list.body.namespaces.map((info: { namespace: string }) => info.namespace)).not.toContain('wide');
  });

  it('rejects a malformed namespace name in the path before touching the database', async () => {
    const response = await api('GET', '/v1/namespaces/Robert%27;DROP%20TABLE/collections');
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'INVALID_NAMESPACE_NAME' } } });
  });

  it('lists namespaces and shows stats (404 for a missing one)', async () => {
    const list = await api('GET', '/v1/namespaces');
    expect(list.status).toBe(200);
    expect(list.body.namespaces).toContainEqual(
      expect.objectContaining({ namespace: 'shop', embedding_count: 0 }),
    );
    const stats = await api('GET', '/v1/namespaces/shop');
    expect(stats).toMatchObject({
      status: 200,
      body: { namespace: 'shop', exists: true, embedding_count: 0 },
    });
    const missing = await api('GET', '/v1/namespaces/nowhere');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NAMESPACE_NOT_FOUND' } } });
    // The hint names HTTP routes, not CLI commands, and is part of the message too.
    expect(missing.body.error.hint).toMatch(/GET \/v1\/namespaces.*POST \/v1\/namespaces/);
    expect(missing.body.error.message).toContain(missing.body.error.hint);
    expect(missing.body.error.message).not.toContain('dje ');
  });

  it('drops a namespace only with ?confirm=true', async () => {
    await api('POST', '/v1/namespaces', { json: { name: 'scratch' } });
    const unconfirmed = await api('DELETE', '/v1/namespaces/scratch');
    expect(unconfirmed).toMatchObject({ status: 400, body: { error: { code: 'CONFIRMATION_REQUIRED' } } });
    expect(unconfirmed.body.error.hint).toBe('Repeat the request with ?confirm=true.');
    expect(unconfirmed.body.error.message.split('?confirm=true')).toHaveLength(2);
    expect((await api('GET', '/v1/namespaces/scratch')).status).toBe(200);
    const dropped = await api('DELETE', '/v1/namespaces/scratch?confirm=true');
    expect(dropped).toMatchObject({ status: 200, body: { dropped: true, namespace: 'scratch' } });
    expect((await api('GET', '/v1/namespaces/scratch')).status).toBe(404);
    const again = await api('DELETE', '/v1/namespaces/scratch?confirm=true');
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'NAMESPACE_NOT_FOUND' } } });
    const badFlag = await api('DELETE', '/v1/namespaces/shop?confirm=yes');
    expect(badFlag).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: { field: 'confirm' } } },
    });
  });
});

describe('documents, collections and search', () => {
  const chunkCounts = new Map<string, number>();

  it('ingests documents with PUT and returns what was stored', async () => {
    for (const campaign of campaigns) {
      const response = await api('PUT', `/v1/namespaces/shop/documents/${campaign.id}`, {
        json: { collection: 'campaigns', data: campaign.data },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        collection_name: 'campaigns',
        namespace: 'shop',
        documents: 1,
        embedded: response.body.chunks,
        results: [{ document_id: campaign.id, chunks: response.body.chunks }],
      });
      expect(response.body.chunks).toBeGreaterThan(0);
      chunkCounts.set(campaign.id, response.body.chunks);
    }
  });

  it("returns a document's chunks, with vectors only when asked", async () => {
    const plain = await api('GET', '/v1/namespaces/shop/documents/campaign-1');
    expect(plain.status).toBe(200);
    expect(plain.body.chunks).toHaveLength(chunkCounts.get('campaign-1') ?? -1);
    expect(plain.body.chunks[0]).not.toHaveProperty('embedding');
    expect(plain.body.chunks.map((chunk: { text: string }) => chunk.text).join(' ')).toContain('Norway');

    const withVectors = await api(
      'GET',
      '/v1/namespaces/shop/documents/campaign-1?vectors=true&collection=campaigns',
    );
    expect(withVectors.body.chunks[0].embedding).toHaveLength(TEST_DIMENSIONS);

    const missing = await api('GET', '/v1/namespaces/shop/documents/campaign-404');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'DOCUMENT_NOT_FOUND' } } });
    const tooLong = await api('GET', `/v1/namespaces/shop/documents/${'x'.repeat(513)}`);
    expect(tooLong).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: { field: 'id' } } },
    });
  });

  it('replaces a document on a second PUT instead of adding to it', async () => {
    const replaced = await api('PUT', '/v1/namespaces/shop/documents/campaign-3', {
      json: {
        collection: 'campaigns',
        data: { name: 'Summer podcast sponsorship', country: 'Denmark' },
        strategy: 'flat',
      },
    });
    expect(replaced.status).toBe(200);
    const stored = await api('GET', '/v1/namespaces/shop/documents/campaign-3');
    expect(stored.body.chunks).toHaveLength(replaced.body.chunks);
    expect(stored.body.chunks.map((chunk: { text: string }) => chunk.text).join(' ')).not.toContain(
      'podcast audio',
    );
    chunkCounts.set('campaign-3', replaced.body.chunks);
  });

  it('lists collections and shows their stats', async () => {
    const total = [...chunkCounts.values()].reduce((sum, count) => sum + count, 0);
    const list = await api('GET', '/v1/namespaces/shop/collections');
    expect(list).toMatchObject({
      status: 200,
      body: {
        namespace: 'shop',
        collections: [{ collection_name: 'campaigns', total_embeddings: total, document_count: 3 }],
      },
    });
    const stats = await api('GET', '/v1/namespaces/shop/collections/campaigns');
    expect(stats).toMatchObject({
      status: 200,
      body: { collection_name: 'campaigns', total_embeddings: total, document_count: 3 },
    });
    const namespaceStats = await api('GET', '/v1/namespaces/shop');
    expect(namespaceStats.body).toMatchObject({ embedding_count: total, collection_count: 1 });
    const missing = await api('GET', '/v1/namespaces/shop/collections/nothing-here');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'COLLECTION_NOT_FOUND' } } });
  });

  it('searches by query text, most similar first', async () => {
    const response = await api('POST', '/v1/namespaces/shop/search', {
      json: { query: 'mobile banners in Norway', collection: 'campaigns', limit: 3 },
    });
    expect(response.status).toBe(200);
    const hits = response.body.results as { document_id: string; similarity: number }[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits[0]?.document_id).toBe('campaign-1');
    const similarities = hits.map((hit) => hit.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    expect(hits[0]).not.toHaveProperty('embedding');
  });

  it('searches in a mode: keyword finds an id verbatim, hybrid explains both legs', async () => {
    const keyword = await api('POST', '/v1/namespaces/shop/search', {
      json: { query: 'campaign-2', mode: 'keyword', limit: 50, explain: true },
    });
    expect(keyword.status).toBe(200);
    const keywordHits = keyword.body.results as { document_id: string; keyword_rank: number; text: string }[];
    expect(keywordHits.length).toBeGreaterThan(0);
    keywordHits.forEach((hit, index) => {
      expect(hit.keyword_rank).toBe(index + 1);
      expect(hit.text.toLowerCase()).toContain('campaign');
    });
    expect(keyword.body.plan).toMatchObject({ mode: 'keyword', keyword: { text_search_config: 'simple' } });
    const hybrid = await api('POST', '/v1/namespaces/shop/search', {
      json: { query: 'mobile banners in Norway', mode: 'hybrid', limit: 3, explain: true, rrf_k: 10 },
    });
    expect(hybrid.status).toBe(200);
    expect(hybrid.body.plan).toMatchObject({
      mode: 'hybrid',
      rrf_k: 10,
      vector: { exact_cutoff: expect.any(Number) },
    });
    for (const hit of hybrid.body.results as {
      score: number;
      vector_rank?: number;
      keyword_rank?: number;
    }[]) {
      const expected =
        (hit.vector_rank === undefined ? 0 : 1 / (10 + hit.vector_rank)) +
        (hit.keyword_rank === undefined ? 0 : 1 / (10 + hit.keyword_rank));
      expect(hit.score).toBeCloseTo(expected, 12);
    }
    const vectorMode = await api('POST', '/v1/namespaces/shop/search', {
      json: { vector: [1, 2, 3], mode: 'keyword' },
    });
    expect(vectorMode).toMatchObject({ status: 400, body: { error: { details: { field: 'mode' } } } });
    const nul = await api('POST', '/v1/namespaces/shop/search', {
      json: { query: 'a\u0000b', mode: 'keyword' },
    });
    expect(nul).toMatchObject({ status: 400, body: { error: { code: 'INVALID_ARGUMENT' } } });
  });

  it('searches by a raw vector: a stored chunk finds itself first', async () => {
    const document = await api('GET', '/v1/namespaces/shop/documents/campaign-2?vectors=true');
    const chunk = document.body.chunks[0] as { chunk_id: string; embedding: number[] };
    const response = await api('POST', '/v1/namespaces/shop/search', {
      json: { vector: chunk.embedding, limit: 2 },
    });
    expect(response.status).toBe(200);
    expect(response.body.results[0]).toMatchObject({ chunk_id: chunk.chunk_id });
    expect(response.body.results[0].similarity).toBeCloseTo(1, 5);
    expect(response.body.results[0]).not.toHaveProperty('embedding');

    const wrongLength = await api('POST', '/v1/namespaces/shop/search', { json: { vector: [1, 0, 0] } });
    expect(wrongLength).toMatchObject({ status: 400, body: { error: { code: 'DIMENSION_MISMATCH' } } });
  });

  it('applies filters and thresholds', async () => {
    const filtered = await api('POST', '/v1/namespaces/shop/search', {
      json: { query: 'mobile banners in Norway', filter: { document_id: 'campaign-2' }, limit: 10 },
    });
    expect(filtered.status).toBe(200);
    expect(filtered.body.results.length).toBe(chunkCounts.get('campaign-2'));
    for (const hit of filtered.body.results) expect(hit.document_id).toBe('campaign-2');
    const strict = await api('POST', '/v1/namespaces/shop/search', {
      json: { query: 'mobile banners in Norway', threshold: 0.999 },
    });
    for (const hit of strict.body.results) expect(hit.similarity).toBeGreaterThanOrEqual(0.999);
    // exact: true (no ANN index) returns the same ranking the index gives on data this small.
    const search = (exact: boolean) =>
      api('POST', '/v1/namespaces/shop/search', {
        json: { query: 'mobile banners in Norway', limit: 5, exact },
      });
    const viaIndex = await search(false);
    const exact = await search(true);
    expect(exact.status).toBe(200);
    expect(exact.body.results.length).toBeGreaterThan(0);
    expect(exact.body.results.map((hit: { chunk_id: string }) => hit.chunk_id)).toEqual(
      viaIndex.body.results.map((hit: { chunk_id: string }) => hit.chunk_id),
    );
  });

  it('rejects invalid searches with the field named', async () => {
    const cases: [unknown, string][] = [
      [{}, 'query'],
      [{ query: 'x', vector: [1] }, 'vector'],
      [{ query: 'x', limit: 5000 }, 'limit'],
      [{ query: 'x', limit: 2.5 }, 'limit'],
      [{ query: 'x', threshold: 3 }, 'threshold'],
      [{ query: 'x', exact: 'yes' }, 'exact'],
      [{ query: 'x', mode: 'fuzzy' }, 'mode'],
      [{ query: 'x', weights: { keyword: -1 } }, 'weights'],
      [{ query: 'x', vector: 'not numbers' }, 'vector'],
    ];
    for (const [body, field] of cases) {
      const response = await api('POST', '/v1/namespaces/shop/search', { json: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect(response.body.error.details.field.startsWith(field), JSON.stringify(response.body)).toBe(true);
    }
    // Filters are validated by the db package, which names the offending key.
    for (const filter of [
      { no_such_column: 1 },
      { depth_level: { $near: 2 } },
      { document_id: { $in: 'a' } },
    ]) {
      const response = await api('POST', '/v1/namespaces/shop/search', { json: { query: 'x', filter } });
      expect(response, JSON.stringify(filter)).toMatchObject({
        status: 400,
        body: { error: { code: 'INVALID_FILTER' } },
      });
    }
    const unknownColumn = await api('POST', '/v1/namespaces/shop/search', {
      json: { vector: Array.from({ length: TEST_DIMENSIONS }, () => 0.1), filter: { no_such_column: 1 } },
    });
    expect(unknownColumn.body.error).toMatchObject({
      code: 'INVALID_FILTER',
      details: { key: 'no_such_column' },
    });
    const missing = await api('POST', '/v1/namespaces/nowhere/search', { json: { query: 'x' } });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NAMESPACE_NOT_FOUND' } } });
  });

  it('rejects bodies that are not JSON, of the wrong type, or too large', async () => {
    const path = '/v1/namespaces/shop/documents/big';
    const malformed = await api('PUT', path, {
      raw: '{"collection": "c", "data": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'INVALID_JSON' } } });
    const wrongType = await api('PUT', path, {
      raw: 'collection=c',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    const noData = await api('PUT', path, { json: { collection: 'c' } });
    expect(noData).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: { field: 'data' } } },
    });

    const large = { collection: 'c', data: { text: 'x'.repeat(70 * 1024) } };
    const tooLarge = await api('PUT', path, { json: large });
    expect(tooLarge).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', details: { limit_bytes: 64 * 1024 } } },
    });
    // Without Content-Length (chunked), the limit is enforced while reading.
    const encoded = new TextEncoder().encode(JSON.stringify(large));
    const chunked = await fetch(`${server.url}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(encoded);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await api('GET', path)).status).toBe(404);
  });

  it('deletes a document, then empties a collection', async () => {
    const deleted = await api('DELETE', '/v1/namespaces/shop/documents/campaign-3');
    expect(deleted).toMatchObject({ status: 200, body: { deleted: chunkCounts.get('campaign-3') } });
    const again = await api('DELETE', '/v1/namespaces/shop/documents/campaign-3');
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'DOCUMENT_NOT_FOUND' } } });

    const remaining = (chunkCounts.get('campaign-1') ?? 0) + (chunkCounts.get('campaign-2') ?? 0);
    const emptied = await api('DELETE', '/v1/namespaces/shop/collections/campaigns');
    expect(emptied).toMatchObject({ status: 200, body: { deleted: remaining } });
    expect((await api('GET', '/v1/namespaces/shop/collections/campaigns')).status).toBe(404);
    const emptyAgain = await api('DELETE', '/v1/namespaces/shop/collections/campaigns');
    expect(emptyAgain).toMatchObject({ status: 404, body: { error: { code: 'COLLECTION_NOT_FOUND' } } });
  });
});

describe('bulk NDJSON upload', () => {
  const lines = (documents: unknown[]) =>
    new TextEncoder().encode(documents.map((d) => JSON.stringify(d)).join('\n'));

  it('ingests one document per line, at documents:bulk and with the colon percent-encoded', async () => {
    const body = lines([
      { id: 'p-1', title: 'Red running shoes', price: 120 },
      { id: 'p-2', title: 'Blue rain jacket', price: 90 },
      { id: 'p-3', title: 'Green tent for two', price: 300 },
    ]);
    const response = await upload(server.url, '/v1/namespaces/shop/documents:bulk?collection=products', {
      key: adminKey,
      body: new Blob([body]).stream(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      namespace: 'shop',
      collection_name: 'products',
      documents: 3,
    });
    const encoded = await upload(server.url, '/v1/namespaces/shop/documents%3Abulk?collection=products', {
      key: adminKey,
      body: new Blob([lines([{ id: 'p-4', title: 'Yellow kayak paddle' }])]).stream(),
    });
    expect(encoded.status).toBe(200);
    const stats = await api('GET', '/v1/namespaces/shop/collections/products');
    expect(stats.body.document_count).toBe(4);
    const document = await api('GET', '/v1/namespaces/shop/documents/p-2?collection=products');
    expect(document.body.chunks.map((chunk: { text: string }) => chunk.text).join(' ')).toContain(
      'rain jacket',
    );
    // A similar-looking path is not the bulk route.
    expect((await api('POST', '/v1/namespaces/shop/documentsXbulk?collection=products')).status).toBe(404);
  });

  it('limits each line, not the body, and says which line is too long', async () => {
    const body = lines([
      { id: 'ok-1', title: 'fits' },
      { id: 'too-long', title: 'y'.repeat(5000) },
      { id: 'ok-2' },
    ]);
    const response = await upload(server.url, '/v1/namespaces/shop/documents:bulk?collection=limits', {
      key: adminKey,
      body: new Blob([body]).stream(),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', details: { line: 2, limit_bytes: 4096 } },
    });
  });

  it('rejects a wrong content type, a missing collection and invalid JSON lines', async () => {
    const wrongType = await api('POST', '/v1/namespaces/shop/documents:bulk?collection=x', {
      json: [{ id: 1 }],
    });
    expect(wrongType).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    const noCollection = await upload(server.url, '/v1/namespaces/shop/documents:bulk', {
      key: adminKey,
      body: new Blob([lines([{ id: 'a' }])]).stream(),
    });
    expect(noCollection.status).toBe(400);
    expect(await noCollection.json()).toMatchObject({
      error: { code: 'VALIDATION_ERROR', details: { field: 'collection' } },
    });
    const invalid = await upload(server.url, '/v1/namespaces/shop/documents:bulk?collection=broken', {
      key: adminKey,
      body: new Blob([new TextEncoder().encode('{"id":"a"}\n{"id": oops}\n')]).stream(),
    });
    expect(invalid.status).toBe(400);
    const error = ((await invalid.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toMatch(/line 2/i);
  });
});

describe('migrations', () => {
  it('plans with dry_run (changing nothing), copies, and refuses an existing target', async () => {
    const source = await api('GET', '/v1/namespaces/shop');
    const rows = source.body.embedding_count as number;
    expect(rows).toBeGreaterThan(0);

    const plan = await api('POST', '/v1/migrations', {
      json: { source: 'shop', target: 'shop_copy', dry_run: true },
    });
    expect(plan).toMatchObject({
      status: 200,
      body: {
        dry_run: true,
        plan: { source: 'shop', target: 'shop_copy', mode: 'copy', source_rows: rows, valid: true },
      },
    });
    expect((await api('GET', '/v1/namespaces/shop_copy')).status).toBe(404);

    const copied = await api('POST', '/v1/migrations', { json: { source: 'shop', target: 'shop_copy' } });
    expect(copied).toMatchObject({
      status: 200,
      body: { dry_run: false, result: { success: true, rows_migrated: rows, source_action: 'kept' } },
    });
    expect((await api('GET', '/v1/namespaces/shop_copy')).body.embedding_count).toBe(rows);
    expect((await api('GET', '/v1/namespaces/shop')).body.embedding_count).toBe(rows);

    expect(copied.body.result.checksum).toMatch(/^[0-9a-f]{32}$/);
    const again = await api('POST', '/v1/migrations', { json: { source: 'shop', target: 'shop_copy' } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'TARGET_EXISTS' } } });
    expect(again.body.error.hint).toContain('DELETE /v1/namespaces/shop_copy?confirm=true');
    expect(again.body.error.message).not.toContain('dje ');

    const fast = await api('POST', '/v1/migrations', {
      json: { source: 'shop', target: 'shop_fast', checksum: false },
    });
    expect(fast).toMatchObject({
      status: 200,
      body: { dry_run: false, result: { success: true, rows_migrated: rows, checksum: '' } },
    });

    const estimate = await api('POST', '/v1/migrations/reembed', {
      json: { source: 'shop', target: 'shop_reembedded', dry_run: true },
    });
    expect(estimate).toMatchObject({
      status: 200,
      body: { dry_run: true, source_rows: rows, embedded_rows: 0 },
    });
    expect((await api('GET', '/v1/namespaces/shop_reembedded')).status).toBe(404);
    const reembedded = await api('POST', '/v1/migrations/reembed', {
      json: { source: 'shop', target: 'shop_reembedded' },
    });
    expect(reembedded).toMatchObject({ status: 200, body: { embedded_rows: rows, target_rows: rows } });
    expect((await api('GET', '/v1/namespaces/shop_reembedded')).body.embedding_count).toBe(rows);
    const same = await api('POST', '/v1/migrations/reembed', { json: { source: 'shop', target: 'shop' } });
    expect(same).toMatchObject({ status: 400, body: { error: { code: 'INVALID_OPTION' } } });
  });

  it('lists the backup a move leaves under the source namespace, also once that namespace is gone', async () => {
    const put = await api('PUT', '/v1/namespaces/old_shop/documents/d1', {
      json: { collection: 'items', data: { name: 'Rain jacket', price: 120 } },
    });
    expect(put.status).toBe(200);
    const none = await api('GET', '/v1/namespaces/old_shop/backups');
    expect(none).toMatchObject({ status: 200, body: { namespace: 'old_shop', backups: [] } });
    const move = await api('POST', '/v1/migrations', {
      json: { source: 'old_shop', target: 'new_shop', mode: 'move' },
    });
    expect(move.status).toBe(200);
    expect((await api('GET', '/v1/namespaces/old_shop')).status).toBe(404);
    const listed = await api('GET', '/v1/namespaces/old_shop/backups');
    expect(listed.status).toBe(200);
    expect(listed.body.backups).toHaveLength(1);
    expect(listed.body.backups[0]).toMatchObject({
      table_name: move.body.result.backup_table,
      namespace: 'old_shop',
      row_count: put.body.chunks,
      exists: true,
    });
    expect((await api('GET', '/v1/namespaces/new_shop/backups')).body.backups).toEqual([]);
    const badName = await api('GET', '/v1/namespaces/Bad-Name/backups');
    expect(badName).toMatchObject({ status: 400, body: { error: { code: 'INVALID_NAMESPACE_NAME' } } });
  });

  it('validates names and modes before doing anything', async () => {
    const badTarget = await api('POST', '/v1/migrations', { json: { source: 'shop', target: 'Shop Copy' } });
    expect(badTarget).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: { field: 'target' } } },
    });
    const badMode = await api('POST', '/v1/migrations', {
      json: { source: 'shop', target: 'x', mode: 'merge' },
    });
    expect(badMode).toMatchObject({ status: 400, body: { error: { details: { field: 'mode' } } } });
    const badChecksum = await api('POST', '/v1/migrations', {
      json: { source: 'shop', target: 'x', checksum: 'no' },
    });
    expect(badChecksum).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', details: { field: 'checksum' } } },
    });
    expect((await api('GET', '/v1/namespaces/x')).status).toBe(404);
    const missing = await api('POST', '/v1/migrations', { json: { source: 'nowhere', target: 'somewhere' } });
    expect(missing.status).toBe(404);
  });
});
