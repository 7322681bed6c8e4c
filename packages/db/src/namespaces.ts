// Namespace lifecycle: create (idempotent, race-safe), inspect, list and drop; plus backups.
import { DjeError } from '@dynamic-embeddings/core';
import { eq, sql } from 'drizzle-orm';
import { type Database, type Executor, queryRow, queryRows } from './database.js';
import { ident, validateNamespaceName } from './identifiers.js';
import { createBtreeIndexesSql, createTableSql } from './namespace-ddl.js';
import { NAMESPACE_COLUMNS } from './namespace-table.js';
import {
  type BackupRow,
  backupsTable,
  type NamespaceRow,
  namespacesTable,
  type VectorIndexParams,
  type VectorIndexType,
} from './schema/registry.js';
import { getTableName, isBackupTableName } from './table-names.js';
import {
  buildVectorIndex,
  hasVectorIndexSql,
  normalizeIndexParams,
  vectorIndexExists,
} from './vector-index.js';

export const DEFAULT_INDEX_THRESHOLD = 10_000;

export interface CreateNamespaceOptions {
  readonly namespace: string;
  /** Vector length, fixed for the namespace's lifetime. */
  readonly dimensions: number;
  /** Embedding provider, e.g. `openai` or `local`. */
  readonly provider: string;
  /** Embedding model, fixed for the namespace's lifetime. */
  readonly model: string;
  /** ANN index type (default `hnsw`); `none` keeps exact search for good. */
  readonly index?: VectorIndexType;
  /** HNSW `m`/`ef_construction` or IVFFlat `lists`. */
  readonly indexParams?: VectorIndexParams;
  /** Row count at which the ANN index is built (default 10,000; 0 builds it at once). */
  readonly indexThreshold?: number;
}

/** A registry entry, as the library, `dje --json` and the HTTP API show it. */
export interface NamespaceRecord {
  readonly namespace: string;
  readonly table_name: string;
  readonly dimensions: number;
  readonly provider: string;
  readonly model: string;
  readonly index_type: VectorIndexType;
  readonly index_params: VectorIndexParams;
  readonly index_threshold: number;
  readonly created_at: string;
}

export interface NamespaceInfo extends NamespaceRecord {
  readonly embedding_count: number;
  readonly vector_index_exists: boolean;
}

export type NamespaceStats =
  | (NamespaceInfo & {
      readonly exists: true;
      readonly collection_count: number;
      readonly table_size: string;
      readonly table_size_bytes: number;
    })
  | {
      readonly namespace: string;
      readonly exists: false;
      readonly table_name: string;
      readonly error: string;
    };

export interface BackupInfo {
  readonly table_name: string;
  readonly namespace: string;
  readonly source_table: string;
  readonly reason: string;
  readonly dimensions: number;
  readonly provider: string;
  readonly model: string;
  readonly index_type: VectorIndexType;
  readonly row_count: number;
  readonly exists: boolean;
  readonly created_at: string;
}

function toRecord(row: NamespaceRow): NamespaceRecord {
  return {
    namespace: row.namespace,
    table_name: row.table_name,
    dimensions: row.dimensions,
    provider: row.provider,
    model: row.model,
    index_type: row.index_type,
    index_params: row.index_params,
    index_threshold: row.index_threshold,
    created_at: new Date(row.created_at).toISOString(),
  };
}

export function namespaceNotFound(namespace: string): DjeError {
  return new DjeError({
    code: 'NAMESPACE_NOT_FOUND',
    kind: 'not_found',
    message: `Namespace "${namespace}" does not exist. List namespaces with \`dje namespace list\`, or create it with \`dje namespace create ${namespace}\` (ingesting into it also creates it).`,
    details: { namespace },
  });
}

/**
 * Takes the namespace's transaction-scoped advisory lock: creating, dropping and (re)building the
 * index of one namespace are serialised across connections; other namespaces are unaffected.
 */
