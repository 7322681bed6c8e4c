// Run one suite against every database path: in-process PGlite, and postgres.js over the wire.
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

/** Both targets; `describe.each(databaseTargets)('… on $name', (target) => …)`. */
export const databaseTargets: readonly DatabaseTarget[] = [inProcessTarget, wireTarget];
