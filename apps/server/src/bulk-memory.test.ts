// A large NDJSON upload streams through the server in bounded memory.
//
// How memory is measured: the server runs in this process, and so does the database (PGlite behind
// pglite-socket), so process.memoryUsage() sees the client, the server and the database together.
// Request chunks are Buffers, which live outside the V8 heap, so we watch heapUsed + arrayBuffers.
// Streaming creates a lot of short-lived Buffers that V8 frees only when it feels memory pressure,
// so raw samples measure garbage as much as retention: every sample is taken right after a forced
// full collection (`--expose-gc`, set in vitest.config.ts), i.e. it measures live memory only.
// Each line is padded with JSON whitespace to ~12 KB: the body is ~59 MB on the wire while the
// stored data stays small, so the run stays quick, and an implementation that buffered the body (as
// text or as bytes) would hold ≥ 59 MB live at the end of the upload and exceed the 40 MB bound,
// while a streaming one holds a few batches and socket buffers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from './start-server.js';
import {
  call,
  startTestBackend,
  startTestServer,
  type TestBackend,
  uploadWithBackpressure,
} from './testing/backend.js';

const documentCount = 5_000;
const paddingBytes = 12 * 1024;
const maximumGrowthBytes = 40 * 1024 * 1024;

let backend: TestBackend;
let server: RunningServer;

beforeAll(async () => {
  backend = await startTestBackend();
  server = await startTestServer(backend);
});

afterAll(async () => {
  await server?.close();
  await backend?.close();
});

async function* ndjson(count: number): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const padding = ' '.repeat(paddingBytes);
  for (let index = 0; index < count; index += 1) {
    const document = { id: `item-${index}`, title: `Item ${index}`, group: `group-${index % 7}` };
    yield encoder.encode(`${JSON.stringify(document)}${padding}\n`);
  }
}

function liveMemory(): number {
  const collect = globalThis.gc;
  if (collect === undefined)
    throw new Error('this test needs node --expose-gc (apps/server/vitest.config.ts sets it)');
  collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

it(`ingests ${documentCount} documents (~${Math.round((documentCount * paddingBytes) / 2 ** 20)} MB of NDJSON) in bounded memory`, async () => {
  // Warm up: load every code path once so lazily compiled code and pools are not counted as growth.
  const warmUp = await uploadWithBackpressure(
    server.url,
    '/v1/namespaces/default/documents:bulk?collection=warm',
    ndjson(100),
  );
  expect(warmUp.status).toBe(200);

  const baseline = liveMemory();
  let peak = baseline;
  let samples = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, liveMemory());
    samples += 1;
    // Often enough for ten samples however fast the ingest is (it took ~3 s here, alone).
  }, 100);
  let response: Awaited<ReturnType<typeof uploadWithBackpressure>>;
  try {
    response = await uploadWithBackpressure(
      server.url,
      '/v1/namespaces/default/documents:bulk?collection=items',
      ndjson(documentCount),
    );
  } finally {
    clearInterval(sampler);
  }
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ documents: documentCount, collection_name: 'items' });

  expect(samples).toBeGreaterThan(10);
  const growth = peak - baseline;
  expect(growth, `live memory grew by ${Math.round(growth / 2 ** 20)} MB`).toBeLessThan(maximumGrowthBytes);

  const stats = await call(server.url, 'GET', '/v1/namespaces/default/collections/items');
  expect(stats.body.document_count).toBe(documentCount);
  const last = await call(server.url, 'GET', `/v1/namespaces/default/documents/item-${documentCount - 1}`);
  expect(last.body.chunks.map((chunk: { text: string }) => chunk.text).join(' ')).toContain(
    `Item ${documentCount - 1}`,
  );
  // Ingesting 5,000 documents into PGlite over the wire takes tens of seconds on a busy machine.
}, 240_000);
