// What a search sends through the driver: over the wire, one round trip per search once its
// statements are prepared (the settings travel with the query), and filter values that arrive
// intact whatever characters they hold.
import net from 'node:net';
import { databaseTargets, wireTarget } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import type { Database } from './database.js';
import { ident } from './identifiers.js';
import { openNamespace } from './namespace-handle.js';
import { MAX_PREPARED_STATEMENTS } from './search-driver.js';
import { connectTarget, seedIndexedNamespace, testVector } from './testing/records.js';

const DIMENSIONS = 8;
const identity = { dimensions: DIMENSIONS, provider: 'test', model: 'search-driver' } as const;

/**
 * A TCP proxy in front of the database that counts round trips: each time the client sends after
 * the server has answered (or first), per connection. Pipelined statements are one round trip.
 */
async function roundTripProxy(upstream: URL) {
  let roundTrips = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const database = net.connect(Number(upstream.port || 5432), upstream.hostname);
    let answered = true;
    for (const socket of [client, database]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        database.destroy();
      });
    }
    client.on('data', (data) => {
      if (answered) roundTrips += 1;
      answered = false;
      database.write(data);
    });
    database.on('data', (data) => {
      answered = true;
      client.write(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(upstream);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    /** Round trips since the last call. */
    take(): number {
      const taken = roundTrips;
      roundTrips = 0;
      return taken;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a search over the wire is one round trip', () => {
  let stop: () => Promise<void>;
  let proxy: Awaited<ReturnType<typeof roundTripProxy>>;
  let db: Database;

  beforeAll(async () => {
    const server = await wireTarget.start();
    proxy = await roundTripProxy(new URL(server.url));
    db = await connect(proxy.url, { poolSize: 2 });
    stop = async () => {
      await db.close();
      await proxy.close();
      await server.close();
    };
    await seedIndexedNamespace(db, {
      namespace: 'trips',
      identity,
      count: 200,
      metadata: (index) => ({ group: index % 2 === 0 ? 'even' : 'odd', rare: index % 50 === 0 }),
    });
    // Statistics, as autovacuum gathers them: the planner's estimate then sees half the rows match.
    await db.orm.execute(sql`ANALYZE ${ident('embeddings_trips')}`);
  });
  afterAll(async () => {
    await stop?.();
  });

  /** Round trips of the last of four searches (the first ones look the index up and prepare). */
  async function tripsOfRepeatedSearch(search: (seed: number) => Promise<unknown>) {
    for (const seed of [1, 2, 3]) await search(seed);
    proxy.take();
    await search(4);
    return proxy.take();
  }

  it('a filtered search through the index: BEGIN, settings, query and COMMIT sent at once', async () => {
    const handle = await openNamespace(db, 'trips');
    const plans: string[] = [];
    const trips = await tripsOfRepeatedSearch(async (seed) => {
      const { plan, results } = await handle.searchWithPlan({
        vector: testVector(seed, DIMENSIONS),
        limit: 5,
        filters: { metadata: { $contains: { group: 'even' } } },
        exactCutoff: 1,
      });
      expect(results).toHaveLength(5);
      plans.push(`${plan.strategy} ${Object.keys(plan.settings).length > 1}`);
    });
    expect(plans).toEqual(Array(4).fill('index true'));
    expect(trips).toBe(1);
  });

  it('a selective filter counted before: the exact query alone', async () => {
    const handle = await openNamespace(db, 'trips');
    const plans: string[] = [];
    const trips = await tripsOfRepeatedSearch(async (seed) => {
      const { plan } = await handle.searchWithPlan({
        vector: testVector(seed, DIMENSIONS),
        limit: 3,
        filters: { metadata: { $contains: { rare: true } } },
      });
      plans.push(`${plan.strategy} ${plan.matching_rows}`);
    });
    expect(plans).toEqual(Array(4).fill('exact 4'));
    expect(trips).toBe(1);
  });
});

/** A pool of two connections to a fresh wire-protocol target, with `namespace` seeded and indexed. */
async function openSeededWire(
  options: Omit<Parameters<typeof seedIndexedNamespace>[1], 'identity' | 'count'>,
): Promise<{ readonly db: Database; close(): Promise<void> }> {
  const server = await wireTarget.start();
  // Two connections, so each runs a statement more than the five custom plans PostgreSQL tries first.
  const db = await connect(server.url, { poolSize: 2 });
  await seedIndexedNamespace(db, { ...options, identity, count: 50 });
  return {
    db,
    async close() {
      await db.close();
      await server.close();
    },
  };
}

/** The search statements prepared on each of the pool's two connections (per session). */
async function preparedSearches<Row>(db: Database, columns: string): Promise<Row[][]> {
  const client = db.postgres as NonNullable<Database['postgres']>;
  const rows: Row[][] = [];
  for (const _ of [1, 2]) {
    // Released before the next: the pool hands out its connections in turn.
    const connection = await client.reserve();
    rows.push(
      await connection.unsafe<Row[]>(
        `SELECT ${columns} FROM pg_prepared_statements WHERE statement LIKE '%<=>%'`,
      ),
    );
    connection.release();
  }
  return rows;
}

describe('search statements over the wire are planned once', () => {
  let close: () => Promise<void>;
  let db: Database;

  beforeAll(async () => {
    ({ db, close } = await openSeededWire({ namespace: 'planned' }));
  });
  afterAll(async () => {
    await close?.();
  });

  it('writes the limit into the ANN statement, so PostgreSQL reuses a generic plan (as for a hand-written LIMIT 10)', async () => {
    const handle = await openNamespace(db, 'planned');
    for (const limit of [3, 5]) {
      for (let seed = 0; seed < 16; seed += 1) {
        const { results } = await handle.searchWithPlan({ vector: testVector(seed, DIMENSIONS), limit });
        expect(results).toHaveLength(limit);
      }
    }
    // pg_prepared_statements is per session (on pglite-socket, one backend serves every connection).
    type Plans = { statement: string; generic_plans: string; custom_plans: string };
    const plans = (
      await preparedSearches<Plans>(db, 'statement, generic_plans::text, custom_plans::text')
    ).flat();
    for (const limit of [3, 5]) {
      const ann = plans.filter((plan) => plan.statement.endsWith(` limit ${limit}`));
      expect(ann.length).toBeGreaterThan(0);
      // With `LIMIT $n` every execution was custom-planned (generic_plans stayed 0).
      expect(Math.max(...ann.map((plan) => Number(plan.generic_plans)))).toBeGreaterThan(0);
    }
  });
});

describe.each(databaseTargets)('filter values reach the database intact on $name', (target) => {
  let close: () => Promise<void>;
  let db: Database;
  const awkward = {
    note: `O'Brien said "hi" \\ back — ünïcødé 🎉 中文 \u0001`,
    nested: { list: [1, 'two', null, { deep: '"}' }] },
  };

  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
    await seedIndexedNamespace(db, {
      namespace: 'awkward',
      identity,
      count: 60,
      metadata: (index) => (index % 3 === 0 ? awkward : { note: 'plain' }),
    });
  });
  afterAll(async () => {
    await close?.();
  });

  it.each([
    ['exact', { exact: true }],
    ['counted', {}],
    ['through the index', { exactCutoff: 0 }],
  ])(
    'a metadata filter with quotes, backslashes and non-ASCII text matches its rows (%s)',
    async (_, extra) => {
      const handle = await openNamespace(db, 'awkward');
      const { results } = await handle.searchWithPlan({
        vector: testVector(7, DIMENSIONS),
        limit: 30,
        filters: { metadata: { $contains: { note: awkward.note, nested: { list: [{ deep: '"}' }] } } } },
        ...extra,
      });
      const matching = Array.from({ length: 20 }, (_, index) => `chunk-${index * 3}`);
      expect(results.map(([record]) => record.chunk_id).sort()).toEqual([...matching].sort());
      for (const [record] of results) expect(record.metadata).toEqual(awkward);
    },
  );
});

