import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createError, DjeError, databaseUnavailable, wholeNumberOption } from '@dynamic-embeddings/core';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { type Logger, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.js';
import { type Database, queryRow } from './database.js';
import { DEFAULT_INDEX_BUILD_MEMORY_MB } from './vector-index.js';

export const DEFAULT_DATA_DIR = './.dje/pgdata';
const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
/** Serialises registry migrations when several processes connect at once. */
const MIGRATION_LOCK_KEY = 7_346_251_901;

export interface ConnectOptions {
  /** postgres.js pool size (default 10). */
  readonly poolSize?: number;
  /**
   * Ceiling in MB for `maintenance_work_mem` during HNSW builds, raised only as far as the graph
   * needs and only for the build's transaction (default 1024 on PostgreSQL, 512 on PGlite; 0 keeps
   * the server's setting).
   */
  readonly indexBuildMemoryMB?: number;
  /**
   * Called with the SQL text and parameters of every statement sent (binary COPY data aside; a
   * transaction's BEGIN and COMMIT are not statements of their own here): a query log for
   * debugging and for tests that count statements. On PGlite in process a search's query vector
   * is a Uint8Array: pgvector's binary form, as it is sent.
   */
  readonly onQuery?: (query: string, params: readonly unknown[]) => void;
}

/** Drizzle's logger hook for `onQuery`, or none. */
function queryLogger(options: ConnectOptions): { logger: Logger } | Record<string, never> {
  const onQuery = options.onQuery;
  return onQuery === undefined ? {} : { logger: { logQuery: (query, params) => onQuery(query, params) } };
}

type Target = { driver: 'pglite'; dataDir: string | undefined } | { driver: 'postgres'; url: string };

/** Interprets a database URL: `postgres://…`, `pglite://DIR`, `memory://`, or none (embedded default). */
export function parseDatabaseUrl(url: string | undefined): Target {
  if (url === undefined || url === '') return { driver: 'pglite', dataDir: DEFAULT_DATA_DIR };
  if (url === 'memory://' || url === 'memory:') return { driver: 'pglite', dataDir: undefined };
  if (url.startsWith('pglite://')) {
    const dataDir = url.slice('pglite://'.length);
    return { driver: 'pglite', dataDir: dataDir === '' ? DEFAULT_DATA_DIR : dataDir };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { driver: 'postgres', url };
  throw createError({
    code: 'INVALID_DATABASE_URL',
    message: `Unsupported database URL "${redactUrl(url)}": use postgres://user:password@host:5432/db, pglite://DIR for an embedded database stored in DIR, or memory:// for a throwaway in-memory one.`,
  });
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/**
 * Opens the database, creates the `vector` extension and applies the registry migrations.
 * `postgres://` uses postgres.js; `pglite://DIR`, `memory://` or no URL use in-process PGlite.
 */
export async function connect(url?: string, options: ConnectOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  // Checked before connecting, so a bad value opens nothing.
  wholeNumberOption({
    name: 'indexBuildMemoryMB',
    value: options.indexBuildMemoryMB,
    fallback: 0,
    minimum: 0,
  });
  const db =
    target.driver === 'pglite'
      ? await connectPglite(target.dataDir, options)
      : await connectPostgres(target.url, options);
  const embedded = db.driver === 'pglite' || db.isPGliteServer;
  return {
    ...db,
    onQuery: options.onQuery,
    indexBuildMemoryMB:
      options.indexBuildMemoryMB ?? DEFAULT_INDEX_BUILD_MEMORY_MB[embedded ? 'pglite' : 'postgres'],
  };
}

/** A database as each driver opens it; `connect` adds the options common to both. */
type OpenedDatabase = Omit<Database, 'indexBuildMemoryMB'>;

async function connectPglite(dataDir: string | undefined, options: ConnectOptions): Promise<OpenedDatabase> {
  const lock = dataDir === undefined ? undefined : lockDataDir(dataDir);
  let client: PGlite;
  try {
    if (dataDir !== undefined) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
    client = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), extensions: { vector } });
    await client.exec('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    lock?.release();
    if (DjeError.isInstance(error)) throw error;
    throw databaseUnavailable(
      `Could not open the embedded database${dataDir === undefined ? '' : ` at ${dataDir}`}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const orm = drizzlePglite({ client, ...queryLogger(options) }) as unknown as PgDatabase<
    PgQueryResultHKT,
    Record<string, never>
  >;
  await migratePglite(drizzlePglite({ client }), { migrationsFolder });
  const versions = await readVersions(orm);
  let closed = false;
  return {
    driver: 'pglite',
    isPGliteServer: false,
    versions,
    displayUrl: dataDir === undefined ? 'memory://' : `pglite://${dataDir}`,
    orm,
    pglite: client,
    postgres: undefined,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<OpenedDatabase> {
  const client = postgres(url, { max: options.poolSize ?? 10, onnotice: () => {}, connect_timeout: 15 });
  const orm = drizzlePostgres({ client, ...queryLogger(options) }) as unknown as PgDatabase<
    PgQueryResultHKT,
    Record<string, never>
  >;
  try {
    const reserved = await client.reserve();
    try {
      await reserved`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      await reserved`CREATE EXTENSION IF NOT EXISTS vector`;
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    } finally {
      await reserved`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
      reserved.release();
    }
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw databaseUnavailable(
      `Could not prepare the database at ${redactUrl(url)}: ${(error as Error).message}. Check the database URL, that the server is running, and that the pgvector extension is installed.`,
      { cause: error },
    );
  }
  let versions: Awaited<ReturnType<typeof readVersions>>;
  let isPGliteServer: boolean;
  try {
    versions = await readVersions(orm);
    const version = await queryRow<{ version: string }>(orm, sql`SELECT version() AS version`);
    isPGliteServer = /PGlite|emscripten/i.test(version?.version ?? '');
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw error;
  }
  if (!isPGliteServer) return postgresDatabase({ client, orm, versions, url, isPGliteServer });
  // PGlite behind pglite-socket has one backend and its multiplexer can interleave the messages of
  // concurrent connections ("portal does not exist"), so such a server gets a single connection.
  await client.end({ timeout: 5 });
  const single = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 15 });
  const singleOrm = drizzlePostgres({ client: single, ...queryLogger(options) }) as unknown as PgDatabase<
    PgQueryResultHKT,
    Record<string, never>
  >;
  return postgresDatabase({ client: single, orm: singleOrm, versions, url, isPGliteServer });
}

function postgresDatabase(parts: {
  readonly client: postgres.Sql;
  readonly orm: PgDatabase<PgQueryResultHKT, Record<string, never>>;
  readonly versions: Database['versions'];
  readonly url: string;
  readonly isPGliteServer: boolean;
}): OpenedDatabase {
  let closed = false;
  return {
    driver: 'postgres',
    isPGliteServer: parts.isPGliteServer,
    versions: parts.versions,
    displayUrl: redactUrl(parts.url),
    orm: parts.orm,
    pglite: undefined,
    postgres: parts.client,
    async close() {
      if (closed) return;
      closed = true;
      await parts.client.end({ timeout: 5 });
    },
  };
}

async function readVersions(orm: PgDatabase<PgQueryResultHKT, Record<string, never>>) {
  const row = await queryRow<{ postgres: string; pgvector: string | null; citus: string | null }>(
    orm,
    sql`SELECT current_setting('server_version') AS postgres,
               (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector,
               (SELECT extversion FROM pg_extension WHERE extname = 'citus') AS citus`,
  );
  const pgvector = row?.pgvector ?? '';
  const [major = 0, minor = 0] = pgvector.split('.').map(Number);
  if (major === 0 && minor < 7) {
    throw createError({
      code: 'UNSUPPORTED_PGVECTOR',
      message: `pgvector ${pgvector || '(not installed)'} is too old: version 0.7 or later is required.`,
    });
  }
  const versions = { postgres: row?.postgres ?? 'unknown', pgvector };
  if (row?.citus == null) return versions;
  // Only the coordinator holds the distributed tables' metadata: a worker (or a node with the
  // extension but no cluster) is used as a plain PostgreSQL server.
  const role = await queryRow<{ coordinator: boolean }>(
    orm,
    sql`SELECT citus_is_coordinator() AS coordinator`,
  );
  return role?.coordinator === true ? { ...versions, citus: row.citus } : versions;
}
