import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from './start-test-database.js';

describe('startTestDatabase', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('serves PostgreSQL with pgvector to a postgres.js pool of several connections', async () => {
    const client = postgres(database.url, { max: 4, onnotice: () => {} });
    try {
      await client`CREATE EXTENSION IF NOT EXISTS vector`;
      const results = await Promise.all(
        [1, 2, 3, 4].map(
          (n) => client`SELECT ${n}::int AS n, '[1,0]'::vector <=> '[0,1]'::vector AS distance`,
        ),
      );
      expect(results.map((rows) => rows[0]?.n)).toEqual([1, 2, 3, 4]);
      expect(results[0]?.[0]?.distance).toBeCloseTo(1);
    } finally {
      await client.end();
    }
  });
});
