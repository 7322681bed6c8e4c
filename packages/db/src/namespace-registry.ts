// The namespace registry: the only code that reads or writes `dje_namespaces` and runs the DDL of
// namespace tables (create, adopt, drop; index DDL in vector-index.ts, backups in backup-registry.ts).
// Migration creates, registers and retires tables through these functions, inside its transaction.
import { createError, dimensionMismatch, embeddingModelMismatch } from '@dynamic-embeddings/core';
import { eq, sql } from 'drizzle-orm';
import { distributeNamespaceTable, isCitus } from './citus-placement.js';
import { type Database, type Executor, queryRow } from './database.js';
import {
  confirmationRequired,
  invalidRecallTarget,
  namespaceNotFound,
  tableConflict,
  validateDimensions,
} from './db-errors.js';
import { ident, validateNamespaceName } from './identifiers.js';
import {
  addKeywordsColumnSql,
  DEFAULT_TEXT_SEARCH_CONFIG,
  validateTextSearchConfig,
} from './keyword-column.js';
import {
  addKeyConstraintsSql,
  CURRENT_TABLE_VERSION,
  createFilterIndexesSql,
  createTableSql,
} from './namespace-ddl.js';
import { NAMESPACE_COLUMNS } from './namespace-table.js';
import type { CreateNamespaceOptions, NamespaceRecord, RegistryEntry } from './registry-types.js';
import {
  type NamespaceRow,
  namespacesTable,
  type VectorIndexType,
  type VectorStorage,
} from './schema/registry.js';
import { tableColumns, tableEmbeddingColumn, tableExists } from './table-catalog.js';
import { getTableName } from './table-names.js';
import { buildVectorIndex, normalizeIndexParams } from './vector-index.js';
import { defaultStorage, indexLimitError, storageMismatch, validateStorage } from './vector-storage.js';

export const DEFAULT_INDEX_THRESHOLD = 10_000;
const INDEX_TYPES: readonly VectorIndexType[] = ['hnsw', 'ivfflat', 'none'];

export function toRecord(row: NamespaceRow): NamespaceRecord {
  return {
    namespace: row.namespace,
    table_name: row.table_name,
    dimensions: row.dimensions,
    storage: row.storage,
    provider: row.provider,
    model: row.model,
    index_type: row.index_type,
    index_params: row.index_params,
    index_threshold: row.index_threshold,
    recall_target: Number(row.recall_target),
    search_tuning: row.search_tuning,
    text_search_config: row.text_search_config,
    created_at: new Date(row.created_at).toISOString(),
  };
}

/**
 * Takes the namespace's transaction-scoped advisory lock: creating, dropping and (re)building the
 * index of one namespace are serialised across connections; other namespaces are unaffected.
 * Writers take the same lock shared (namespace-handle.ts), so a drop waits for them.
 */
