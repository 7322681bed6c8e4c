import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRow, queryRows } from './database.js';
import { isCitus, listNamespaces } from './index.js';
import { BULK_LOAD_MINIMUM_ROWS, shouldBuildIndex, shouldDeferIndex } from './index-policy.js';
import { indexNamesFor } from './table-names.js';
import {
  asStored,
  connectTarget,
  cosineSimilarity,
  runTriggerStatement,
  testRecord,
  testVector,
} from './testing/records.js';
import {
  buildVectorIndex,
  describeVectorIndex,
  dropVectorIndex,
  hnswBuildBytesPerRow,
  hnswBuildMemoryKb,
  hnswGraphKb,
  type IndexBuildMemory,
  vectorIndexExists,
} from './vector-index.js';
import { createVectorStore } from './vector-store.js';
import type { EmbeddingInput, VectorStore } from './vector-store-types.js';

const DIMENSIONS = 8;
const identity = { provider: 'test', model: 'policy-model', dimensions: DIMENSIONS } as const;

describe('index policy decisions', () => {
  it.each([
    [{ indexExists: true, incomingRows: BULK_LOAD_MINIMUM_ROWS, existingRows: 0 }, true],
    [{ indexExists: true, incomingRows: 5000, existingRows: 5000 }, true],
    [{ indexExists: true, incomingRows: 5000, existingRows: 5001 }, false],
    [{ indexExists: true, incomingRows: BULK_LOAD_MINIMUM_ROWS - 1, existingRows: 0 }, false],
    [{ indexExists: false, incomingRows: 50_000, existingRows: 0 }, false],
  ])('shouldDeferIndex(%j) is %s', (input, expected) => {
    expect(shouldDeferIndex(input)).toBe(expected);
  });

  it.each([
    [{ indexType: 'hnsw' as const, indexThreshold: 10_000, indexExists: false, rowCount: 9_999 }, false],
    [{ indexType: 'hnsw' as const, indexThreshold: 10_000, indexExists: false, rowCount: 10_000 }, true],
    [{ indexType: 'ivfflat' as const, indexThreshold: 0, indexExists: false, rowCount: 0 }, true],
    [{ indexType: 'hnsw' as const, indexThreshold: 100, indexExists: true, rowCount: 500 }, false],
    [{ indexType: 'none' as const, indexThreshold: 0, indexExists: false, rowCount: 1_000_000 }, false],
  ])('shouldBuildIndex(%j) is %s', (input, expected) => {
    expect(shouldBuildIndex(input)).toBe(expected);
  });
});

describe('HNSW build memory', () => {
  const sizing = { rows: 100_000, dimensions: 1536, m: 16, currentKb: 65_536, parallelWorkers: 2 };

  it("matches pgvector's own count of rows that fit (9,665 rows of 1,536-d, m 16, in 64 MB)", () => {
    const rowsThatFit = (64 * 1024 * 1024) / hnswBuildBytesPerRow({ dimensions: 1536, m: 16 });
    expect(rowsThatFit).toBeGreaterThan(9_665 * 0.95);
    expect(rowsThatFit).toBeLessThan(9_665 * 1.05);
  });

  it('raises the setting to what the graph needs, up to the limit, never below the server setting', () => {
    const needed = Math.ceil((100_000 * hnswBuildBytesPerRow({ dimensions: 1536, m: 16 }) * 1.1) / 1024);
    expect(hnswBuildMemoryKb({ ...sizing, limitMB: 4096 })).toBe(needed);
    expect(hnswBuildMemoryKb({ ...sizing, limitMB: 512 })).toBe(512 * 1024);
    expect(hnswBuildMemoryKb({ ...sizing, limitMB: 0 })).toBeUndefined();
    expect(hnswBuildMemoryKb({ ...sizing, limitMB: 32 })).toBeUndefined();
    // A setting within [graph, twice the graph] stays.
    expect(hnswBuildMemoryKb({ ...sizing, currentKb: needed + 1024, limitMB: 1024 })).toBeUndefined();
  });

  it('leaves room for the parallel workers (32 MB each and the leader’s), up to the limit', () => {
    const small = { ...sizing, rows: 5_000, currentKb: 65_536, limitMB: 1024 };
    expect(hnswGraphKb(small)).toBeLessThan(65_536);
    expect(hnswBuildMemoryKb({ ...small, parallelWorkers: 2 })).toBe(96 * 1024);
    expect(hnswBuildMemoryKb({ ...small, parallelWorkers: 4 })).toBe(160 * 1024);
    expect(hnswBuildMemoryKb({ ...small, parallelWorkers: 4, limitMB: 100 })).toBe(100 * 1024);
    expect(hnswBuildMemoryKb({ ...small, parallelWorkers: 0 })).toBeUndefined();
  });

  it('lowers a setting far above what the build needs (a parallel build allocates all of it)', () => {
    const small = { ...sizing, rows: 10_000, dimensions: 256, currentKb: 1024 * 1024, limitMB: 1024 };
    expect(hnswBuildMemoryKb({ ...small, parallelWorkers: 2 })).toBe(96 * 1024);
    const graphKb = hnswGraphKb(small);
    expect(hnswBuildMemoryKb({ ...small, parallelWorkers: 0 })).toBe(2 * graphKb);
    // A large graph is lowered to twice its size, never below it.
    const large = { ...sizing, currentKb: 4 * 1024 * 1024, limitMB: 1024 };
    expect(hnswBuildMemoryKb(large)).toBe(2 * hnswGraphKb(large));
  });
});