export async function lockNamespace(executor: Pick<Executor, 'execute'>, namespace: string): Promise<void> {
  await executor.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`dje:namespace:${namespace}`}, 0))`,
  );
}

/** Whether a table of that name exists in the current schema. */
export async function tableExists(executor: Pick<Executor, 'execute'>, tableName: string): Promise<boolean> {
  const row = await queryRow<{ exists: boolean }>(
    executor,
    sql`SELECT to_regclass(quote_ident(${tableName})) IS NOT NULL AS exists`,
  );
  return row?.exists === true;
}

/** The registry entry of a namespace, or undefined when it is not registered. */
export async function getNamespace(
  executor: Executor,
  namespace: string,
): Promise<NamespaceRecord | undefined> {
  validateNamespaceName(namespace);
  const rows = await executor.select().from(namespacesTable).where(eq(namespacesTable.namespace, namespace));
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

/** Like getNamespace, but a missing namespace is a NAMESPACE_NOT_FOUND error. */
export async function requireNamespace(executor: Executor, namespace: string): Promise<NamespaceRecord> {
  const record = await getNamespace(executor, namespace);
  if (record === undefined) throw namespaceNotFound(namespace);
  return record;
}

/**
 * Throws unless vectors from `embedding` may be written to or searched in the namespace: the
 * dimensions, and the model when given, must be the ones fixed at creation.
 */
export function assertEmbeddingCompatible(
  record: NamespaceRecord,
  embedding: { readonly dimensions?: number; readonly provider?: string; readonly model?: string },
): void {
  if (embedding.dimensions !== undefined && embedding.dimensions !== record.dimensions) {
    throw new DjeError({
      code: 'DIMENSION_MISMATCH',
      kind: 'validation',
      message: `Namespace "${record.namespace}" stores ${record.dimensions}-dimensional vectors (${record.provider}/${record.model}); got ${embedding.dimensions}. Use the same model and dimensions, or another namespace.`,
      details: { namespace: record.namespace, expected: record.dimensions, actual: embedding.dimensions },
    });
  }
  const modelDiffers = embedding.model !== undefined && embedding.model !== record.model;
  const providerDiffers = embedding.provider !== undefined && embedding.provider !== record.provider;
  if (modelDiffers || providerDiffers) {
    throw new DjeError({
      code: 'EMBEDDING_MODEL_MISMATCH',
      kind: 'validation',
      message: `Namespace "${record.namespace}" was created for ${record.provider}/${record.model}; refusing to mix in vectors from ${embedding.provider ?? record.provider}/${embedding.model ?? record.model}, which would make search results meaningless. Use that model, or another namespace.`,
      details: {
        namespace: record.namespace,
        expected: { provider: record.provider, model: record.model },
        actual: { provider: embedding.provider, model: embedding.model },
      },
    });
  }
}

/**
 * Creates the namespace (table, indexes, registry row) in one transaction, or returns the
 * existing one when it was created with the same dimensions and model. Safe when several
 * connections race: a transaction-scoped advisory lock per namespace serialises them.
 */
export async function createNamespace(
  db: Database,
  options: CreateNamespaceOptions,
): Promise<{ readonly created: boolean; readonly namespace: NamespaceRecord }> {
  const namespace = validateNamespaceName(options.namespace);
  const tableName = getTableName(namespace);
  const indexType = options.index ?? 'hnsw';
  if (!['hnsw', 'ivfflat', 'none'].includes(indexType)) {
    throw new DjeError({
      code: 'INVALID_INDEX_TYPE',
      kind: 'validation',
      message: `Unknown index type "${indexType}": use hnsw, ivfflat or none.`,
    });
  }
  const indexParams = normalizeIndexParams(indexType, options.indexParams);
  const indexThreshold = options.indexThreshold ?? DEFAULT_INDEX_THRESHOLD;
  if (!Number.isInteger(indexThreshold) || indexThreshold < 0) {
    throw new DjeError({
      code: 'INVALID_INDEX_THRESHOLD',
      kind: 'validation',
      message: `indexThreshold must be a whole number of rows ≥ 0, got ${indexThreshold}.`,
    });
  }
  if (!Number.isInteger(options.dimensions) || options.dimensions < 1 || options.dimensions > 16000) {
    throw new DjeError({
      code: 'INVALID_DIMENSIONS',
      kind: 'validation',
      message: `dimensions must be an integer from 1 to 16000, got ${options.dimensions}.`,
    });
  }
  return db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace);
    const existing = await getNamespace(tx, namespace);
    if (existing !== undefined && (await tableExists(tx, tableName))) {
      assertEmbeddingCompatible(existing, options);
      return { created: false, namespace: existing };
    }
    if (existing !== undefined)
      await tx.delete(namespacesTable).where(eq(namespacesTable.namespace, namespace));
    if (await tableExists(tx, tableName)) {
      // A table without a registry row (created by the seed system or by hand): adopt it if its
      // vectors have the requested dimensions and it has every column of the namespace schema.
      const adopted = await tableDimensions(tx, tableName);
      if (adopted !== options.dimensions) {
        throw new DjeError({
          code: 'NAMESPACE_TABLE_CONFLICT',
          kind: 'conflict',
          message: `Table ${tableName} already exists with ${adopted ?? 'no'} vector dimensions, not ${options.dimensions}; it is not a namespace this tool can adopt. Rename or drop it first.`,
        });
      }
      const columns = await tableColumns(tx, tableName);
      const missing = NAMESPACE_COLUMNS.filter((column) => !columns.includes(column));
      if (missing.length > 0) {
        throw new DjeError({
          code: 'NAMESPACE_TABLE_CONFLICT',
          kind: 'conflict',
          message: `Table ${tableName} already exists but lacks the namespace columns ${missing.join(', ')}, so rows could not be written to it. Rename it and migrate its rows into a new namespace, or drop it first.`,
          details: { table_name: tableName, missing_columns: missing },
        });
      }
    } else {
      await tx.execute(createTableSql(tableName, options.dimensions));
    }
    for (const statement of createBtreeIndexesSql(tableName)) await tx.execute(statement);
    if (indexThreshold === 0) await buildVectorIndex(tx, { tableName, type: indexType, params: indexParams });
    const [row] = await tx
      .insert(namespacesTable)
      .values({
        namespace,
        table_name: tableName,
        dimensions: options.dimensions,
        provider: options.provider,
        model: options.model,
        index_type: indexType,
        index_params: indexParams,
        index_threshold: indexThreshold,
      })
      .returning();
    return { created: true, namespace: toRecord(row!) };
  });
}

/** A table's column names in order (none when it does not exist). */
export async function tableColumns(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    executor,
    sql`SELECT attname AS name FROM pg_attribute
        WHERE attrelid = to_regclass(quote_ident(${tableName})) AND attnum > 0 AND NOT attisdropped
        ORDER BY attnum`,
  );
  return rows.map((row) => row.name);
}

/** The declared dimension of a table's `embedding vector(N)` column. */
export async function tableDimensions(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<number | undefined> {
  const row = await queryRow<{ dimensions: number | null }>(
    executor,
    sql`SELECT a.atttypmod AS dimensions FROM pg_attribute a
        WHERE a.attrelid = to_regclass(quote_ident(${tableName})) AND a.attname = 'embedding' AND NOT a.attisdropped`,
  );
  return row?.dimensions === null || row?.dimensions === undefined || row.dimensions < 0
    ? undefined
    : row.dimensions;
}

export async function listNamespaces(db: Database): Promise<NamespaceInfo[]> {
  const rows = await db.orm.select().from(namespacesTable).orderBy(namespacesTable.namespace);
  try {
    return await describeAll(db.orm, rows);
  } catch {
    // A table dropped between the catalog read and the counts: read the catalog again, once.
    return describeAll(db.orm, rows);
  }
}

/** Of `tableNames`, those that exist, each with whether it has a valid ANN index; one statement. */
async function tableCatalog(
  executor: Pick<Executor, 'execute'>,
  tableNames: readonly string[],
): Promise<Map<string, boolean>> {
  if (tableNames.length === 0) return new Map();
  const names = sql.join(
    tableNames.map((name) => sql`${name}`),
    sql`, `,
  );
  const rows = await queryRows<{ table_name: string; vector_index_exists: boolean }>(
    executor,
    sql`SELECT name AS table_name,
               ${hasVectorIndexSql(sql`to_regclass(quote_ident(name))`)} AS vector_index_exists
        FROM unnest(ARRAY[${names}]::text[]) AS name
        WHERE to_regclass(quote_ident(name)) IS NOT NULL`,
  );
  return new Map(rows.map((row) => [row.table_name, row.vector_index_exists]));
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

/** The seed's namespace statistics; `exists: false` with an `error` when it is missing. */
export async function getNamespaceStats(db: Database, namespace: string): Promise<NamespaceStats> {
  const tableName = getTableName(namespace);
  const record = await getNamespace(db.orm, namespace);
  if (record === undefined || !(await tableExists(db.orm, tableName))) {
    return { namespace, exists: false, table_name: tableName, error: namespaceNotFound(namespace).message };
  }
  const stats = await queryRow<{
    embedding_count: number;
    collection_count: number;
    size: string;
    bytes: string;
  }>(
    db.orm,
    sql`SELECT count(*)::int AS embedding_count,
               count(DISTINCT collection_name)::int AS collection_count,
               pg_size_pretty(pg_total_relation_size(to_regclass(quote_ident(${tableName})))) AS size,
               pg_total_relation_size(to_regclass(quote_ident(${tableName})))::text AS bytes
        FROM ${ident(tableName)}`,
  );
  return {
    ...record,
    exists: true,
    embedding_count: stats?.embedding_count ?? 0,
    collection_count: stats?.collection_count ?? 0,
    table_size: stats?.size ?? '0 bytes',
    table_size_bytes: Number(stats?.bytes ?? 0),
    vector_index_exists: await vectorIndexExists(db.orm, tableName),
  };
}

export function confirmationRequired(action: string): DjeError {
  return new DjeError({
    code: 'CONFIRMATION_REQUIRED',
    kind: 'confirmation_required',
    message: `${action} deletes data and needs explicit confirmation: pass { confirm: true } (CLI: --force, HTTP: ?confirm=true).`,
  });
}

/** Drops the namespace's table and registry row in one transaction. Needs `{ confirm: true }`. */
export async function dropNamespace(
  db: Database,
  namespace: string,
  options: { readonly confirm?: boolean } = {},
): Promise<boolean> {
  const tableName = getTableName(namespace);
  if (options.confirm !== true) throw confirmationRequired(`Dropping namespace "${namespace}"`);
  return db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace);
    const registered = await getNamespace(tx, namespace);
    const exists = await tableExists(tx, tableName);
    if (registered === undefined && !exists) throw namespaceNotFound(namespace);
    if (exists) await tx.execute(sql`DROP TABLE ${ident(tableName)}`);
    await tx.delete(namespacesTable).where(eq(namespacesTable.namespace, namespace));
    return true;
  });
}

function toBackupInfo(row: BackupRow, exists: boolean): BackupInfo {
  return {
    table_name: row.table_name,
    namespace: row.namespace,
    source_table: row.source_table,
    reason: row.reason,
    dimensions: row.dimensions,
    provider: row.provider,
    model: row.model,
    index_type: row.index_type,
    row_count: row.row_count,
    exists,
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** Records a backup table (used by move and legacy migrations, inside their transaction). */
export async function registerBackup(
  executor: Executor,
  backup: typeof backupsTable.$inferInsert,
): Promise<void> {
  await executor.insert(backupsTable).values(backup);
}

/** Registered backup tables, newest first. */
export async function listBackups(db: Database): Promise<BackupInfo[]> {
  const rows = await db.orm.select().from(backupsTable).orderBy(sql`${backupsTable.created_at} DESC`);
  const existing = await tableCatalog(
    db.orm,
    rows.map((row) => row.table_name),
  );
  return rows.map((row) => toBackupInfo(row, existing.has(row.table_name)));
}

/** Drops a registered backup table and its registry row. Needs `{ confirm: true }`. */
export async function dropBackup(
  db: Database,
  tableName: string,
  options: { readonly confirm?: boolean } = {},
): Promise<boolean> {
  if (!isBackupTableName(tableName)) {
    throw new DjeError({
      code: 'NOT_A_BACKUP',
      kind: 'validation',
      message: `"${tableName}" is not a backup table name (backups are named embeddings_backup_…). See \`dje namespace backups\`.`,
    });
  }
  if (options.confirm !== true) throw confirmationRequired(`Dropping backup ${tableName}`);
  return db.orm.transaction(async (tx) => {
    const [row] = await tx.select().from(backupsTable).where(eq(backupsTable.table_name, tableName));
    if (row === undefined) {
      throw new DjeError({
        code: 'BACKUP_NOT_FOUND',
        kind: 'not_found',
        message: `No registered backup named ${tableName}. List backups with \`dje namespace backups\`.`,
      });
    }
    if (await tableExists(tx, tableName)) await tx.execute(sql`DROP TABLE ${ident(tableName)}`);
    await tx.delete(backupsTable).where(eq(backupsTable.table_name, tableName));
    return true;
  });
}
