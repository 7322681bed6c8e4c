// Citus only: placement across workers, search settings reaching the workers, moves and the
// rebalancer. Runs when CITUS_DATABASE_URL names a coordinator (tooling/scripts/citus-cluster.sh).
import { citusSkipReason, citusTarget, djeErrorOf } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributeNamespace } from './citus-distribute.js';
import { moveNamespace, rebalanceCluster } from './citus-moves.js';
import { clusterWorkers, shardPlacements } from './citus-placement.js';
import { connect } from './connect.js';
import { type Database, queryRow, queryRows } from './database.js';
import { applySettings } from './local-settings.js';
import { openNamespace } from './namespace-handle.js';
import { getNamespaceStats, listNamespaces } from './namespace-listing.js';
import { connectTarget, testRecord, testVector } from './testing/records.js';
import { createVectorStore } from './vector-store.js';

const DIMENSIONS = 8;
const identity = { dimensions: DIMENSIONS, provider: 'test', model: 'citus-model' } as const;
const skipped = citusSkipReason();

it('refuses moves and rebalancing on a single server with CITUS_REQUIRED', async () => {
  const db = await connect('memory://');
  try {
    expect(db.versions.citus).toBeUndefined();
    expect(await djeErrorOf(moveNamespace(db, { namespace: 'any', to: 'h:1' }))).toMatchObject({
      code: 'CITUS_REQUIRED',
    });
    expect(await djeErrorOf(rebalanceCluster(db))).toMatchObject({
      code: 'CITUS_REQUIRED',
    });
  } finally {
    await db.close();
  }
});

