// Run one suite against every database path: in-process PGlite, and postgres.js over the wire.
import { startCitusTestDatabase } from './start-citus-database.js';
import { startTestDatabase, type TestDatabase } from './start-test-database.js';

export interface DatabaseTarget {
  /** Label for `describe.each`, e.g. `pglite in-process`. */
  readonly name: string;
  /** Starts a fresh, empty database and returns its URL (for `connect(url)`) and a stopper. */
  start(): Promise<{ readonly url: string; close(): Promise<void> }>;
}

export const inProcessTarget: DatabaseTarget = {
  name: 'pglite in-process',
  async start() {
    return { url: 'memory://', close: async () => {} };
  },
};

export const wireTarget: DatabaseTarget = {
  name: 'postgres.js over the wire',
  async start(): Promise<TestDatabase> {
    return startTestDatabase();
  },
};

/**
 * A fresh database on the Citus cluster of CITUS_DATABASE_URL, where every namespace table is a
 * distributed table. Only in `databaseTargets` when that variable is set; `vitest run -t citus`
 * runs a suite on this target alone.
 */
export const citusTarget: DatabaseTarget = {
  name: 'citus coordinator',
  async start(): Promise<TestDatabase> {
    const url = process.env.CITUS_DATABASE_URL;
    if (!url) throw new Error('citusTarget needs CITUS_DATABASE_URL (a Citus coordinator with workers)');
    return startCitusTestDatabase(url);
  },
};

/**
 * Both targets, and the Citus coordinator when CITUS_DATABASE_URL is set;
 * `describe.each(databaseTargets)('… on $name', (target) => …)`.
 */
export const databaseTargets: readonly DatabaseTarget[] = process.env.CITUS_DATABASE_URL
  ? [inProcessTarget, wireTarget, citusTarget]
  : [inProcessTarget, wireTarget];
