// The bulk write paths: new chunk ids go straight into the table by COPY, stored ones through the
// merge, a COPY the server refuses fails the write (and never hangs), and a writer that stores an id
// between the check and the COPY sends the batch through the merge.
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCitus } from './citus-placement.js';
import { connect } from './connect.js';
import { type Database, queryRow, queryRows } from './database.js';
import { ident } from './identifiers.js';
import { textHash } from './prepare-records.js';
import { sqlStateOf } from './sql-state.js';
import { runTriggerStatement, testRecord } from './testing/records.js';
import { createVectorStore } from './vector-store.js';
import { COPY_MINIMUM_ROWS } from './write-rows.js';
import { runWriteTransaction } from './write-transaction.js';

const DIMENSIONS = 8;
const identity = { provider: 'test', model: 'write-rows', dimensions: DIMENSIONS } as const;
const ROWS = COPY_MINIMUM_ROWS + 8;

function records(first: number, count: number, text = 'v1') {
  return Array.from({ length: count }, (_, index) =>
    testRecord({
      index: first + index,
      dimensions: DIMENSIONS,
      overrides: { text: `${text} ${first + index}` },
    }),
  );
}

async function texts(db: Database, namespace: string): Promise<string[]> {
  const rows = await queryRows<{ text: string }>(
    db.orm,
    sql`SELECT text FROM ${ident(`embeddings_${namespace}`)} ORDER BY id`,
  );
  return rows.map((row) => row.text);
}

