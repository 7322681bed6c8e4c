// Counts what one write batch and one search send, through the connection's query log.

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import type { Database } from './database.js';
import { ident } from './identifiers.js';
import { openNamespace } from './namespace-handle.js';
import { seedIndexedNamespace, testRecord, testVector } from './testing/records.js';
import { createVectorStore } from './vector-store.js';

const DIMENSIONS = 8;
const identity = { dimensions: DIMENSIONS, provider: 'test', model: 'query-log' } as const;

describe('the registry is read once per batch and once per search', () => {
  const log: string[] = [];
  let db: Database;
  const registryReads = () => log.filter((query) => query.includes('dje_namespaces')).length;

  beforeAll(async () => {
    db = await connect('memory://', { onQuery: (query) => log.push(query) });
    await createVectorStore(db, { namespace: 'logged', embedding: identity }).insertEmbedding(
      testRecord({ index: 0, dimensions: DIMENSIONS }),
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('logs every statement sent through the connection', async () => {
    log.length = 0;
    await openNamespace(db, 'logged');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('dje_namespaces');
  });

  it('reads the registry once for a store write batch and once for a store search', async () => {
    const store = createVectorStore(db, { namespace: 'logged', embedding: identity });
    log.length = 0;
    const records = Array.from({ length: 50 }, (_, index) =>
      testRecord({ index: index + 1, dimensions: DIMENSIONS }),
    );
    expect(await store.insertEmbeddings(records)).toMatchObject({ inserted: 50 });
    expect(registryReads()).toBe(1);
    log.length = 0;
    const results = await store.similaritySearch({ vector: testVector(3, DIMENSIONS), limit: 5 });
    expect(results).toHaveLength(5);
    expect(registryReads()).toBe(1);
  });

  it('a held handle never reads the registry again, for writes, replaces or searches', async () => {
    const handle = await openNamespace(db, 'logged', { embedding: identity });
    log.length = 0;
    await handle.insert([testRecord({ index: 90, dimensions: DIMENSIONS })]);
    await handle.replaceDocument({
      documentId: 'doc-0',
      collectionName: 'items',
      records: [testRecord({ index: 91, dimensions: DIMENSIONS, documentId: 'doc-0' })],
    });
    await handle.search({ vector: testVector(4, DIMENSIONS), limit: 3 });
    expect(log.length).toBeGreaterThan(3);
    expect(registryReads()).toBe(0);
  });

  it('plans a broad filter from the estimate, then sends the settings and the query together', async () => {
    await seedIndexedNamespace(db, {
      namespace: 'indexed',
      identity,
      count: 40,
      metadata: (index) => ({ group: index % 2 === 0 ? 'even' : 'odd' }),
    });
    // Statistics, as autovacuum gathers them on a real table; without any the estimate is tiny.
    await db.orm.execute(sql`ANALYZE ${ident('embeddings_indexed')}`);
    const handle = await openNamespace(db, 'indexed');
    const search = () =>
      handle.searchWithPlan({
        vector: testVector(5, DIMENSIONS),
        limit: 3,
        filters: { metadata: { $contains: { group: 'even' } } },
        exactCutoff: 1,
      });
    log.length = 0;
    await search(); // the handle looks its index up, and the filter's estimate, once
    expect(log.filter((statement) => statement.startsWith('EXPLAIN'))).toHaveLength(1);
    log.length = 0;
    const { plan } = await search();
    // Half the rows match, far above the cutoff by the planner's estimate: nothing is counted.
    expect(plan).toMatchObject({
      strategy: 'index',
      reason: 'many_matching_rows',
      matching_rows_counted: 'estimated',
    });
    expect(plan.matching_rows).toBeGreaterThan(2);
    // set_config is issued first and the query right after it, without waiting in between: both
    // take the same path through drizzle to the driver, so they reach the connection in this order.
    expect(log).toHaveLength(2);
    expect(log.some((statement) => statement.includes('count(*)'))).toBe(false);
    expect(log[0]).toContain('set_config');
    expect(log[1]).toContain('<=>');
    expect(log[1]).not.toContain('set_config');
  });

  it('counts a selective filter once, then sends only the exact query while the count is fresh, from any handle', async () => {
    const store = await seedIndexedNamespace(db, {
      namespace: 'counted',
      identity,
      count: 60,
      metadata: (index) => ({ group: index % 10 === 0 ? 'tenth' : 'rest' }),
    });
    const handle = await openNamespace(db, 'counted');
    const search = (seed: number, group = 'tenth', on = handle) =>
      on.searchWithPlan({
        vector: testVector(seed, DIMENSIONS),
        limit: 4,
        filters: { metadata: { $contains: { group } } },
        exactCutoff: 10,
      });
    const exactIds = (seed: number) =>
      store
        .similaritySearch({
          vector: testVector(seed, DIMENSIONS),
          limit: 4,
          exact: true,
          filters: { metadata: { $contains: { group: 'tenth' } } },
          namespace: 'counted',
        })
        .then((results) => results.map(([row]) => row.chunk_id));
    const first = await search(21);
    expect(first.plan).toMatchObject({ strategy: 'exact', matching_rows: 6, matching_rows_counted: 'exact' });
    // Another handle on the same connection (the CLI, HTTP and VectorStore open one per search).
    const other = await openNamespace(db, 'counted');
    log.length = 0;
    const again = await search(22, 'tenth', other);
    // No EXPLAIN, no count: besides the new handle's index lookup, one statement, the exact query
    // (distances in an OFFSET subquery).
    const searches = log.filter((statement) => statement.includes('<=>'));
    expect(searches).toHaveLength(1);
    expect(searches[0]).toContain('offset 0');
    expect(log.some((statement) => statement.startsWith('EXPLAIN') || statement.includes('count('))).toBe(
      false,
    );
    expect(log.length).toBeLessThanOrEqual(2);
    expect(again.plan).toMatchObject({ strategy: 'exact', matching_rows: 6, matching_rows_counted: 'exact' });
    expect(again.results.map(([row]) => row.chunk_id)).toEqual(await exactIds(22));
    // Another filter value is counted on its own; one counted beyond the cutoff is remembered as
    // many (never as few): while that is fresh, its searches go to the index without a count (a
    // count up to the cutoff reads as many rows as an exact search).
    const counting = () => log.some((statement) => statement.includes('count('));
    const beyond = { strategy: 'index', matching_rows: 11, matching_rows_counted: 'at_least' };
    log.length = 0;
    const rest = await search(23, 'rest');
    expect(rest.plan).toMatchObject(beyond);
    expect(counting()).toBe(true);
    log.length = 0;
    const restAgain = await search(24, 'rest');
    expect(restAgain.plan).toMatchObject(beyond);
    expect(counting()).toBe(false);
    expect(restAgain.results).toHaveLength(4);
  });
});

describe('a handle whose namespace changed behind it', () => {
  let db: Database;
  beforeAll(async () => {
    db = await connect('memory://');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('refuses writes to a namespace dropped and created again, and reports a dropped one as gone', async () => {
    const store = createVectorStore(db, { namespace: 'moved', embedding: identity });
    await store.insertEmbedding(testRecord({ index: 0, dimensions: DIMENSIONS }));
    const handle = await openNamespace(db, 'moved');
    await store.dropNamespace('moved', { confirm: true });
    await store.insertEmbedding(testRecord({ index: 1, dimensions: DIMENSIONS }));
    await expect(handle.insert([testRecord({ index: 2, dimensions: DIMENSIONS })])).rejects.toMatchObject({
      code: 'NAMESPACE_CHANGED',
    });
    // Nothing reached the new namespace through the stale handle.
    expect((await store.getByDocumentId('doc-0')).map((row) => row.chunk_id)).toEqual(['chunk-1']);

    const current = await openNamespace(db, 'moved');
    await store.dropNamespace('moved', { confirm: true });
    await expect(current.insert([testRecord({ index: 3, dimensions: DIMENSIONS })])).rejects.toMatchObject({
      code: 'NAMESPACE_NOT_FOUND',
    });
    await expect(current.search({ vector: testVector(1, DIMENSIONS) })).rejects.toMatchObject({
      code: 'NAMESPACE_NOT_FOUND',
    });
  });
});
