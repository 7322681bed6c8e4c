// A PostgreSQL + pgvector for tests, in this order of preference: TEST_DATABASE_URL (a fresh
// database is created on that server per call), a Testcontainers pgvector container when a Docker
// engine answers, else PGlite served over the PostgreSQL wire protocol on 127.0.0.1.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import postgres from 'postgres';
import { freePort } from './free-port.js';

export interface TestDatabase {
  /** A postgres:// URL to an empty database with the vector extension available. */
  readonly url: string;
  /** Where it runs. */
  readonly kind: 'external' | 'container' | 'pglite-socket';
  /** Stops the server or drops the database created for this call. */
  close(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return createExternalDatabase(external);
  if (await dockerAnswers()) return startContainer();
  return startPgliteServer();
}

async function createExternalDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `dje_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'external',
    async close() {
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function dockerAnswers(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainer(): Promise<TestDatabase> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('pgvector/pgvector:pg17')
    .withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'test' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    url: `postgres://postgres:test@${container.getHost()}:${container.getMappedPort(5432)}/test`,
    kind: 'container',
    async close() {
      await container.stop();
    },
  };
}

/** PGlite + pgvector behind pglite-socket; several connections so a postgres.js pool works. */
export async function startPgliteServer(): Promise<TestDatabase> {
  const db = await PGlite.create({ extensions: { vector } });
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 16 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    kind: 'pglite-socket',
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
