// `dje namespace distribute <ns> --shards N`: one namespace too large for one worker becomes a
// hash-distributed table, its rows spread over N shards with an ANN index each.
import { sql } from 'drizzle-orm';
import { citusRequired } from './citus-moves.js';
import { isCitus, shardPlacements } from './citus-placement.js';
import type { Database } from './database.js';
import { invalidArgument } from './db-errors.js';
import { ident } from './identifiers.js';
import { lockNamespace, requireEntry } from './namespace-registry.js';
import { indexNamesFor } from './table-names.js';

/** Citus's upper bound on a table's shard count. */
const MAX_SHARDS = 64_000;

/** What `distributeNamespace` did. */
export interface NamespaceDistribution {
  readonly namespace: string;
  readonly shard_count: number;
  /** The workers holding its shards. */
  readonly nodes: string[];
}

/**
 * Hash-distributes the namespace's table on `chunk_id` over `shards` shards, in one transaction
 * under the namespace's lock (writers wait). chunk_id is the conflict key of every upsert and must
 * stay unique; Citus allows a unique constraint on a hash-distributed table only when it includes
 * the distribution column, so `UNIQUE (chunk_id)` stays exactly as it is, and the primary key
 * becomes `(chunk_id, id)` (ids stay unique: the coordinator's sequence assigns them). Every index,
 * the ANN index too, is then one per shard; searches run on every shard and Citus merges the k
 * best; writes that span shards commit with Citus's two-phase commit.
 */
export async function distributeNamespace(
  db: Database,
  options: { readonly namespace: string; readonly shards: number },
): Promise<NamespaceDistribution> {
  if (!isCitus(db)) throw citusRequired('Distributing a namespace');
  const { shards } = options;
  if (!Number.isInteger(shards) || shards < 2 || shards > MAX_SHARDS) {
    throw invalidArgument('shards', `must be a whole number from 2 to ${MAX_SHARDS}`, shards);
  }
  const tableName = await db.orm.transaction(async (tx) => {
    await lockNamespace(tx, options.namespace);
    const { record } = await requireEntry(tx, options.namespace);
    const table = ident(record.table_name);
    const primaryKey = ident(indexNamesFor(record.table_name).primaryKey);
    // Back to a local table first: create_distributed_table takes only an undistributed one.
    await tx.execute(sql`SELECT undistribute_table(to_regclass(quote_ident(${record.table_name})))`);
    await tx.execute(sql`ALTER TABLE ${table} DROP CONSTRAINT ${primaryKey}`);
    await tx.execute(sql`ALTER TABLE ${table} ADD CONSTRAINT ${primaryKey} PRIMARY KEY (chunk_id, id)`);
    await tx.execute(
      sql`SELECT create_distributed_table(to_regclass(quote_ident(${record.table_name})), 'chunk_id',
                                          shard_count => ${shards}::int, colocate_with => 'none')`,
    );
    return record.table_name;
  });
  const placed = (await shardPlacements(db.orm, [tableName])).get(tableName) ?? [];
  return {
    namespace: options.namespace,
    shard_count: placed.length,
    nodes: [...new Set(placed.map((shard) => shard.node))].sort(),
  };
}
