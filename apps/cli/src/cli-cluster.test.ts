// `dje namespace move` and `dje cluster rebalance`: refused on an embedded database; on a Citus
// coordinator (CITUS_DATABASE_URL), `namespace list` shows the worker and a move changes it.
import { citusSkipReason, citusTarget } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dje, embeddedDatabaseArgs, errorCodeOf, jsonOf, temporaryDirectory } from './testing/dje.js';

const skipped = citusSkipReason();

describe('dje namespace move and dje cluster rebalance (pglite://)', () => {
  const directory = temporaryDirectory('cluster');
  const database = embeddedDatabaseArgs(directory.path);
  afterAll(() => directory.remove());

  it('refuses both with CITUS_REQUIRED (exit 2), saying why', async () => {
    expect((await dje([...database, 'namespace', 'create', 'tenant'])).code).toBe(0);
    const moved = await dje([...database, 'namespace', 'move', 'tenant', '--to', '10.0.0.3:5432']);
    expect(moved.code).toBe(2);
    expect(errorCodeOf(moved)).toBe('CITUS_REQUIRED');
    expect(moved.stderr).toMatch(/needs a Citus coordinator/);
    const distributed = await dje([...database, 'namespace', 'distribute', 'tenant', '--shards', '4']);
    expect(errorCodeOf(distributed)).toBe('CITUS_REQUIRED');
    const rebalanced = await dje([...database, 'cluster', 'rebalance', '--json']);
    expect(rebalanced.code).toBe(2);
    expect(errorCodeOf(rebalanced)).toBe('CITUS_REQUIRED');
  });
});

describe.skipIf(skipped !== undefined)(
  `dje on a Citus coordinator${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let env: Record<string, string>;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const database = await citusTarget.start();
      env = { DATABASE_URL: database.url };
      close = () => database.close();
    }, 120_000);
    afterAll(async () => {
      await close?.();
    });

    type Listed = { namespace: string; nodes: string[] }[];

    it('lists the worker of each namespace, and moves one to the other worker', async () => {
      expect((await dje(['namespace', 'create', 'tenant'], { env })).code).toBe(0);
      const listed = jsonOf<Listed>(await dje(['namespace', 'list', '--json'], { env }));
      const before = listed.find((info) => info.namespace === 'tenant')?.nodes ?? [];
      expect(before).toHaveLength(1);
      const table = await dje(['namespace', 'list'], { env });
      expect(table.stdout).toMatch(/nodes/);
      expect(table.stdout).toContain(before[0] as string);
      const refused = await dje(['namespace', 'move', 'tenant', '--to', '127.0.0.1:1'], { env });
      expect(errorCodeOf(refused)).toBe('NODE_NOT_FOUND');
      const workers = refused.stderr.match(/its workers are (.+)\.$/m)?.[1]?.split(', ') ?? [];
      expect(workers.length).toBeGreaterThanOrEqual(2);
      const to = workers.find((node) => node !== before[0]) as string;
      const moved = await dje(['namespace', 'move', 'tenant', '--to', to], { env });
      expect(moved.code).toBe(0);
      expect(moved.stdout).toContain(`Moved namespace tenant from ${before[0]} to ${to} (1 shard).`);
      const stats = await dje(['namespace', 'stats', 'tenant'], { env });
      expect(stats.stdout).toMatch(new RegExp(`nodes\\s+${to.replace(/\./g, '\\.')}`));
      const distributed = await dje(['namespace', 'distribute', 'tenant', '--shards', '4'], { env });
      expect(distributed.stdout).toMatch(/^Distributed namespace tenant over 4 shards on /);
      const rebalanced = await dje(['cluster', 'rebalance', '--json'], { env });
      expect(rebalanced.code).toBe(0);
      expect(jsonOf<{ moves: number }>(rebalanced).moves).toBeGreaterThanOrEqual(0);
    }, 120_000);
  },
);
