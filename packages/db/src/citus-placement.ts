// Placement of namespace tables on a Citus coordinator: each namespace table is a distributed table
// whose shards live on the workers, the registry stays a local table on the coordinator. Placement,
// moves and rebalancing are Citus's own functions; this file only calls them.
import { sql } from 'drizzle-orm';
import { type Database, type Executor, queryRows } from './database.js';

/** Whether `db` is a Citus coordinator (connect() found the citus extension there). */
export function isCitus(db: Pick<Database, 'versions'>): boolean {
  return db.versions.citus !== undefined;
}

/**
 * Makes a new (or adopted) namespace table a single-shard distributed table in a colocation group
 * of its own: with `colocate_with => 'none'` Citus places each such table on the worker with the
 * fewest shards, so namespaces spread over the workers (with the default colocation they would all
 * share the first one's node), and each can be moved alone. Unique constraints stay as they are on
 * a single-shard table. A table that is already distributed is left as it is. `colocateWith` (a
 * single-shard table) places it on that table's worker instead, in its group.
 */
export async function distributeNamespaceTable(
  executor: Pick<Executor, 'execute'>,
  options: { readonly tableName: string; readonly colocateWith?: string | undefined },
): Promise<void> {
  const table = sql`to_regclass(quote_ident(${options.tableName}))`;
  // Only a single-shard table (partmethod 'n') can take another in its group; beside a
  // hash-distributed one the new table gets its own group.
  const colocate = sql`coalesce((SELECT ${options.colocateWith ?? 'none'}::text FROM pg_dist_partition
                                 WHERE logicalrelid = to_regclass(quote_ident(${options.colocateWith ?? 'none'}))
                                   AND partmethod = 'n'), 'none')`;
  await executor.execute(
    sql`SELECT create_distributed_table(${table}, NULL::text, colocate_with => ${colocate})
        WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = ${table})`,
  );
}

/**
 * Gives a table that was created colocated with another (a migration's target, placed beside its
 * source so the copy and the row-by-row verification run on one worker) a colocation group of its
 * own again, so it moves alone. Metadata only: no row moves.
 */
export async function separateColocation(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<void> {
  await executor.execute(
    sql`SELECT update_distributed_table_colocation(to_regclass(quote_ident(${tableName})), colocate_with => 'none')`,
  );
}

/** Where one shard of a namespace table lives. */
export interface ShardPlacement {
  readonly shard_id: number;
  /** `host:port` of the worker (or coordinator) holding the shard. */
  readonly node: string;
  readonly size_bytes: number;
}

/** The shards of each of `tableNames` that is distributed, with their nodes; local tables have none. */
export async function shardPlacements(
  executor: Pick<Executor, 'execute'>,
  tableNames: readonly string[],
): Promise<Map<string, ShardPlacement[]>> {
  const placements = new Map<string, ShardPlacement[]>();
  if (tableNames.length === 0) return placements;
  const rows = await queryRows<{ table_name: string; shard_id: string; node: string; size: string }>(
    executor,
    sql`SELECT t.name AS table_name, s.shardid::text AS shard_id,
               s.nodename || ':' || s.nodeport AS node, s.shard_size::text AS size
        FROM unnest(${sql.param([...tableNames])}::text[]) AS t(name)
        JOIN citus_shards s ON s.table_name = to_regclass(quote_ident(t.name))
        ORDER BY s.shardid`,
  );
  for (const row of rows) {
    const list = placements.get(row.table_name) ?? [];
    list.push({ shard_id: Number(row.shard_id), node: row.node, size_bytes: Number(row.size) });
    placements.set(row.table_name, list);
  }
  return placements;
}

/** The workers of the cluster (`host:port`), for messages and checks. */
export async function clusterWorkers(executor: Pick<Executor, 'execute'>): Promise<string[]> {
  const rows = await queryRows<{ node: string }>(
    executor,
    sql`SELECT nodename || ':' || nodeport AS node FROM pg_dist_node
        WHERE noderole = 'primary' AND isactive AND shouldhaveshards AND groupid <> 0
        ORDER BY nodename, nodeport`,
  );
  return rows.map((row) => row.node);
}

/**
 * Rows of a distributed table as its shards' statistics have them (summed; -1 when no shard has
 * been analyzed): the coordinator's own table is an empty shell whose reltuples stays 0.
 */
export async function distributedReltuples(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<number> {
  const rows = await queryRows<{ result: string }>(
    executor,
    sql`SELECT result FROM run_command_on_shards(${tableName},
          $$SELECT reltuples::float8 FROM pg_class WHERE oid = '%s'::regclass$$) WHERE success`,
  );
  const counts = rows.map((row) => Number(row.result)).filter((count) => count >= 0);
  return counts.length === 0 ? -1 : counts.reduce((sum, count) => sum + count, 0);
}
