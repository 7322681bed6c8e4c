// Listing and statistics of registered namespaces: read-only views over the registry and catalog.
import { sql } from 'drizzle-orm';
import { isCitus, type ShardPlacement, shardPlacements } from './citus-placement.js';
import { type Database, type Executor, queryRow, queryRows } from './database.js';
import { namespaceNotFound } from './db-errors.js';
import { ident } from './identifiers.js';
import { readEntry, toRecord } from './namespace-registry.js';
import type { NamespaceInfo, NamespaceRecord, NamespaceStats } from './registry-types.js';
import { namespacesTable } from './schema/registry.js';
import { tableCatalog } from './table-catalog.js';
import { getTableName } from './table-names.js';
import { hasVectorIndexSql } from './vector-index.js';
import { bytesPerVector } from './vector-storage.js';

export async function listNamespaces(db: Database): Promise<NamespaceInfo[]> {
  const rows = await db.orm.select().from(namespacesTable).orderBy(namespacesTable.namespace);
  let described: NamespaceInfo[];
  try {
    described = await describeAll(db.orm, rows);
  } catch {
    // A table dropped between the catalog read and the counts: read the catalog again, once.
    described = await describeAll(db.orm, rows);
  }
  if (!isCitus(db)) return described;
  const placements = await shardPlacements(
    db.orm,
    described.map((info) => info.table_name),
  );
  return described.map((info) => ({ ...info, ...placementOf(placements.get(info.table_name) ?? []) }));
}

/** The nodes and shard count a namespace's info shows on Citus. */
function placementOf(shards: readonly ShardPlacement[]): Pick<NamespaceInfo, 'nodes' | 'shard_count'> {
  return { nodes: [...new Set(shards.map((shard) => shard.node))].sort(), shard_count: shards.length };
}

/** The registered namespaces whose tables exist, with counts and index state, in two statements whatever their number. */
async function describeAll(
  executor: Pick<Executor, 'execute'>,
  rows: readonly (typeof namespacesTable.$inferSelect)[],
): Promise<NamespaceInfo[]> {
  const indexed = await tableCatalog(
    executor,
    rows.map((row) => row.table_name),
  );
  if (indexed.size === 0) return [];
  const counts = await queryRows<{ table_name: string; count: number }>(
    executor,
    sql.join(
      [...indexed.keys()].map(
        (tableName) =>
          sql`SELECT ${tableName}::text AS table_name, count(*)::float8 AS count FROM ${ident(tableName)}`,
      ),
      sql` UNION ALL `,
    ),
  );
  const counted = new Map(counts.map((entry) => [entry.table_name, Number(entry.count)]));
  return rows
    .filter((row) => indexed.has(row.table_name))
    .map((row) => ({
      ...toRecord(row),
      embedding_count: counted.get(row.table_name) ?? 0,
      vector_index_exists: indexed.get(row.table_name) === true,
    }));
}

/**
 * The seed's statistics of a namespace whose table exists: one statement; on a Citus coordinator
 * (`citus`) two, the size is summed over the shards and the nodes holding them are added.
 */
export async function namespaceStats(
  executor: Pick<Executor, 'execute'>,
  options: { readonly record: NamespaceRecord; readonly citus: boolean },
): Promise<NamespaceStats> {
  const { record } = options;
  const table = sql`to_regclass(quote_ident(${record.table_name}))`;
  // The coordinator's table is an empty shell: its shards hold the data.
  const size = options.citus
    ? sql`citus_total_relation_size(${table})`
    : sql`pg_total_relation_size(${table})`;
  // Every index of the table: the ANN index, the filter indexes and the keyword index.
  const indexSize = options.citus
    ? sql`(citus_total_relation_size(${table}) - citus_table_size(${table}))`
    : sql`pg_indexes_size(${table})`;
  const counts = sql`count(*)::int AS embedding_count, count(DISTINCT collection_name)::int AS collection_count`;
  const facts = sql`pg_size_pretty(${size}) AS size, ${size}::text AS bytes,
                    pg_size_pretty(${indexSize}) AS index_size, ${indexSize}::text AS index_bytes,
                    ${hasVectorIndexSql(table)} AS vector_index_exists`;
  type Stats = {
    embedding_count: number;
    collection_count: number;
    size: string;
    bytes: string;
    index_size: string;
    index_bytes: string;
    vector_index_exists: boolean;
  };
  // On Citus the counts run on the shards and the catalog facts on the coordinator: Citus cannot
  // push catalog subqueries beside aggregates down to a hash-distributed table's shards.
  const stats = options.citus
    ? {
        ...(await queryRow<Stats>(executor, sql`SELECT ${counts} FROM ${ident(record.table_name)}`)),
        ...(await queryRow<Stats>(executor, sql`SELECT ${facts}`)),
      }
    : await queryRow<Stats>(executor, sql`SELECT ${counts}, ${facts} FROM ${ident(record.table_name)}`);
  return {
    ...record,
    exists: true,
    embedding_count: stats?.embedding_count ?? 0,
    collection_count: stats?.collection_count ?? 0,
    table_size: stats?.size ?? '0 bytes',
    table_size_bytes: Number(stats?.bytes ?? 0),
    index_size: stats?.index_size ?? '0 bytes',
    index_size_bytes: Number(stats?.index_bytes ?? 0),
    bytes_per_vector: bytesPerVector(record.storage, record.dimensions),
    vector_index_exists: stats?.vector_index_exists === true,
    ...(options.citus
      ? placementOf((await shardPlacements(executor, [record.table_name])).get(record.table_name) ?? [])
      : {}),
  };
}

/** The seed's namespace statistics; `exists: false` with an `error` when it is missing. */
export async function getNamespaceStats(db: Database, namespace: string): Promise<NamespaceStats> {
  const entry = await readEntry(db.orm, namespace);
  if (entry === undefined) {
    const tableName = getTableName(namespace);
    return { namespace, exists: false, table_name: tableName, error: namespaceNotFound(namespace).message };
  }
  return namespaceStats(db.orm, { record: entry.record, citus: isCitus(db) });
}
