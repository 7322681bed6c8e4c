// A fresh database on the Citus cluster named by CITUS_DATABASE_URL (a coordinator whose workers are
// registered in that database, e.g. by tooling/scripts/citus-cluster.sh): the same database is
// created on the coordinator and on every worker, each with the citus and vector extensions, and
// the workers are added to the new database's cluster metadata.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestDatabase } from './start-test-database.js';

/** Why the Citus tests skip, or undefined when CITUS_DATABASE_URL names a coordinator to use. */
export function citusSkipReason(): string | undefined {
  return process.env.CITUS_DATABASE_URL
    ? undefined
    : 'CITUS_DATABASE_URL is not set: start a coordinator and two workers (tooling/scripts/citus-cluster.sh) and set it to run the Citus tests';
}

interface Node {
  readonly host: string;
  readonly port: number;
}

function urlFor(base: string, node: Node | undefined, database: string): string {
  const url = new URL(base);
  if (node !== undefined) {
    url.hostname = node.host;
    url.port = String(node.port);
  }
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs each statement (text, and its parameters) in turn on a connection of its own. */
async function run(
  url: string,
  statements: readonly (string | [string, (string | number)[]])[],
): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const statement of statements) {
      if (typeof statement === 'string') await client.unsafe(statement);
      else await client.unsafe(statement[0], statement[1]);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Serialises the setup across test processes (see startCitusTestDatabase). */
const SETUP_LOCK_KEY = 7_346_251_902;

/** Runs `work` while holding SETUP_LOCK_KEY on the coordinator (see startCitusTestDatabase). */
async function underSetupLock<Result>(
  coordinatorUrl: string,
  work: (admin: postgres.ReservedSql) => Promise<Result>,
): Promise<Result> {
  const admin = postgres(coordinatorUrl, { max: 1, onnotice: () => {} });
  const reserved = await admin.reserve();
  try {
    await reserved`SELECT pg_advisory_lock(${SETUP_LOCK_KEY})`;
    return await work(reserved);
  } finally {
    await reserved`SELECT pg_advisory_unlock(${SETUP_LOCK_KEY})`.catch(() => {});
    reserved.release();
    await admin.end({ timeout: 5 });
  }
}

/**
 * Two setups (or drops) at once fail on the workers with "tuple concurrently updated" (adding a
 * node syncs shared catalogs, e.g. roles), so parallel test files take turns under a lock.
 */
export function startCitusTestDatabase(coordinatorUrl: string): Promise<TestDatabase> {
  return underSetupLock(coordinatorUrl, (admin) => createOnCluster(coordinatorUrl, admin));
}

async function createOnCluster(coordinatorUrl: string, admin: postgres.ReservedSql): Promise<TestDatabase> {
  const nodes = await admin<{ host: string; port: number; coordinator: boolean }[]>`
    SELECT nodename AS host, nodeport AS port, groupid = 0 AS coordinator
    FROM pg_dist_node WHERE noderole = 'primary' AND isactive ORDER BY nodeport`;
  const coordinator = nodes.find((node) => node.coordinator);
  const workers = nodes.filter((node) => !node.coordinator);
  if (coordinator === undefined || workers.length === 0) {
    throw new Error(
      `CITUS_DATABASE_URL names no Citus coordinator with workers (pg_dist_node lists ${nodes.length} nodes): run tooling/scripts/citus-cluster.sh start`,
    );
  }
  const name = `dje_citus_${randomBytes(6).toString('hex')}`;
  const extensions = ['CREATE EXTENSION citus', 'CREATE EXTENSION vector'];
  await run(coordinatorUrl, [`CREATE DATABASE ${name}`]);
  for (const worker of workers) {
    await run(urlFor(coordinatorUrl, worker, 'postgres'), [`CREATE DATABASE ${name}`]);
    await run(urlFor(coordinatorUrl, worker, name), extensions);
  }
  const url = urlFor(coordinatorUrl, undefined, name);
  await run(url, [
    ...extensions,
    ['SELECT citus_set_coordinator_host($1, $2)', [coordinator.host, coordinator.port]],
    ...workers.map((worker): [string, (string | number)[]] => [
      'SELECT citus_add_node($1, $2)',
      [worker.host, worker.port],
    ]),
  ]);
  return {
    url,
    kind: 'external',
    close: () =>
      underSetupLock(coordinatorUrl, async () => {
        const drop = [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`];
        await run(coordinatorUrl, drop);
        for (const worker of workers) await run(urlFor(coordinatorUrl, worker, 'postgres'), drop);
      }),
  };
}