describe('search statements over the wire stay within the prepared-statement cap', () => {
  let close: () => Promise<void>;
  let db: Database;

  beforeAll(async () => {
    ({ db, close } = await openSeededWire({
      namespace: 'capped',
      metadata: (index) => ({ half: index % 2 === 0 }),
    }));
  });
  afterAll(async () => {
    await close?.();
  });

  it('prepares at most MAX_PREPARED_STATEMENTS per connection, and searches past the cap still answer', async () => {
    const handle = await openNamespace(db, 'capped');
    // Twice the cap of distinct limits: more than the cap on a connection whichever way the pool
    // spreads them, were every text prepared.
    for (let limit = 1; limit <= 2 * MAX_PREPARED_STATEMENTS + 20; limit += 1) {
      const { results } = await handle.searchWithPlan({ vector: testVector(limit, DIMENSIONS), limit });
      expect(results).toHaveLength(Math.min(limit, 50));
    }
    // Through the index with settings: BEGIN, set_config, the query and COMMIT pipelined, unprepared.
    for (let limit = 1; limit <= 30; limit += 1) {
      const { results, plan } = await handle.searchWithPlan({
        vector: testVector(limit, DIMENSIONS),
        limit,
        filters: { metadata: { $contains: { half: true } } },
        exactCutoff: 0,
      });
      expect(plan.strategy).toBe('index');
      expect(results.map(([record]) => record.metadata)).toEqual(
        Array(Math.min(limit, 25)).fill({ half: true }),
      );
    }
    const counts = (await preparedSearches<{ statement: string }>(db, 'statement')).map(
      (statements) => statements.length,
    );
    for (const count of counts) expect(count).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    // The cap's statements are spread over the two connections: one holds at least half of them
    // (exactly half each when the pool alternates, as on PostgreSQL).
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(MAX_PREPARED_STATEMENTS / 2);
  });
});

describe('a search sends its query vector once', () => {
  const sent: { text: string; params: readonly unknown[] }[] = [];
  let db: Database;

  beforeAll(async () => {
    db = await connect('memory://', { onQuery: (text, params) => sent.push({ text, params }) });
    await seedIndexedNamespace(db, {
      namespace: 'once',
      identity,
      count: 50,
      metadata: () => ({ all: true }),
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each([
    ['through the index (distance in the result and the order)', {}],
    [
      'through the index with a filter and settings',
      { filters: { metadata: { $contains: { all: true } } }, exactCutoff: 0 },
    ],
    ['exactly', { exact: true }],
    ['with a threshold', { exact: true, threshold: -1 }],
  ])('%s', async (_, extra) => {
    const handle = await openNamespace(db, 'once');
    sent.length = 0;
    const { results } = await handle.searchWithPlan({
      vector: testVector(3, DIMENSIONS),
      limit: 5,
      ...extra,
    });
    expect(results).toHaveLength(5);
    const searches = sent.filter((statement) => statement.text.includes('<=>'));
    expect(searches.length).toBeGreaterThan(0);
    for (const { text, params } of searches) {
      // Text, or on PGlite in process pgvector's binary form (binary-vector.ts).
      const vectors = params.filter(
        (param) => (typeof param === 'string' && param.startsWith('[')) || param instanceof Uint8Array,
      );
      expect(vectors).toHaveLength(1);
      const position = params.indexOf(vectors[0]) + 1;
      // Every distance in the statement compares with that one parameter.
      expect(text.split('<=>').length - 1).toBe(text.split(`<=> $${position}::`).length - 1);
    }
  });
});
