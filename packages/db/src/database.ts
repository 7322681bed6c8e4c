import type { PGlite } from '@electric-sql/pglite';
import type { SQLWrapper } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';

/** A Drizzle database or transaction: anything that can run our queries. */
export type Executor = Pick<
  PgDatabase<PgQueryResultHKT, Record<string, never>>,
  'execute' | 'select' | 'insert' | 'update' | 'delete'
>;

/** One open connection (pool) to PostgreSQL + pgvector, in process (PGlite) or over the wire. */
export interface Database {
  /** `pglite` for in-process PGlite; `postgres` for a server reached with postgres.js. */
  readonly driver: 'pglite' | 'postgres';
  /** True when the server behind a postgres:// URL is PGlite (pglite-socket): COPY is avoided there. */
  readonly isPGliteServer: boolean;
  /**
   * Server versions, e.g. `{ postgres: '18.6', pgvector: '0.8.7' }`; `citus` (e.g. `13.2-1`) only
   * when the server is a Citus coordinator, whose namespace tables are then distributed tables.
   */
  readonly versions: { readonly postgres: string; readonly pgvector: string; readonly citus?: string };
  /** Ceiling in MB for `maintenance_work_mem` during HNSW builds (`ConnectOptions.indexBuildMemoryMB`). */
  readonly indexBuildMemoryMB: number;
  /** ConnectOptions.onQuery: every statement's SQL text and parameters, for query logs. */
  readonly onQuery?: ((query: string, params: readonly unknown[]) => void) | undefined;
  /** The URL with any password removed, for logs and messages. */
  readonly displayUrl: string;
  /** The Drizzle instance; use `transaction()` on it for atomic work. */
  readonly orm: PgDatabase<PgQueryResultHKT, Record<string, never>>;
  /** The in-process PGlite client (driver `pglite` only), for binary COPY from a blob. */
  readonly pglite: PGlite | undefined;
  /** The postgres.js client (driver `postgres` only), for COPY FROM STDIN. */
  readonly postgres: Sql | undefined;
  /** Releases the pool or closes PGlite, and the data-directory lock. Idempotent. */
  close(): Promise<void>;
}

/** Runs `query` and returns its rows, whichever driver is behind `executor`. */
export async function queryRows<Row = Record<string, unknown>>(
  executor: Pick<Executor, 'execute'>,
  query: SQLWrapper,
): Promise<Row[]> {
  const result: unknown = await executor.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

/** Runs `query` and returns its first row, or undefined. */
export async function queryRow<Row = Record<string, unknown>>(
  executor: Pick<Executor, 'execute'>,
  query: SQLWrapper,
): Promise<Row | undefined> {
  return (await queryRows<Row>(executor, query))[0];
}
