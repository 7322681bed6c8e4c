// The planner's estimate of a filter's matching rows, and its reuse on a handle.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import type { Database } from './database.js';
import { cachedEstimate, type EstimateCache } from './filter-estimate.js';
import { ident } from './identifiers.js';
import { tableByName } from './namespace-table.js';
import { testRecord } from './testing/records.js';
import { createVectorStore } from './vector-store.js';

const DIMENSIONS = 4;
const identity = { dimensions: DIMENSIONS, provider: 'test', model: 'estimate' } as const;

describe('cachedEstimate', () => {
  const log: string[] = [];
  let db: Database;
  const table = tableByName('embeddings_estimated', { dimensions: DIMENSIONS });
  const filterOf = (group: string) => sql`${table.metadata} @> ${JSON.stringify({ group })}::jsonb`;

  beforeAll(async () => {
    db = await connect('memory://', { onQuery: (query) => log.push(query) });
    const store = createVectorStore(db, { namespace: 'estimated', embedding: identity });
    const records = Array.from({ length: 400 }, (_, index) =>
      testRecord({
        index,
        dimensions: DIMENSIONS,
        overrides: { metadata: { group: index % 4 === 0 ? 'quarter' : 'rest' } },
      }),
    );
    await store.insertEmbeddings(records);
    await db.orm.execute(sql`ANALYZE ${ident('embeddings_estimated')}`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('estimates the matching rows and the table from statistics', async () => {
    const estimate = await cachedEstimate({
      runner: db.orm,
      table,
      where: filterOf('quarter'),
      cache: undefined,
    });
    expect(estimate?.total).toBe(400);
    expect(estimate?.matching).toBeGreaterThan(50);
    expect(estimate?.matching).toBeLessThan(200);
  });

  it('plans once per filter while the estimate is fresh, and again after a minute', async () => {
    const cache: { estimates?: EstimateCache } = {};
    const explains = () => log.filter((query) => query.startsWith('EXPLAIN')).length;
    log.length = 0;
    const first = await cachedEstimate({ runner: db.orm, table, where: filterOf('quarter'), cache, now: 0 });
    const again = await cachedEstimate({
      runner: db.orm,
      table,
      where: filterOf('quarter'),
      cache,
      now: 59_000,
    });
    expect(again).toEqual(first);
    expect(explains()).toBe(1);
    // Another value of the same filter is another estimate.
    const other = await cachedEstimate({
      runner: db.orm,
      table,
      where: filterOf('rest'),
      cache,
      now: 59_000,
    });
    expect(other?.matching).toBeGreaterThan(first?.matching ?? Number.POSITIVE_INFINITY);
    expect(explains()).toBe(2);
    await cachedEstimate({ runner: db.orm, table, where: filterOf('quarter'), cache, now: 61_000 });
    expect(explains()).toBe(3);
  });
});
