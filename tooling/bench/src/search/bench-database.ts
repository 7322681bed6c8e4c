// The benchmark's Database handle: the same drizzle-orm + postgres.js stack connect() builds, with
// a pool size of the benchmark's choosing and a query recorder, so the report can show (and time)
// the statements one VectorStore call sends.
//
// On PGlite served by pglite-socket the pool must be ONE connection: pglite-socket feeds every
// connection's protocol messages into PGlite's single backend one message at a time, so two
// connections querying at once interleave their Parse/Bind/Execute and fail ("portal does not
// exist"), after which its queue stops for good (electric-sql/pglite#1046). With one connection,
// concurrent callers queue in postgres.js instead, as they would on the single backend anyway.
import { connect, type Database, redactUrl } from '@dynamic-embeddings/db';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

export interface RecordedStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export interface QueryRecorder {
  /** Runs `action` and returns the statements it sent (through Drizzle or the search driver). */
  record<T>(
    action: () => Promise<T>,
  ): Promise<{ readonly result: T; readonly statements: RecordedStatement[] }>;
}

/** Applies the registry migrations with connect(), then reopens the database with `poolSize` connections. */
export async function openBenchDatabase(options: {
  readonly url: string;
  readonly poolSize: number;
}): Promise<{ readonly db: Database; readonly recorder: QueryRecorder }> {
  const { url, poolSize } = options;
  // connect() holds one connection for its migration lock and migrates on another, so it needs two.
  const migrated = await connect(url, { poolSize: 2 });
  const { versions, isPGliteServer, indexBuildMemoryMB } = migrated;
  await migrated.close();
  const client = postgres(url, { max: poolSize, onnotice: () => {} });
  let recording: RecordedStatement[] | undefined;
  const orm = drizzle({
    client,
    logger: {
      logQuery(query, params) {
        recording?.push({ sql: query, params });
      },
    },
  });
  let closed = false;
  const db: Database = {
    driver: 'postgres',
    isPGliteServer,
    versions,
    indexBuildMemoryMB,
    // Searches send their statements through the driver, not drizzle: they report them here.
    onQuery(query, params) {
      recording?.push({ sql: query, params });
    },
    displayUrl: redactUrl(url),
    orm: orm as unknown as Database['orm'],
    pglite: undefined,
    postgres: client,
    async close() {
      if (closed) return;
      closed = true;
      await client.end({ timeout: 5 });
    },
  };
  return {
    db,
    recorder: {
      async record(action) {
        const statements: RecordedStatement[] = [];
        recording = statements;
        try {
          return { result: await action(), statements };
        } finally {
          recording = undefined;
        }
      },
    },
  };
}
