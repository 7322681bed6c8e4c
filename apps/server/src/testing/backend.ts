// Test support (not built): a real PostgreSQL over the wire (startTestDatabase), a pipeline on it
import http from 'node:http';
// with the fast local provider, and a tiny fetch wrapper for the HTTP tests.
import { createNamespaceMigration, type NamespaceMigration } from '@dynamic-embeddings/migration';
import { createLocalProvider, createPipeline, type EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import { startTestDatabase, type TestDatabase } from '@dynamic-embeddings/testing';
import { type RunningServer, type StartServerOptions, startServer } from '../start-server.js';

export const TEST_DIMENSIONS = 64;

export interface TestBackend {
  readonly database: TestDatabase;
  readonly pipeline: EmbeddingPipeline;
  readonly migration: NamespaceMigration;
  close(): Promise<void>;
}

/** `database` starts another test database than startTestDatabase() (e.g. the Citus target's). */
export async function startTestBackend(
  options: { readonly database?: () => Promise<TestDatabase> } = {},
): Promise<TestBackend> {
  const database = await (options.database ?? startTestDatabase)();
  const pipeline = await createPipeline({
    databaseUrl: database.url,
    provider: createLocalProvider({ dimensions: TEST_DIMENSIONS }),
  });
  const migration = createNamespaceMigration({ db: pipeline.db });
  return {
    database,
    pipeline,
    migration,
    async close() {
      await pipeline.close();
      await database.close();
    },
  };
}

export function startTestServer(
  backend: TestBackend,
  options: Omit<StartServerOptions, 'pipeline' | 'migration' | 'port'> = {},
): Promise<RunningServer> {
  return startServer({ pipeline: backend.pipeline, migration: backend.migration, port: 0, ...options });
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  readonly body: any;
}

export interface CallOptions {
  readonly key?: string;
  /** Sent as JSON unless `raw` is given. */
  readonly json?: unknown;
  readonly raw?: RequestInit['body'];
  readonly headers?: Record<string, string>;
}

/** One HTTP call against a running server; the body is parsed as JSON when it is JSON. */
export async function call(
  url: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: RequestInit['body'] | undefined = options.raw;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json') ?? false;
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

/**
 * An NDJSON request body the test controls: lines are sent as they are pushed, and the body stays
 * open until `end()` — for requests that must be in flight while something else happens.
 */
export function openBody(): {
  readonly stream: ReadableStream<Uint8Array>;
  push(line: string): void;
  end(): void;
} {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
  });
  const encoder = new TextEncoder();
  return {
    stream,
    push: (line) => controller.enqueue(encoder.encode(`${line}\n`)),
    end: () => controller.close(),
  };
}

/** Starts a streamed NDJSON upload (Node's fetch needs `duplex: 'half'` for a streamed body). */
export function upload(
  url: string,
  path: string,
  options: { readonly key?: string; readonly body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> },
): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-ndjson',
      ...(options.key === undefined ? {} : { authorization: `Bearer ${options.key}` }),
    },
    body: options.body as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
}

/**
 * Streams an NDJSON body with node:http, waiting for 'drain' whenever the socket is full. Node 20's
 * fetch keeps writing a streamed body regardless of backpressure, so the unsent part piles up in
 * the client's memory; a test measuring the server's memory in this process needs a client that
 * only sends as fast as the server reads.
 */
export function uploadWithBackpressure(
  url: string,
  path: string,
  body: AsyncIterable<Uint8Array>,
): Promise<{ readonly status: number; readonly body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.once('error', reject);
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(parts).toString('utf8')),
        }),
      );
    });
    void (async () => {
      for await (const chunk of body) {
        if (!request.write(chunk)) await new Promise((drained) => request.once('drain', drained));
      }
      request.end();
    })().catch(reject);
  });
}