export async function lockNamespace(executor: Pick<Executor, 'execute'>, namespace: string): Promise<void> {
  await executor.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`dje:namespace:${namespace}`}, 0))`,
  );
}

/** The registry row of a namespace, or undefined when it is not registered (its table may be gone). */
export async function getNamespace(
  executor: Executor,
  namespace: string,
): Promise<NamespaceRecord | undefined> {
  validateNamespaceName(namespace);
  const rows = await executor.select().from(namespacesTable).where(eq(namespacesTable.namespace, namespace));
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

/**
 * The registry entry of a namespace whose table exists, with the table's identity: one statement,
 * the only registry read a namespace handle makes. Undefined when unregistered or the table is gone.
 */
export async function readEntry(
  executor: Pick<Executor, 'execute'>,
  namespace: string,
): Promise<RegistryEntry | undefined> {
  validateNamespaceName(namespace);
  const row = await queryRow<
    NamespaceRow & { table_oid: string | null; text_hash_generated: boolean | null }
  >(
    executor,
    sql`SELECT n.*, c.oid::text AS table_oid, a.attgenerated = 's' AS text_hash_generated
        FROM ${namespacesTable} n
        LEFT JOIN pg_class c ON c.oid = to_regclass(quote_ident(n.table_name))
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'text_hash' AND NOT a.attisdropped
        WHERE n.namespace = ${namespace}`,
  );
  if (row === undefined || row.table_oid === null) return undefined;
  return {
    record: toRecord(row),
    tableOid: row.table_oid,
    textHash: row.text_hash_generated === true ? 'generated' : 'written',
    tableVersion: row.table_version,
  };
}

/** Like readEntry, but a missing namespace is a NAMESPACE_NOT_FOUND error. */
export async function requireEntry(
  executor: Pick<Executor, 'execute'>,
  namespace: string,
): Promise<RegistryEntry> {
  const entry = await readEntry(executor, namespace);
  if (entry === undefined) throw namespaceNotFound(namespace);
  return entry;
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
    throw dimensionMismatch(
      `Namespace "${record.namespace}" stores ${record.dimensions}-dimensional vectors (${record.provider}/${record.model}); got ${embedding.dimensions}. Use the same model and dimensions, or another namespace.`,
      { namespace: record.namespace, expected: record.dimensions, actual: embedding.dimensions },
    );
  }
  const modelDiffers = embedding.model !== undefined && embedding.model !== record.model;
  const providerDiffers = embedding.provider !== undefined && embedding.provider !== record.provider;
  if (modelDiffers || providerDiffers) {
    throw embeddingModelMismatch(
      `Namespace "${record.namespace}" was created for ${record.provider}/${record.model}; refusing to mix in vectors from ${embedding.provider ?? record.provider}/${embedding.model ?? record.model}, which would make search results meaningless. Use that model, or another namespace.`,
      {
        namespace: record.namespace,
        expected: { provider: record.provider, model: record.model },
        actual: { provider: embedding.provider, model: embedding.model },
      },
    );
  }
}

/** The registry row a new namespace gets, validated. */
export interface NamespaceRegistration {
  readonly namespace: string;
  readonly tableName: string;
  readonly dimensions: number;
  readonly storage: VectorStorage;
  readonly provider: string;
  readonly model: string;
  readonly indexType: VectorIndexType;
  readonly indexParams: ReturnType<typeof normalizeIndexParams>;
  readonly indexThreshold: number;
  readonly recallTarget?: number;
  /** The keyword index's text search configuration (default `simple`), checked to exist. */
  readonly textSearchConfig?: string;
}

/** The recall target, checked: a fraction above 0 and at most 1. */
export function validRecallTarget(value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw invalidRecallTarget(value);
  return value;
}

function registrationOf(options: CreateNamespaceOptions): NamespaceRegistration {
  const namespace = validateNamespaceName(options.namespace);
  const indexType = options.index ?? 'hnsw';
  if (!INDEX_TYPES.includes(indexType)) {
    throw createError({
      code: 'INVALID_INDEX_TYPE',
      message: `Unknown index type "${indexType}": use hnsw, ivfflat or none.`,
      details: { index_type: indexType },
    });
  }
  const indexParams = normalizeIndexParams(indexType, options.indexParams);
  const indexThreshold = options.indexThreshold ?? DEFAULT_INDEX_THRESHOLD;
  if (!Number.isInteger(indexThreshold) || indexThreshold < 0) {
    throw createError({
      code: 'INVALID_INDEX_THRESHOLD',
      message: `indexThreshold must be a whole number of rows ≥ 0, got ${indexThreshold}.`,
      details: { index_threshold: indexThreshold },
    });
  }
  const dimensions = validateDimensions(options.dimensions, 'dimensions');
  const storage = validateStorage(options.storage) ?? defaultStorage(dimensions);
  const refused = indexLimitError({
    namespace,
    dimensions,
    storage,
    indexType,
    quantization: indexParams.quantization,
  });
  if (refused !== undefined) throw refused;
  return {
    namespace,
    tableName: getTableName(namespace),
    dimensions,
    storage,
    provider: options.provider,
    model: options.model,
    indexType,
    indexParams,
    indexThreshold,
    ...(options.recallTarget === undefined ? {} : { recallTarget: validRecallTarget(options.recallTarget) }),
    ...(options.textSearchConfig === undefined ? {} : { textSearchConfig: options.textSearchConfig }),
  };
}

/** STORAGE_MISMATCH when a storage is named for an existing namespace that stores another. */
function assertSameStorage(record: NamespaceRecord, storage: VectorStorage | undefined): void {
  if (storage === undefined || storage === record.storage) return;
  throw storageMismatch(
    `Namespace "${record.namespace}" already exists with storage ${record.storage}, not ${storage}; storage is fixed at creation. Use another name for a ${storage} namespace.`,
    { namespace: record.namespace, expected: record.storage, actual: storage },
  );
}

/** Records a namespace whose table exists (created here, adopted, or filled by a migration). */
export async function registerNamespace(
  executor: Executor,
  registration: NamespaceRegistration,
): Promise<void> {
  await executor.insert(namespacesTable).values({
    namespace: registration.namespace,
    table_name: registration.tableName,
    dimensions: registration.dimensions,
    storage: registration.storage,
    provider: registration.provider,
    model: registration.model,
    index_type: registration.indexType,
    index_params: registration.indexParams,
    index_threshold: registration.indexThreshold,
    // Every caller has just built the table's indexes (indexTable).
    table_version: CURRENT_TABLE_VERSION,
    ...(registration.recallTarget === undefined ? {} : { recall_target: registration.recallTarget }),
    ...(registration.textSearchConfig === undefined
      ? {}
      : { text_search_config: registration.textSearchConfig }),
  });
}

/** Removes a namespace's registry row (its table is dropped or retired by the caller, in the same transaction). */
export async function unregisterNamespace(executor: Executor, namespace: string): Promise<void> {
  await executor.delete(namespacesTable).where(eq(namespacesTable.namespace, namespace));
}

/**
 * Creates an empty table of the namespace schema, without its B-tree indexes (see indexTable). On
 * a Citus coordinator (`distributed`) it becomes a single-shard distributed table before any index
 * exists, so the indexes are created on its shard by Citus.
 */
export async function createNamespaceTable(
  executor: Pick<Executor, 'execute'>,
  options: {
    readonly tableName: string;
    readonly dimensions: number;
    readonly storage: VectorStorage;
    readonly textSearchConfig?: string | undefined;
    readonly distributed: boolean;
    /** With `distributed`: a single-shard table to place it beside (see distributeNamespaceTable). */
    readonly colocateWith?: string | undefined;
    /** false: no primary key and unique chunk_id until addKeyConstraints (a bulk copy loads first). */
    readonly keys?: boolean;
  },
): Promise<void> {
  await executor.execute(
    createTableSql(options.tableName, {
      ...options,
      text_search_config: options.textSearchConfig ?? DEFAULT_TEXT_SEARCH_CONFIG,
    }),
  );
  if (options.distributed) await distributeNamespaceTable(executor, options);
}

/** The primary key and unique chunk_id of a table created with `keys: false` (fails on duplicate keys). */
export async function addKeyConstraints(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<void> {
  await executor.execute(addKeyConstraintsSql(tableName));
}

/**
 * Builds the filter and keyword indexes of a namespace table (idempotent; an adopted or older
 * table first gets the keyword column); cheaper after a bulk copy than before. The table then is
 * at CURRENT_TABLE_VERSION.
 */
export async function indexTable(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
  textSearchConfig: string = DEFAULT_TEXT_SEARCH_CONFIG,
): Promise<void> {
  await executor.execute(addKeywordsColumnSql(tableName, textSearchConfig));
  for (const statement of createFilterIndexesSql(tableName)) await executor.execute(statement);
}

/** A table without a registry row (the seed system's, or made by hand) that has the schema's columns. */
async function assertAdoptable(executor: Executor, registration: NamespaceRegistration): Promise<void> {
  const { tableName, dimensions, storage } = registration;
  const adopted = await tableEmbeddingColumn(executor, tableName);
  if (adopted?.dimensions !== dimensions || adopted.storage !== storage) {
    const found =
      adopted === undefined ? 'no vector embedding column' : `${adopted.storage}(${adopted.dimensions})`;
    throw tableConflict(
      `Table ${tableName} already exists with ${found}, not ${storage}(${dimensions}); it is not a namespace this tool can adopt. Rename or drop it first.`,
      { table_name: tableName, dimensions: adopted?.dimensions ?? null, storage: adopted?.storage ?? null },
    );
  }
  const columns = await tableColumns(executor, tableName);
  const missing = NAMESPACE_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw tableConflict(
      `Table ${tableName} already exists but lacks the namespace columns ${missing.join(', ')}, so rows could not be written to it. Rename it and migrate its rows into a new namespace, or drop it first.`,
      { table_name: tableName, missing_columns: missing },
    );
  }
}

/**
 * Creates the namespace (table, indexes, registry row) in one transaction, or returns the existing
 * one when it was created with the same dimensions and model; adopts an unregistered table of the
 * namespace schema. Safe when several connections race: the namespace's advisory lock serialises them.
 */
export async function createNamespaceEntry(
  db: Database,
  options: CreateNamespaceOptions,
): Promise<{ readonly created: boolean; readonly entry: RegistryEntry }> {
  let registration = registrationOf(options);
  const { namespace, tableName } = registration;
  return db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace);
    const existing = await readEntry(tx, namespace);
    if (existing !== undefined) {
      assertEmbeddingCompatible(existing.record, options);
      assertSameStorage(existing.record, options.storage);
      return { created: false, entry: existing };
    }
    if (registration.textSearchConfig !== undefined)
      await validateTextSearchConfig(tx, registration.textSearchConfig);
    // A registry row whose table is gone is stale: replace it.
    await unregisterNamespace(tx, namespace);
    if (await tableExists(tx, tableName)) {
      // A table adopted without a storage named keeps its own.
      const adopted = await tableEmbeddingColumn(tx, tableName);
      if (options.storage === undefined && adopted !== undefined) {
        registration = registrationOf({ ...options, storage: adopted.storage });
      }
      await assertAdoptable(tx, registration);
      if (isCitus(db)) await distributeNamespaceTable(tx, { tableName });
    } else {
      await createNamespaceTable(tx, { ...registration, distributed: isCitus(db) });
    }
    await indexTable(tx, tableName, registration.textSearchConfig);
    if (registration.indexThreshold === 0) {
      await buildVectorIndex(tx, {
        tableName,
        type: registration.indexType,
        params: registration.indexParams,
        storage: registration.storage,
        dimensions: registration.dimensions,
      });
    }
    await registerNamespace(tx, registration);
    return { created: true, entry: await requireEntry(tx, namespace) };
  });
}

/** createNamespaceEntry for callers that only want the registry entry. */
export async function createNamespace(
  db: Database,
  options: CreateNamespaceOptions,
): Promise<{ readonly created: boolean; readonly namespace: NamespaceRecord }> {
  const { created, entry } = await createNamespaceEntry(db, options);
  return { created, namespace: entry.record };
}

/** Drops the namespace's table and registry row in one transaction. Needs `{ confirm: true }`. */
export async function dropNamespace(
  db: Database,
  namespace: string,
  options: { readonly confirm?: boolean } = {},
): Promise<boolean> {
  const tableName = getTableName(namespace);
  if (options.confirm !== true) {
    throw confirmationRequired(
      `Dropping namespace "${namespace}" deletes data and needs explicit confirmation: pass { confirm: true }.`,
      {
        details: { action: 'drop_namespace', namespace },
      },
    );
  }
  return db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace);
    const registered = await getNamespace(tx, namespace);
    const exists = await tableExists(tx, tableName);
    if (registered === undefined && !exists) throw namespaceNotFound(namespace);
    if (exists) await tx.execute(sql`DROP TABLE ${ident(tableName)}`);
    await unregisterNamespace(tx, namespace);
    return true;
  });
}

/**
 * Drops a namespace only while its table holds no row: undoes a creation whose first write never
 * came (an ingest creates the namespace while its first embedding requests are out, and the
 * provider failed). The table is locked before it is checked, so a write still in flight from
 * elsewhere commits first and keeps it. Returns whether it dropped the namespace.
 */
export async function dropEmptyNamespace(db: Database, namespace: string): Promise<boolean> {
  const tableName = getTableName(namespace);
  return db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace);
    if (!(await tableExists(tx, tableName))) return false;
    await tx.execute(sql`LOCK TABLE ${ident(tableName)} IN ACCESS EXCLUSIVE MODE`);
    const row = await queryRow<{ empty: boolean }>(
      tx,
      sql`SELECT NOT EXISTS (SELECT 1 FROM ${ident(tableName)}) AS empty`,
    );
    if (row?.empty !== true) return false;
    await tx.execute(sql`DROP TABLE ${ident(tableName)}`);
    await unregisterNamespace(tx, namespace);
    return true;
  });
}
