import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDatabase } from '@dynamic-embeddings/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, DEFAULT_DATA_DIR, parseDatabaseUrl, redactUrl } from './connect.js';
import { createNamespace, getNamespace } from './index.js';
import { pgvectorAtLeast } from './pgvector-version.js';
import { DEFAULT_INDEX_BUILD_MEMORY_MB } from './vector-index.js';

describe('parseDatabaseUrl', () => {
  it.each([
    [undefined, { driver: 'pglite', dataDir: DEFAULT_DATA_DIR }],
    ['', { driver: 'pglite', dataDir: DEFAULT_DATA_DIR }],
    ['memory://', { driver: 'pglite', dataDir: undefined }],
    ['pglite://./data/db', { driver: 'pglite', dataDir: './data/db' }],
    ['postgres://u:p@host:5432/db', { driver: 'postgres', url: 'postgres://u:p@host:5432/db' }],
    ['postgresql://host/db', { driver: 'postgres', url: 'postgresql://host/db' }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it('refuses other schemes without echoing the password', () => {
    expect(() => parseDatabaseUrl('mysql://user:secret@host/db')).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATABASE_URL',
        message: expect.not.stringContaining('secret'),
      }),
    );
    expect(redactUrl('postgres://user:secret@host/db')).toBe('postgres://user:***@host/db');
  });
});

describe('connect', () => {
  const directories: string[] = [];
  afterAll(() => {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('opens an in-memory PGlite with pgvector and the registry migrated', async () => {
    const db = await connect('memory://');
    try {
      expect(db).toMatchObject({
        driver: 'pglite',
        isPGliteServer: false,
        displayUrl: 'memory://',
        indexBuildMemoryMB: DEFAULT_INDEX_BUILD_MEMORY_MB.pglite,
      });
      expect(pgvectorAtLeast(db.versions.pgvector, '0.7')).toBe(true);
      expect(await getNamespace(db.orm, 'nothing')).toBeUndefined();
    } finally {
      await db.close();
      await db.close();
    }
  });

  it('persists a pglite:// directory and lets only one process-wide handle open it', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'dje-connect-'));
    directories.push(directory);
    const url = `pglite://${path.join(directory, 'pgdata')}`;
    const first = await connect(url);
    try {
      await createNamespace(first, { namespace: 'kept', dimensions: 4, provider: 'p', model: 'm' });
      await expect(connect(url)).rejects.toMatchObject({ code: 'DATABASE_LOCKED' });
    } finally {
      await first.close();
    }
    const reopened = await connect(url);
    try {
      expect(await getNamespace(reopened.orm, 'kept')).toMatchObject({ dimensions: 4 });
    } finally {
      await reopened.close();
    }
  });

  it('connects to a server with postgres.js and recognises PGlite behind the wire', async () => {
    const server = await startTestDatabase();
    const db = await connect(server.url);
    try {
      expect(db.driver).toBe('postgres');
      expect(db.isPGliteServer).toBe(server.kind === 'pglite-socket');
      expect(db.indexBuildMemoryMB).toBe(
        DEFAULT_INDEX_BUILD_MEMORY_MB[db.isPGliteServer ? 'pglite' : 'postgres'],
      );
      expect(db.displayUrl).not.toContain(':postgres@');
      expect(pgvectorAtLeast(db.versions.pgvector, '0.7')).toBe(true);
    } finally {
      await db.close();
      await server.close();
    }
  });

  it('takes an index build memory ceiling, and refuses a bad one before connecting', async () => {
    const db = await connect('memory://', { indexBuildMemoryMB: 0 });
    try {
      expect(db.indexBuildMemoryMB).toBe(0);
    } finally {
      await db.close();
    }
    for (const indexBuildMemoryMB of [-1, 1.5, Number.NaN]) {
      // An unreachable server: INVALID_OPTION rather than DATABASE_UNAVAILABLE shows nothing was tried.
      await expect(connect('postgres://user@127.0.0.1:1/none', { indexBuildMemoryMB })).rejects.toMatchObject(
        {
          code: 'INVALID_OPTION',
          details: { option: 'indexBuildMemoryMB' },
        },
      );
    }
  });

  it('reports an unreachable server as DATABASE_UNAVAILABLE', async () => {
    await expect(connect('postgres://user:secret@127.0.0.1:1/none')).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.not.stringContaining('secret'),
    });
  });
});