describe.skipIf(skipped !== undefined)(
  `on a Citus coordinator${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let db: Database;
    let close: () => Promise<void>;
    let workers: string[];

    beforeAll(async () => {
      ({ db, close } = await connectTarget(citusTarget));
      workers = await clusterWorkers(db.orm);
    }, 120_000);
    afterAll(async () => {
      await close();
    });

    /** The nodes holding each namespace's shards, by namespace. */
    async function nodesOf(namespaces: readonly string[]): Promise<Map<string, string[]>> {
      const placements = await shardPlacements(
        db.orm,
        namespaces.map((namespace) => `embeddings_${namespace}`),
      );
      return new Map(
        namespaces.map((namespace) => [
          namespace,
          (placements.get(`embeddings_${namespace}`) ?? []).map((shard) => shard.node),
        ]),
      );
    }

    async function fill(namespace: string, rows: number, indexThreshold = 10_000): Promise<void> {
      const store = createVectorStore(db, { namespace, embedding: identity });
      await store.createNamespace({ namespace, ...identity, indexThreshold });
      await store.insertEmbeddings(
        Array.from({ length: rows }, (_, index) => testRecord({ index, dimensions: DIMENSIONS })),
      );
    }

    it('is recognised by connect(), with at least two workers', () => {
      expect(db.versions.citus).toMatch(/^\d+\.\d+/);
      expect(workers.length).toBeGreaterThanOrEqual(2);
    });

    it('places each new namespace as one shard of its own, spread over the workers', async () => {
      const names = ['spread_a', 'spread_b', 'spread_c', 'spread_d'];
      for (const name of names) await fill(name, 3);
      const nodes = await nodesOf(names);
      for (const name of names) expect(nodes.get(name)).toHaveLength(1);
      // Each its own colocation group: Citus puts each on the worker with the fewest shards.
      expect(new Set(names.flatMap((name) => nodes.get(name) ?? [])).size).toBe(workers.length);
      const groups = await queryRows<{ colocationid: number }>(
        db.orm,
        sql`SELECT DISTINCT colocationid FROM pg_dist_partition
          WHERE logicalrelid::text = ANY(${sql.param(names.map((name) => `embeddings_${name}`))}::text[])`,
      );
      expect(groups).toHaveLength(names.length);
      const listed = (await listNamespaces(db)).filter((info) => names.includes(info.namespace));
      expect(listed.map((info) => info.nodes)).toEqual(names.map((name) => nodes.get(name)));
    });

    it('sends the search settings to the workers: a tiny ef_search caps what the shard returns', async () => {
      await fill('settings', 300, 0);
      const nearest = sql`SELECT chunk_id FROM embeddings_settings
                        ORDER BY embedding <=> ${`[${testVector(9_999, DIMENSIONS).join(',')}]`}::vector LIMIT 50`;
      const found = (citus: boolean) =>
        db.orm.transaction(async (tx) => {
          // enable_seqscan off on the worker too, so the shard is read through its HNSW index.
          await applySettings(tx, {
            settings: { 'hnsw.ef_search': '5', 'hnsw.iterative_scan': 'off' },
            citus,
          });
          await tx.execute(sql`SET LOCAL citus.propagate_set_commands = 'local'`);
          await tx.execute(sql`SET LOCAL enable_seqscan = off`);
          return (await queryRows<{ chunk_id: string }>(tx, nearest)).length;
        });
      // An HNSW scan returns at most ef_search rows: 5 arrived on the worker.
      expect(await found(true)).toBeLessThanOrEqual(5);
      // set_config(…, true) changes the coordinator only: the worker scanned with its default (40).
      expect(await found(false)).toBeGreaterThan(5);
    });

    it('moves a namespace to another worker, keeping every row and its index', async () => {
      await fill('moved', 120, 0);
      const before = (await nodesOf(['moved'])).get('moved') ?? [];
      const to = workers.find((worker) => !before.includes(worker)) as string;
      const query = testVector(4_242, DIMENSIONS);
      const handle = await openNamespace(db, 'moved');
      const ranked = (await handle.search({ vector: query, limit: 10, exact: true })).map(
        ([record]) => record.chunk_id,
      );
      expect(await moveNamespace(db, { namespace: 'moved', to })).toEqual({
        namespace: 'moved',
        from: before,
        to,
        moved_shards: 1,
      });
      expect((await nodesOf(['moved'])).get('moved')).toEqual([to]);
      expect(await getNamespaceStats(db, 'moved')).toMatchObject({
        embedding_count: 120,
        vector_index_exists: true,
        nodes: [to],
      });
      // The shard's own HNSW index came along to the new worker.
      const shardIndexes = await queryRow<{ result: string }>(
        db.orm,
        sql`SELECT result FROM run_command_on_shards('embeddings_moved',
            $$SELECT count(*) FROM pg_indexes WHERE tablename = '%s' AND indexdef LIKE '%%USING hnsw%%'$$)`,
      );
      expect(shardIndexes?.result).toBe('1');
      const after = await openNamespace(db, 'moved');
      expect(
        (await after.search({ vector: query, limit: 10, exact: true })).map(([record]) => record.chunk_id),
      ).toEqual(ranked);
      expect(await moveNamespace(db, { namespace: 'moved', to })).toMatchObject({ moved_shards: 0 });
    });

    it('refuses a move to a node that is not a worker, or not host:port, moving nothing', async () => {
      await fill('stays', 2);
      const before = await nodesOf(['stays']);
      expect(await djeErrorOf(moveNamespace(db, { namespace: 'stays', to: '127.0.0.1:1' }))).toMatchObject({
        code: 'NODE_NOT_FOUND',
      });
      expect(await djeErrorOf(moveNamespace(db, { namespace: 'stays', to: 'no port' }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      expect(
        await djeErrorOf(moveNamespace(db, { namespace: 'missing', to: workers[0] as string })),
      ).toMatchObject({ code: 'NAMESPACE_NOT_FOUND' });
      expect(await nodesOf(['stays'])).toEqual(before);
    });

    it('distributes a namespace over shards: same top-k as exact search, upserts and replaces intact', async () => {
      await fill('large', 400, 0);
      expect(await distributeNamespace(db, { namespace: 'large', shards: 4 })).toEqual({
        namespace: 'large',
        shard_count: 4,
        nodes: [...workers].sort(),
      });
      const store = createVectorStore(db, { namespace: 'large', embedding: identity });
      expect(await store.getNamespaceStats()).toMatchObject({
        embedding_count: 400,
        vector_index_exists: true,
      });
      // Every shard has its own HNSW index.
      const indexed = await queryRows<{ result: string }>(
        db.orm,
        sql`SELECT result FROM run_command_on_shards('embeddings_large',
              $$SELECT count(*) FROM pg_indexes WHERE tablename = '%s' AND indexdef LIKE '%%USING hnsw%%'$$)`,
      );
      expect(indexed.map((row) => row.result)).toEqual(['1', '1', '1', '1']);
      const handle = await openNamespace(db, 'large');
      for (const seed of [1, 2, 3]) {
        const vector = testVector(77_000 + seed, DIMENSIONS);
        const exact = await handle.search({ vector, limit: 10, exact: true });
        const { results, plan } = await handle.searchWithPlan({ vector, limit: 10 });
        expect(plan.strategy).toBe('index');
        expect(results.map(([record]) => record.chunk_id)).toEqual(exact.map(([record]) => record.chunk_id));
      }
      // Upserts keep chunk_id unique across shards; a replace spanning shards is atomic.
      const again = testRecord({ index: 5, dimensions: DIMENSIONS, overrides: { text: 'updated' } });
      expect(await store.insertEmbeddings([again])).toMatchObject({ inserted: 0, updated: 1 });
      const replaced = Array.from({ length: 3 }, (_, index) =>
        testRecord({ index: 1_000 + index, dimensions: DIMENSIONS, documentId: 'doc-0' }),
      );
      await store.replaceDocument({ documentId: 'doc-0', collectionName: 'items', records: replaced });
      expect((await store.getByDocumentId('doc-0')).map((row) => row.chunk_id).sort()).toEqual(
        replaced.map((record) => record.chunk_id).sort(),
      );
    });

    // Each shard move copies through logical replication: seconds each on a busy machine.
    it('rebalances namespaces gathered on one worker over all workers', async () => {
      for (const name of ['gathered_a', 'gathered_b']) await fill(name, 2);
      // Every namespace of this database (other tests' too) onto the first worker.
      const names = (await listNamespaces(db)).map((info) => info.namespace);
      const first = workers[0] as string;
      for (const name of names) await moveNamespace(db, { namespace: name, to: first });
      expect(new Set([...(await nodesOf(names)).values()].flat())).toEqual(new Set([first]));
      const result = await rebalanceCluster(db);
      expect(result.moves).toBeGreaterThan(0);
      const nodes = await nodesOf(names);
      expect(new Set(names.flatMap((name) => nodes.get(name) ?? [])).size).toBe(workers.length);
      // The rebalancer moved exactly the tables it reported, each off the first worker.
      const moved = names.filter((name) => nodes.get(name)?.[0] !== first);
      expect(moved.map((name) => `embeddings_${name}`).sort()).toEqual(result.tables);
      expect(await rebalanceCluster(db)).toEqual({ moves: 0, tables: [] });
      for (const name of names) expect((await getNamespaceStats(db, name)).exists).toBe(true);
    }, 300_000);
  },
);