describe.each(databaseTargets)('bulk writes on $name', (target) => {
  const log: string[] = [];
  let db: Database;
  let url: string;
  let close: () => Promise<void>;
  const loadTables = () => log.filter((query) => /CREATE TEMP TABLE/i.test(query)).length;
  const savepoints = () => log.filter((query) => /^SAVEPOINT/i.test(query.trim())).length;

  beforeAll(async () => {
    const started = await target.start();
    url = started.url;
    db = await connect(url, { onQuery: (query) => log.push(query) });
    close = async () => {
      await db.close();
      await started.close();
    };
  });
  afterAll(async () => {
    await close();
  });

  it('writes new chunk ids by COPY into the table and stored ones through the merge', async () => {
    const store = createVectorStore(db, { namespace: 'direct', embedding: identity });
    const canCopy = !db.isPGliteServer;
    const write = async (batch: ReturnType<typeof records>) => {
      log.length = 0;
      const counts = await store.insertEmbeddings(batch);
      // The wire PGlite server takes plain INSERTs only.
      return { ...counts, loadTables: loadTables(), directCopies: savepoints() };
    };
    const paths = (loads: number, copies: number) => ({
      loadTables: canCopy ? loads : 0,
      directCopies: canCopy ? copies : 0,
    });
    // All new: straight into the table, no temporary table.
    expect(await write(records(0, ROWS))).toMatchObject({ inserted: ROWS, updated: 0, ...paths(0, 1) });
    // The new ones straight in, the 4 stored ones by INSERT … ON CONFLICT (too few for a COPY).
    const fewStored = [...records(ROWS - 4, 4, 'v2'), ...records(ROWS, ROWS - 4, 'v2')];
    expect(await write(fewStored)).toMatchObject({ inserted: ROWS - 4, updated: 4, ...paths(0, 1) });
    // Many of each: the new ones straight in, the stored ones through the temporary table's merge.
    const manyStored = [...records(0, ROWS, 'v3'), ...records(2 * ROWS, ROWS, 'v3')];
    expect(await write(manyStored)).toMatchObject({ inserted: ROWS, updated: ROWS, ...paths(1, 1) });
    // Too few new ones for a COPY of their own: the whole batch through the merge.
    const fewNew = [...records(0, ROWS, 'v4'), ...records(3 * ROWS, 4, 'v4')];
    expect(await write(fewNew)).toMatchObject({ inserted: 4, updated: ROWS, ...paths(1, 0) });

    const stored = await texts(db, 'direct');
    const version = (name: string) => stored.filter((text) => text.startsWith(`${name} `)).length;
    expect(stored).toHaveLength(3 * ROWS);
    expect([version('v1'), version('v2'), version('v3'), version('v4')]).toEqual([
      0,
      ROWS - 4,
      ROWS,
      ROWS + 4,
    ]);
  });

  it('every column reads back as written, by INSERT (a few rows) and by COPY (many) alike', async () => {
    const store = createVectorStore(db, { namespace: 'awkward', embedding: identity });
    const awkward = (index: number) =>
      testRecord({
        index,
        dimensions: DIMENSIONS,
        overrides: {
          text: `quote " backslash \\ brace { } comma , newline\n tab\t ünïcødé 🚀 ${index}`,
          embedding: Array.from({ length: DIMENSIONS }, (_, at) => (at % 2 === 0 ? 1 : -1) * (0.1 + at / 7)),
          path: index % 2 === 0 ? null : `$.items[${index}]."odd key"`,
          parent_chunk_id: null,
          depth_level: index,
          semantic_density: 0.1 + 0.2,
          confidence: 1 / 3,
          chunk_size: 2_147_483_647,
          token_count: 0,
          contains_arrays: index % 2 === 0,
          is_leaf: index % 2 === 1,
          domain_tags: ['a"b', 'c\\d', '{x,y}', 'NULL', '', ' spaced '],
          original_keys: [],
          metadata: { nested: { list: [1, 'two', null, true] }, 'key "quoted"': 'ünïcødé', empty: {} },
        },
      });
    const few = [awkward(0), awkward(1)];
    const many = Array.from({ length: ROWS }, (_, index) => awkward(10 + index));
    expect(await store.insertEmbeddings(few)).toMatchObject({ inserted: 2 });
    expect(await store.insertEmbeddings(many)).toMatchObject({ inserted: ROWS });
    for (const written of [...few, many[0]!, many[1]!]) {
      const stored = await store.getByChunkId(written.chunk_id, { includeVectors: true });
      const { embedding, ...columns } = written;
      expect(stored).toMatchObject(columns);
      expect(stored?.embedding).toEqual(Array.from(Float32Array.from(embedding as number[])));
    }
  });

  it('a table from before text_hash was generated gets the hash from the writer, by COPY and by INSERT', async (context) => {
    // Citus refuses ALTER COLUMN … DROP EXPRESSION on a distributed table, so that shape cannot be
    // made here; a distributed table always has the generated column.
    if (isCitus(db)) context.skip('Citus cannot drop a generated expression on a distributed table');
    const store = createVectorStore(db, { namespace: 'legacy_hash', embedding: identity });
    await store.insertEmbedding(testRecord({ index: 500, dimensions: DIMENSIONS }));
    // What such a table looks like: text_hash a plain NOT NULL column that every writer fills in.
    await db.orm.execute(sql`ALTER TABLE embeddings_legacy_hash ALTER COLUMN text_hash DROP EXPRESSION`);
    expect(await store.insertEmbeddings(records(0, ROWS))).toMatchObject({ inserted: ROWS });
    expect(await store.insertEmbeddings(records(ROWS, 2))).toMatchObject({ inserted: 2 });
    const rows = await queryRows<{ text: string; text_hash: string }>(
      db.orm,
      sql`SELECT text, text_hash FROM embeddings_legacy_hash ORDER BY id`,
    );
    expect(rows).toHaveLength(ROWS + 3);
    for (const row of rows) expect(row.text_hash).toBe(textHash(row.text));
  });

  it('a batch that fails stops the insert: earlier batches stay, the failed one is undone, no new batch starts', async () => {
    const store = createVectorStore(db, { namespace: 'batch_fails', embedding: identity });
    await store.ensureNamespace();
    // The server refuses one row of the second batch, after the records validated.
    await db.orm.execute(sql`CREATE FUNCTION refuse_chunk_40() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.chunk_id = 'chunk-40' THEN RAISE EXCEPTION 'refused chunk-40' USING ERRCODE = 'P0001'; END IF;
        RETURN NEW;
      END $$`);
    await runTriggerStatement(
      db,
      'CREATE TRIGGER refuse_chunk_40 BEFORE INSERT ON embeddings_batch_fails FOR EACH ROW EXECUTE FUNCTION refuse_chunk_40()',
    );
    const progress: number[] = [];
    const batchSize = COPY_MINIMUM_ROWS;
    const failure = await store
      .insertEmbeddings(records(0, 5 * batchSize), {
        batchSize,
        onProgress: (event) => progress.push(event.done),
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    // Checked by the server's message, whichever path wrote the batch: Citus reports a worker's COPY
    // error as XX000, and Drizzle wraps the INSERT path's error ("Failed query: …") around it.
    const refusal = failure as Error & { cause?: Error };
    expect(`${refusal.message} ${refusal.cause?.message}`).toContain('refused chunk-40');
    expect(progress).toEqual([batchSize]);
    const stored = await queryRows<{ chunk_id: string }>(
      db.orm,
      sql`SELECT chunk_id FROM embeddings_batch_fails ORDER BY id`,
    );
    const batchesStored = new Set(
      stored.map((row) => Math.floor(Number(row.chunk_id.split('-')[1]) / batchSize)),
    );
    // The first batch committed and the second rolled back whole; two transactions at once on a
    // server may have let the third start before the second failed, but never the fourth.
    expect(batchesStored.has(0)).toBe(true);
    expect(batchesStored.has(1)).toBe(false);
    expect([...batchesStored].every((batch) => batch <= 2)).toBe(true);
    expect(stored).toHaveLength(batchesStored.size * batchSize);
    await runTriggerStatement(db, 'DROP TRIGGER refuse_chunk_40 ON embeddings_batch_fails');
    expect(await store.insertEmbeddings(records(0, 5 * batchSize), { batchSize })).toMatchObject({
      inserted: 5 * batchSize - stored.length,
    });
  });

  it('a COPY the server refuses fails the write, writes nothing and leaves the connection usable', async () => {
    await db.orm.execute(sql`CREATE TABLE copy_refused (id int PRIMARY KEY)`);
    await db.orm.execute(sql`INSERT INTO copy_refused VALUES (2)`);
    // Binary COPY of int4 rows 1, 2, 3: signature, flags, header extension, then per row a field
    // count (1), a length (4) and the value; -1 ends the data.
    const header = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
    const row = (value: number) => [0, 1, 0, 0, 0, 4, 0, 0, 0, value];
    const bytes = Uint8Array.from([...header, ...row(1), ...row(2), ...row(3), 0xff, 0xff]);
    let offered = false;
    const failure = await runWriteTransaction(db, async (transaction) => {
      offered = transaction.copy !== undefined;
      await transaction.orm.execute(sql`INSERT INTO copy_refused VALUES (10)`);
      if (transaction.copy === undefined) throw new Error('no COPY on this connection');
      await transaction.copy.run(
        sql`COPY copy_refused (id) FROM ${sql.raw(transaction.copy.source === 'blob' ? `'/dev/blob'` : 'STDIN')} (FORMAT binary)`,
        [bytes],
      );
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(offered).toBe(!db.isPGliteServer);
    if (offered) expect(sqlStateOf(failure)).toBe('23505');
    else expect(failure).toBeInstanceOf(Error);
    const rows = await queryRows<{ id: number }>(db.orm, sql`SELECT id FROM copy_refused ORDER BY id`);
    expect(rows.map((each) => each.id)).toEqual([2]);
  });

  it('a chunk id stored by another writer between the check and the COPY goes through the merge', async (context) => {
    if (db.isPGliteServer || db.pglite !== undefined) {
      // One PGlite backend runs one transaction at a time: no other writer can interleave.
      context.skip();
    }
    const store = createVectorStore(db, { namespace: 'raced', embedding: identity });
    await store.insertEmbedding(testRecord({ index: 1000, dimensions: DIMENSIONS }));
    const other = postgres(url, { max: 2, onnotice: () => {} });
    try {
      const writer = await other.reserve();
      await writer`BEGIN`;
      const contested = testRecord({ index: 5, dimensions: DIMENSIONS, overrides: { text: 'other writer' } });
      await writer`INSERT INTO embeddings_raced (chunk_id, document_id, collection_name, text, embedding, strategy, content_type)
                   VALUES (${contested.chunk_id}, 'doc-0', 'items', 'other writer', ${`[${contested.embedding.join(',')}]`}::vector, 'flat', 'object')`;
      // The library's check does not see the uncommitted row; its COPY waits on the unique index.
      log.length = 0;
      const write = store.insertEmbeddings(records(0, ROWS, 'ours'));
      let waited = false;
      for (let attempt = 0; attempt < 400 && !waited; attempt++) {
        // On Citus the COPY into the shard waits on a worker: citus_lock_waits lists the cluster's waits.
        const [waiting] = isCitus(db)
          ? await other<{ count: number }[]>`SELECT count(*)::int AS count FROM citus_lock_waits`
          : await other<{ count: number }[]>`
          SELECT count(*)::int AS count FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'COPY%'`;
        waited = (waiting?.count ?? 0) > 0;
        if (!waited) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(waited).toBe(true);
      await writer`COMMIT`;
      writer.release();
      expect(await write).toMatchObject({ inserted: ROWS - 1, updated: 1 });
      // The COPY was refused and undone, and the merge wrote the batch.
      expect(log.filter((query) => /^ROLLBACK TO SAVEPOINT/i.test(query.trim()))).toHaveLength(1);
      expect(loadTables()).toBe(1);
      const row = await queryRow<{ text: string }>(
        db.orm,
        sql`SELECT text FROM embeddings_raced WHERE chunk_id = ${contested.chunk_id}`,
      );
      expect(row?.text).toBe('ours 5');
      expect(await texts(db, 'raced')).toHaveLength(ROWS + 1);
    } finally {
      await other.end();
    }
  });
});
