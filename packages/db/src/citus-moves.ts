// Moving namespaces between Citus workers: one namespace to a named worker, or the whole cluster
// rebalanced. Both are Citus's own shard moves (citus_move_shard_placement, the background
// rebalancer); the registry does not change, since the coordinator's table keeps its name and oid.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import { sql } from 'drizzle-orm';
import { clusterWorkers, isCitus, shardPlacements } from './citus-placement.js';
import { type Database, queryRow, queryRows } from './database.js';
import { invalidArgument } from './db-errors.js';
import { requireEntry } from './namespace-registry.js';

/** What `moveNamespace` did. */
export interface NamespaceMove {
  readonly namespace: string;
  /** The nodes (`host:port`) that held the namespace's shards before the move. */
  readonly from: string[];
  readonly to: string;
  /** Shards moved (0 when every shard was already on `to`). */
  readonly moved_shards: number;
}

/** What `rebalanceCluster` did. */
export interface ClusterRebalance {
  /** Shard moves the rebalancer planned and ran (0 when the cluster was balanced). */
  readonly moves: number;
  /** Namespace tables whose shards were moved. */
  readonly tables: string[];
}

/** CITUS_REQUIRED: `action` needs a Citus coordinator. */
export function citusRequired(action: string): DjeError {
  return createError({
    code: 'CITUS_REQUIRED',
    message: `${action} needs a Citus coordinator: this database is a single PostgreSQL server, where every namespace lives on the one node.`,
    details: { action },
  });
}

/** `host:port`, split; INVALID_ARGUMENT otherwise. */
function parseNode(node: string): { readonly host: string; readonly port: number } {
  const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):([0-9]{1,5})$/.exec(node);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !(port > 0 && port < 65_536)) {
    throw invalidArgument('to', 'must be a worker as host:port, e.g. 10.0.0.2:5432', node);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * Moves every shard of the namespace to the worker `to` (`host:port`), with Citus's shard move
 * (writes to the namespace wait only for the final switch-over when the cluster runs with
 * wal_level = logical; otherwise for the whole copy). Rows, indexes and the registry row are kept:
 * the shard is copied with its indexes and the coordinator's table is unchanged.
 */
export async function moveNamespace(
  db: Database,
  options: { readonly namespace: string; readonly to: string },
): Promise<NamespaceMove> {
  if (!isCitus(db)) throw citusRequired('Moving a namespace');
  const target = parseNode(options.to);
  const workers = await clusterWorkers(db.orm);
  const to = `${target.host}:${target.port}`;
  if (!workers.includes(to)) {
    throw createError({
      code: 'NODE_NOT_FOUND',
      message: `${to} is not a worker of this Citus cluster; its workers are ${workers.join(', ') || '(none)'}.`,
      details: { node: to, workers },
    });
  }
  const entry = await requireEntry(db.orm, options.namespace);
  const tableName = entry.record.table_name;
  const shards = (await shardPlacements(db.orm, [tableName])).get(tableName) ?? [];
  let moved = 0;
  for (const shard of shards.filter((placement) => placement.node !== to)) {
    const source = parseNode(shard.node);
    // A statement of its own, outside any transaction: Citus's move manages its own.
    await db.orm.execute(
      sql`SELECT citus_move_shard_placement(${shard.shard_id}::bigint, ${source.host}, ${source.port}::int,
                                            ${target.host}, ${target.port}::int)`,
    );
    moved++;
  }
  return {
    namespace: options.namespace,
    from: [...new Set(shards.map((shard) => shard.node))].sort(),
    to,
    moved_shards: moved,
  };
}

/**
 * Runs Citus's rebalancer over every distributed table and waits for it: each namespace is its own
 * colocation group, so shards (namespaces) are spread until the workers hold about as many each.
 */
export async function rebalanceCluster(db: Database): Promise<ClusterRebalance> {
  if (!isCitus(db)) throw citusRequired('Rebalancing');
  const plan = await queryRows<{ table_name: string }>(
    db.orm,
    sql`SELECT table_name::text AS table_name FROM get_rebalance_table_shards_plan()`,
  );
  if (plan.length === 0) return { moves: 0, tables: [] };
  const job = await queryRow<{ job_id: string | null }>(
    db.orm,
    sql`SELECT citus_rebalance_start()::text AS job_id`,
  );
  if (job?.job_id != null) await db.orm.execute(sql`SELECT citus_rebalance_wait()`);
  return { moves: plan.length, tables: [...new Set(plan.map((move) => move.table_name))].sort() };
}
