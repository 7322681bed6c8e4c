import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from './database.js';
import { isCitus, openNamespace } from './index.js';
import {
  canWatchIndexBuild,
  type IndexBuildProgress,
  withIndexBuildProgress,
} from './index-build-progress.js';
import { connectTarget, testRecord } from './testing/records.js';
import { vectorIndexExists } from './vector-index.js';
import { createVectorStore } from './vector-store.js';

const ROWS = 120;

describe.each(databaseTargets)('index build progress on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
    // A table of ~40 blocks whose index expression sleeps 5 ms a row: a build that takes over half
    // a second on any machine, so readings every 20 ms see it running.
    await db.orm.execute(
      sql.raw(`CREATE TABLE progress_rows AS
      SELECT i AS id, repeat('x', 2000) AS padding FROM generate_series(1, ${ROWS}) AS i`),
    );
    await db.orm.execute(
      sql.raw(`CREATE FUNCTION slow_identity(value integer) RETURNS integer IMMUTABLE LANGUAGE plpgsql
        AS $$ BEGIN PERFORM pg_sleep(0.005); RETURN value; END $$`),
    );
  });
  afterAll(async () => {
    await close();
  });

  it('reads a running build on a server, then stops reading; elsewhere the build runs unwatched', async () => {
    const readings: IndexBuildProgress[] = [];
    await db.orm.transaction((tx) =>
      withIndexBuildProgress(
        db,
        tx,
        { intervalMs: 20, onProgress: (reading) => readings.push(reading) },
        () => tx.execute(sql`CREATE INDEX progress_rows_slow ON progress_rows ((slow_identity(id)))`),
      ),
    );
    const rows = await queryRows(
      db.orm,
      sql`SELECT 1 FROM pg_indexes WHERE indexname = 'progress_rows_slow'`,
    );
    expect(rows).toHaveLength(1);
    if (!canWatchIndexBuild(db)) {
      expect(db.driver === 'pglite' || db.isPGliteServer || isCitus(db)).toBe(true);
      expect(readings).toEqual([]);
      return;
    }
    expect(readings.length).toBeGreaterThan(2);
    for (const reading of readings) {
      expect(reading.phase).toMatch(/^(initializing|building index)/);
      expect(reading.blocks_done).toBeLessThanOrEqual(reading.blocks_total);
    }
    expect(readings.some((reading) => reading.blocks_total > 1 && reading.blocks_done > 0)).toBe(true);
    const seen = readings.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readings).toHaveLength(seen);
  });

  it("hands a namespace's HNSW build readings to finishIndex's progress", async () => {
    const identity = { provider: 'test', model: 'progress-model', dimensions: 32 } as const;
    const store = createVectorStore(db, { namespace: 'progress', embedding: identity });
    await store.createNamespace({ namespace: 'progress', ...identity, indexThreshold: 3000 });
    const handle = await openNamespace(db, 'progress');
    const records = Array.from({ length: 3000 }, (_, index) => testRecord({ index, dimensions: 32 }));
    await handle.insert(records, { deferIndex: true });
    const stats = await store.getNamespaceStats();
    if (!stats.exists) throw new Error('namespace missing');
    expect(await vectorIndexExists(db.orm, stats.table_name)).toBe(false);
    const readings: IndexBuildProgress[] = [];
    const built = await handle.finishIndex({
      progress: { intervalMs: 0, onProgress: (reading) => readings.push(reading) },
    });
    expect(built).toBe(true);
    expect(await vectorIndexExists(db.orm, stats.table_name)).toBe(true);
    if (!canWatchIndexBuild(db)) {
      expect(readings).toEqual([]);
      return;
    }
    // Read back to back while the build runs: pgvector reports its loading phase and the blocks read.
    expect(readings.length).toBeGreaterThan(0);
    expect(readings.every((reading) => reading.blocks_done <= reading.blocks_total)).toBe(true);
    expect(readings.some((reading) => reading.phase.startsWith('building index'))).toBe(true);
  });
});