describe.each(databaseTargets)('index policy on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close();
  });

  const records = (from: number, count: number): EmbeddingInput[] =>
    Array.from({ length: count }, (_, offset) =>
      testRecord({ index: from + offset, dimensions: DIMENSIONS }),
    );

  /** The index state as every reporting path sees it; they must agree. */
  async function reportedIndexState(store: VectorStore): Promise<boolean> {
    const stats = await store.getNamespaceStats();
    if (!stats.exists) throw new Error('namespace missing');
    const listed = (await listNamespaces(db)).find((entry) => entry.namespace === store.namespace);
    const indexes = await queryRows<{ name: string }>(
      db.orm,
      sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = ${stats.table_name}`,
    );
    const inCatalog = indexes.some((index) => index.name === indexNamesFor(stats.table_name).vector);
    expect(listed?.vector_index_exists).toBe(stats.vector_index_exists);
    expect(inCatalog).toBe(stats.vector_index_exists);
    return stats.vector_index_exists;
  }

  /** Search stays exact-correct in every index state (data this small has perfect HNSW recall). */
  async function expectCorrectSearch(store: VectorStore, written: readonly EmbeddingInput[]): Promise<void> {
    const query = testVector(777, DIMENSIONS);
    const expected = written
      .map((record) => ({
        chunk_id: record.chunk_id,
        similarity: cosineSimilarity(asStored(record.embedding as number[]), asStored(query)),
      }))
      .sort((left, right) => right.similarity - left.similarity)
      .slice(0, 5)
      .map((result) => result.chunk_id);
    const results = await store.similaritySearch({ vector: query, limit: 5 });
    expect(results.map(([record]) => record.chunk_id)).toEqual(expected);
  }

  it('keeps no index below the threshold and builds it when an insert crosses it', async () => {
    const store = createVectorStore(db, { namespace: 'crossing', embedding: identity });
    await store.createNamespace({ namespace: 'crossing', ...identity, indexThreshold: 50 });
    expect(await store.insertEmbeddings(records(0, 30))).toMatchObject({ inserted: 30, index_built: false });
    expect(await reportedIndexState(store)).toBe(false);
    await expectCorrectSearch(store, records(0, 30));
    expect(await store.insertEmbeddings(records(30, 19))).toMatchObject({ index_built: false });
    expect(await reportedIndexState(store)).toBe(false);
    // Updates do not add rows: still below the threshold.
    expect(await store.insertEmbeddings(records(0, 10))).toMatchObject({ updated: 10, index_built: false });
    expect(await store.insertEmbedding(records(49, 1)[0] as EmbeddingInput)).toEqual({
      inserted: 1,
      updated: 0,
      index_built: true,
    });
    expect(await reportedIndexState(store)).toBe(true);
    await expectCorrectSearch(store, records(0, 50));
    expect(await store.insertEmbedding(records(50, 1)[0] as EmbeddingInput)).toMatchObject({
      index_built: false,
    });
    // Deleting rows below the threshold keeps the index: search is correct either way.
    await store.deleteByDocument('doc-0');
    expect(await reportedIndexState(store)).toBe(true);
  });

  it('builds an IVFFlat index with lists sized from the rows when it crosses the threshold', async () => {
    const store = createVectorStore(db, { namespace: 'crossing_ivf', embedding: identity });
    await store.createNamespace({
      namespace: 'crossing_ivf',
      ...identity,
      index: 'ivfflat',
      indexThreshold: 40,
    });
    expect(await store.insertEmbeddings(records(0, 39))).toMatchObject({ index_built: false });
    expect(await store.insertEmbeddings(records(39, 2))).toMatchObject({ index_built: true });
    expect(await describeVectorIndex(db.orm, 'embeddings_crossing_ivf')).toEqual({
      type: 'ivfflat',
      lists: 1,
    });
    await expectCorrectSearch(store, records(0, 41));
  });

  describe('HNSW build memory', () => {
    const dimensions = 64;
    const rows = 3_000;
    const tableName = 'embeddings_sized';
    const settingKb = async (executor: Pick<Database['orm'], 'execute'>) =>
      (
        await queryRow<{ kb: number }>(
          executor,
          sql`SELECT setting::int AS kb FROM pg_settings WHERE name = 'maintenance_work_mem'`,
        )
      )?.kb;

    beforeAll(async () => {
      const store = createVectorStore(db, { namespace: 'sized', embedding: { ...identity, dimensions } });
      await store.createNamespace({ namespace: 'sized', ...identity, dimensions, indexThreshold: rows + 1 });
      await store.insertEmbeddings(
        Array.from({ length: rows }, (_, index) => testRecord({ index, dimensions })),
        { batchSize: 1_000 },
      );
      // Stands in for a server that cannot give a build more memory: CREATE INDEX fails with the
      // SQLSTATE in dje_test.refuse_code whenever maintenance_work_mem is above 1MB.
      await db.orm.execute(
        sql.raw(`CREATE FUNCTION refuse_big_builds() RETURNS event_trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   IF current_setting('dje_test.refuse_code', true) <> ''
                      AND current_setting('maintenance_work_mem') <> '1MB' THEN
                     RAISE EXCEPTION 'could not resize shared memory segment (simulated)'
                       USING ERRCODE = current_setting('dje_test.refuse_code');
                   END IF;
                 END $$`),
      );
      await db.orm.execute(
        sql.raw(`CREATE EVENT TRIGGER refuse_big_builds ON ddl_command_start
                 WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION refuse_big_builds()`),
      );
    });

    afterAll(async () => {
      await db.orm.execute(sql.raw('DROP EVENT TRIGGER IF EXISTS refuse_big_builds'));
      await db.orm.execute(sql.raw('DROP FUNCTION IF EXISTS refuse_big_builds()'));
    });

    /** Builds (then drops) the index in a transaction that starts at 1MB; reports the setting it ended at. */
    const buildWithLimit = (
      memoryLimitMB: number,
      refuseCode = '',
      onMemoryShort?: (memory: IndexBuildMemory) => void,
    ) =>
      db.orm.transaction(async (tx) => {
        // On Citus the build runs on the worker: the starting setting must be there too.
        if (isCitus(db)) await tx.execute(sql`SET LOCAL citus.propagate_set_commands = 'local'`);
        await tx.execute(sql`SET LOCAL maintenance_work_mem = '1MB'`);
        await tx.execute(sql.raw(`SET LOCAL dje_test.refuse_code = '${refuseCode}'`));
        await buildVectorIndex(tx, {
          tableName,
          type: 'hnsw',
          dimensions,
          memoryLimitMB,
          citus: isCitus(db),
          onMemoryShort,
        });
        const built = await vectorIndexExists(tx, tableName);
        const kb = await settingKb(tx);
        await dropVectorIndex(tx, tableName);
        return { built, kb };
      });

    it('sizes maintenance_work_mem for the build within its transaction only', async () => {
      const sessionKb = await settingKb(db.orm);
      const workers = await queryRow<{ workers: number }>(
        db.orm,
        sql`SELECT setting::int AS workers FROM pg_settings WHERE name = 'max_parallel_maintenance_workers'`,
      );
      const parallelWorkers = Number(workers?.workers);
      const needed = hnswBuildMemoryKb({
        rows,
        dimensions,
        m: 16,
        currentKb: 1024,
        limitMB: 1024,
        parallelWorkers,
      });
      expect(needed).toBeGreaterThan(2048);
      expect(await buildWithLimit(1024)).toEqual({ built: true, kb: needed });
      expect(await buildWithLimit(2)).toEqual({ built: true, kb: 2048 });
      expect(await buildWithLimit(0)).toEqual({ built: true, kb: 1024 });
      expect(await settingKb(db.orm)).toBe(sessionKb);
    });

    it('says when the graph will not fit in the memory the build may use, and only then', async () => {
      const neededMb = Math.ceil(hnswGraphKb({ rows, dimensions, m: 16 }) / 1024);
      expect(neededMb).toBeGreaterThan(2);
      const short: IndexBuildMemory[] = [];
      expect(await buildWithLimit(2, '', (memory) => short.push(memory))).toEqual({ built: true, kb: 2048 });
      expect(short).toEqual([{ needed_mb: neededMb, granted_mb: 2 }]);
      // Room for the whole graph: nothing to say.
      await buildWithLimit(1024, '', (memory) => short.push(memory));
      expect(short).toHaveLength(1);
    });

    it('retries at the server setting when the server refuses the memory (SQLSTATE class 53)', async () => {
      expect(await buildWithLimit(1024, '53100')).toEqual({ built: true, kb: 1024 });
      expect(await buildWithLimit(1024, '53200')).toEqual({ built: true, kb: 1024 });
    });

    it('lets any other build failure through, leaving no index', async () => {
      await expect(buildWithLimit(1024, '22023')).rejects.toThrow();
      expect(await vectorIndexExists(db.orm, tableName)).toBe(false);
    });
  });

  it("index: 'none' never builds an index", async () => {
    const store = createVectorStore(db, { namespace: 'exact_only', embedding: identity });
    await store.createNamespace({ namespace: 'exact_only', ...identity, index: 'none', indexThreshold: 0 });
    expect(await store.insertEmbeddings(records(0, 120))).toMatchObject({ index_built: false });
    expect(await reportedIndexState(store)).toBe(false);
    await expectCorrectSearch(store, records(0, 120));
  });

  it('threshold 0 indexes from creation; small inserts keep the index in place', async () => {
    const store = createVectorStore(db, { namespace: 'always', embedding: identity });
    await store.createNamespace({ namespace: 'always', ...identity, indexThreshold: 0 });
    expect(await reportedIndexState(store)).toBe(true);
    const result = await store.insertEmbeddings(records(0, 100), { batchSize: 40 });
    expect(result).toMatchObject({ inserted: 100, index_built: false });
    expect(await reportedIndexState(store)).toBe(true);
    await expectCorrectSearch(store, records(0, 100));
  });

  it('a bulk load at least as large as the table drops the index and rebuilds it afterwards', async () => {
    const namespace = 'bulk';
    const store = createVectorStore(db, { namespace, embedding: identity });
    await store.createNamespace({ namespace, ...identity, indexThreshold: 0 });
    // A dropped and rebuilt index is a new relation: its oid tells whether the load deferred it.
    const indexOid = async () => {
      const [row] = await queryRows<{ oid: number }>(
        db.orm,
        sql`SELECT oid::int AS oid FROM pg_class WHERE relname = ${indexNamesFor('embeddings_bulk').vector}`,
      );
      return row?.oid;
    };
    const created = await indexOid();
    expect(created).toBeDefined();

    const loaded = await store.insertEmbeddings(records(0, BULK_LOAD_MINIMUM_ROWS + 200), { batchSize: 600 });
    expect(loaded).toMatchObject({ inserted: BULK_LOAD_MINIMUM_ROWS + 200, index_built: true });
    const rebuilt = await indexOid();
    expect(rebuilt).toBeDefined();
    expect(rebuilt).not.toBe(created);
    expect(await reportedIndexState(store)).toBe(true);

    // Smaller than the table: the index stays in place during the load.
    const added = await store.insertEmbeddings(records(5000, BULK_LOAD_MINIMUM_ROWS), { batchSize: 600 });
    expect(added).toMatchObject({ inserted: BULK_LOAD_MINIMUM_ROWS, index_built: false });
    expect(await indexOid()).toBe(rebuilt);
    await expectCorrectSearch(store, [
      ...records(0, BULK_LOAD_MINIMUM_ROWS + 200),
      ...records(5000, BULK_LOAD_MINIMUM_ROWS),
    ]);
  });

  it('restores a dropped index when the bulk load fails', async () => {
    const namespace = 'bulk_failure';
    const store = createVectorStore(db, { namespace, embedding: identity });
    await store.createNamespace({ namespace, ...identity, indexThreshold: 0 });
    await db.orm.execute(
      sql.raw(`CREATE FUNCTION fail_on_boom_policy() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN IF NEW.text = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`),
    );
    await runTriggerStatement(
      db,
      `CREATE TRIGGER boom BEFORE INSERT ON embeddings_bulk_failure
       FOR EACH ROW EXECUTE FUNCTION fail_on_boom_policy()`,
    );
    const batch = records(0, BULK_LOAD_MINIMUM_ROWS + 10);
    batch[batch.length - 1] = { ...(batch[batch.length - 1] as EmbeddingInput), text: 'boom' };
    await expect(store.insertEmbeddings(batch, { batchSize: 600 })).rejects.toThrow();
    // The first batch committed; the index is back.
    expect(await reportedIndexState(store)).toBe(true);
    expect(await store.getNamespaceStats()).toMatchObject({ embedding_count: 600 });
  });
});
