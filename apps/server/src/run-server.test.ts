// The process entry point minus signals: environment in, a working server out.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@dynamic-embeddings/core/logger';
import { startTestDatabase, type TestDatabase } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from './env.js';
import { runServer } from './run-server.js';
import { call } from './testing/backend.js';

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await startTestDatabase();
  directory = await mkdtemp(path.join(os.tmpdir(), 'dje-server-'));
});

afterAll(async () => {
  await database?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('runServer', () => {
  it('starts from the environment with keys from DJE_API_KEYS_FILE, and stops', async () => {
    const keyFile = path.join(directory, 'keys');
    await writeFile(keyFile, '# operators\nops-key-123:*:rw\n\nro-key-456:default:r\n');
    const server = await runServer({
      env: readEnv({
        DATABASE_URL: database.url,
        PORT: '0',
        DJE_API_KEYS_FILE: keyFile,
        DJE_DIMENSIONS: '32',
        DJE_MAX_BODY_BYTES: '1000',
      }),
    });
    try {
      const created = await call(server.url, 'POST', '/v1/namespaces', {
        key: 'ops-key-123',
        json: { name: 'default' },
      });
      expect(created).toMatchObject({ status: 201, body: { provider: 'local', dimensions: 32 } });
      expect((await call(server.url, 'GET', '/v1/namespaces/default', { key: 'ro-key-456' })).status).toBe(
        200,
      );
      expect((await call(server.url, 'GET', '/v1/namespaces/default')).status).toBe(401);
      const large = await call(server.url, 'PUT', '/v1/namespaces/default/documents/d', {
        key: 'ops-key-123',
        json: { collection: 'c', data: { text: 'x'.repeat(2000) } },
      });
      expect(large).toMatchObject({ status: 413, body: { error: { details: { limit_bytes: 1000 } } } });
    } finally {
      await server.stop();
    }
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('passes DJE_INDEX_BUILD_MEMORY_MB to the database and logs it when ready', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const server = await runServer({
      env: readEnv({ DATABASE_URL: database.url, PORT: '0', DJE_INDEX_BUILD_MEMORY_MB: '64' }),
      logger: createLogger({ level: 'info', destination }),
    });
    await server.stop();
    const ready = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'pipeline ready');
    expect(ready).toMatchObject({ index_build_memory_mb: 64 });
  });

  it('refuses an empty key file, which would silently turn authentication off', async () => {
    const keyFile = path.join(directory, 'empty');
    await writeFile(keyFile, '# nothing yet\n');
    await expect(
      runServer({ env: readEnv({ DATABASE_URL: database.url, PORT: '0', DJE_API_KEYS_FILE: keyFile }) }),
    ).rejects.toMatchObject({ code: 'INVALID_API_KEYS' });
  });

  it('refuses a public host without keys, and closes the pipeline it opened', async () => {
    await expect(
      runServer({ env: readEnv({ DATABASE_URL: database.url, PORT: '0', HOST: '0.0.0.0' }) }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED_PUBLIC_BIND' });
  });
});
