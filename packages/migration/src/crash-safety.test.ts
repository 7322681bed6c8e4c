import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  connect,
  type Database,
  getNamespace,
  ident,
  listBackups,
  listNamespaces,
  queryRow,
  tableExists,
} from '@dynamic-embeddings/db';
import { databaseTargets, inProcessTarget } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespaceMigration } from './namespace-migration.js';
import { tableChecksum } from './table-checksum.js';
import { seedNamespace } from './testing/fixtures.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const childScript = path.join(packageDir, 'src', 'testing', 'kill-child.ts');
const DIMENSIONS = 8;
const ROWS = 3000;

/** Runs the child until it reports being frozen at `freezeAt`, SIGKILLs it, and returns what it printed. */
async function killDuringMove(options: {
  readonly url: string;
  readonly source: string;
  readonly target: string;
  readonly freezeAt: 'copy' | 'index';
}): Promise<{ readonly signal: NodeJS.Signals | null; readonly lines: Record<string, unknown>[] }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      childScript,
      options.url,
      options.source,
      options.target,
      options.freezeAt,
    ],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let pending = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.stdout?.on('data', (chunk) => {
    pending += String(chunk);
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete.filter(Boolean)) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (parsed.frozen !== undefined) child.kill('SIGKILL');
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not freeze in time; stderr:\n${stderr}`));
    }, 45_000);
    child.on('exit', (code, exitSignal) => {
      clearTimeout(timer);
      if (exitSignal === null)
        reject(new Error(`child exited with ${code} before being killed; stderr:\n${stderr}`));
      else resolve(exitSignal);
    });
  });
  return { signal, lines };
}

describe.each(databaseTargets)('crash safety on $name', (target) => {
  let server: { readonly url: string; close(): Promise<void> } | undefined;
  let dataDir: string | undefined;
  let url: string;
  let db: Database | undefined;

  beforeAll(async () => {
    // The in-process target is memory-only; a killed process needs a database that outlives it.
    if (target === inProcessTarget) {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'dje-crash-'));
      url = `pglite://${path.join(dataDir, 'pgdata')}`;
    } else {
      server = await target.start();
      url = server.url;
    }
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Embedded PGlite admits one process at a time: the parent steps aside while the child runs. */
  async function reopen(): Promise<Database> {
    await db?.close();
    db = await connect(url);
    return db;
  }

  it('a process killed in the middle of the copy leaves the source intact and no target; re-running succeeds', async () => {
    let database = await reopen();
    await seedNamespace(database, { namespace: 'crash_src', dimensions: DIMENSIONS, rows: ROWS, seed: 41 });
    const before = await tableChecksum(database.orm, 'embeddings_crash_src');
    const registered = await getNamespace(database.orm, 'crash_src');
    await database.close();

    const killed = await killDuringMove({ url, source: 'crash_src', target: 'crash_dst', freezeAt: 'copy' });

    expect(killed.signal).toBe('SIGKILL');
    const copied = killed.lines.filter((line) => line.phase === 'copy').map((line) => Number(line.rows_done));
    expect(Math.max(...copied)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...copied)).toBeLessThan(ROWS);
    expect(killed.lines.some((line) => line.phase === 'verify' || line.finished === true)).toBe(false);

    database = await reopen();
    expect(await tableChecksum(database.orm, 'embeddings_crash_src')).toEqual(before);
    expect(await getNamespace(database.orm, 'crash_src')).toEqual(registered);
    expect(await tableExists(database.orm, 'embeddings_crash_dst')).toBe(false);
    expect(await getNamespace(database.orm, 'crash_dst')).toBeUndefined();
    expect(await listBackups(database)).toEqual([]);

    const rerun = await createNamespaceMigration({ db: database }).moveNamespace({
      source: 'crash_src',
      target: 'crash_dst',
    });
    expect(rerun).toMatchObject({ success: true, rows_migrated: ROWS, checksum: before.checksum });
    expect(await tableChecksum(database.orm, 'embeddings_crash_dst')).toEqual(before);
  });

  it('a process killed after commit, before the index build, leaves a complete, verified and searchable target', async () => {
    let database = await reopen();
    await seedNamespace(database, {
      namespace: 'late_crash_src',
      dimensions: DIMENSIONS,
      rows: ROWS,
      seed: 42,
      indexThreshold: 1000,
    });
    const before = await tableChecksum(database.orm, 'embeddings_late_crash_src');
    await database.close();

    const killed = await killDuringMove({
      url,
      source: 'late_crash_src',
      target: 'late_crash_dst',
      freezeAt: 'index',
    });

    expect(killed.signal).toBe('SIGKILL');
    database = await reopen();
    // Committed: the target is complete and registered, the source is a registered backup.
    expect(await tableChecksum(database.orm, 'embeddings_late_crash_dst')).toEqual(before);
    const info = (await listNamespaces(database)).find(
      (namespace) => namespace.namespace === 'late_crash_dst',
    );
    expect(info).toMatchObject({ embedding_count: ROWS, index_type: 'hnsw', vector_index_exists: false });
    // Exact search works without the index: a stored vector finds its own row first.
    const nearest = await queryRow<{ chunk_id: string }>(
      database.orm,
      sql`SELECT chunk_id FROM ${ident('embeddings_late_crash_dst')}
          ORDER BY embedding <=> (SELECT embedding FROM ${ident('embeddings_late_crash_dst')} WHERE chunk_id = 'doc7:chunk:7')
          LIMIT 1`,
    );
    expect(nearest?.chunk_id).toBe('doc7:chunk:7');
    expect(await getNamespace(database.orm, 'late_crash_src')).toBeUndefined();
    const backups = (await listBackups(database)).filter((backup) => backup.namespace === 'late_crash_src');
    expect(backups).toHaveLength(1);
    expect(await tableChecksum(database.orm, backups[0]!.table_name)).toEqual(before);
  });
});
