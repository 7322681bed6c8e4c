// The VectorStore: writes, searches and collection management over namespace tables.
import { DjeError } from '@dynamic-embeddings/core';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { getCollectionStats, listCollections } from './collections.js';
import { type Database, type Executor, queryRow } from './database.js';
import { recordColumns, toEmbeddingRecord } from './embedding-record.js';
import { assertValidVector } from './embedding-vector.js';
import { compileFilter } from './filters.js';
import { ident, validateNamespaceName } from './identifiers.js';
import { buildIndexIfDue, deferIndexForLoad } from './index-policy.js';
import { inCollection, type NamespaceTable, tableByName } from './namespace-table.js';
import {
  assertEmbeddingCompatible,
  type CreateNamespaceOptions,
  createNamespace,
  dropBackup,
  dropNamespace,
  getNamespace,
  getNamespaceStats,
  listBackups,
  listNamespaces,
  type NamespaceRecord,
  namespaceNotFound,
  requireNamespace,
} from './namespaces.js';
import { type PreparedRow, prepareRecords } from './prepare-records.js';
import { searchNearest } from './similarity-search.js';
import type {
  CreateVectorStoreOptions,
  DocumentOptions,
  EmbeddingIdentity,
  EmbeddingInput,
  InsertOptions,
  InsertResult,
  NamespaceOption,
  SearchOptions,
  VectorStore,
} from './vector-store-types.js';
import { writeRows } from './write-rows.js';
import { runWriteTransaction } from './write-transaction.js';

/** How long a search may reuse a namespace's registry entry before reading it again. */
const SEARCH_REGISTRY_TTL_MS = 2_000;

export const DEFAULT_NAMESPACE = 'default';
/** Rows per write transaction: bounds memory (a 1536-d batch encodes to ~31 MB) and lock time. */
export const DEFAULT_INSERT_BATCH_SIZE = 5_000;
export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 1000;

function invalidArgument(name: string, rule: string, value: unknown): DjeError {
  return new DjeError({
    code: 'INVALID_ARGUMENT',
    kind: 'validation',
    message: `${name} ${rule} (got ${JSON.stringify(value) ?? String(value)}).`,
    details: { argument: name },
  });
}

function requireText(name: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw invalidArgument(name, `must be a non-empty string of at most ${maxLength} characters`, value);
  }
  return value;
}

function validateIdentity(embedding: EmbeddingIdentity | undefined): EmbeddingIdentity | undefined {
  if (embedding === undefined) return undefined;
  const { dimensions, provider, model } = embedding;
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16000) {
    throw new DjeError({
      code: 'INVALID_DIMENSIONS',
      kind: 'validation',
      message: `embedding.dimensions must be an integer from 1 to 16000, got ${dimensions}.`,
    });
  }
  requireText('embedding.provider', provider, 100);
  requireText('embedding.model', model, 255);
  return embedding;
}

function invalidRecordField(options: {
  readonly index: number;
  readonly field: string;
  readonly expected: string;
  readonly actual: unknown;
}): DjeError {
  return new DjeError({
    code: 'INVALID_RECORD',
    kind: 'validation',
    message: `records[${options.index}].${options.field} is ${JSON.stringify(options.actual)}, but replaceDocument was asked to replace ${options.field} ${JSON.stringify(options.expected)}; nothing was written.`,
    details: { index: options.index, field: options.field },
  });
}

/** Splits `rows` into consecutive batches of at most `size`. */
function batches<Item>(rows: readonly Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < rows.length; start += size) result.push(rows.slice(start, start + size));
  return result;
}

async function countDeleted(
  executor: Pick<Executor, 'execute'>,
  options: { readonly tableName: string; readonly where: SQL },
): Promise<number> {
  const row = await queryRow<{ count: number }>(
    executor,
    sql`WITH deleted AS (DELETE FROM ${ident(options.tableName)} WHERE ${options.where} RETURNING 1)
        SELECT count(*)::int AS count FROM deleted`,
  );
  return row?.count ?? 0;
}

/**
 * Creates a VectorStore over `db`. With `embedding`, writes auto-create missing namespaces for that
 * model, and writes and searches refuse namespaces created for another model.
 */
export function createVectorStore(db: Database, options: CreateVectorStoreOptions = {}): VectorStore {
  const defaultNamespace = validateNamespaceName(options.namespace ?? DEFAULT_NAMESPACE);
  const embedding = validateIdentity(options.embedding);

  const namespaceOf = (option: NamespaceOption | undefined): string =>
    validateNamespaceName(option?.namespace ?? defaultNamespace);

  const tableOf = (record: NamespaceRecord): NamespaceTable =>
    tableByName(record.table_name, record.dimensions);

  /** A namespace to search or write: it exists and, with an identity, was made for that model. */
  async function compatibleNamespace(namespace: string): Promise<NamespaceRecord> {
    const record = await requireNamespace(db.orm, namespace);
    if (embedding !== undefined) assertEmbeddingCompatible(record, embedding);
    searchRegistry.set(namespace, { record, until: Date.now() + SEARCH_REGISTRY_TTL_MS });
    return record;
  }

  /**
   * Searches reuse a registry entry read in the last moments instead of reading it on every call.
   * A stale entry (namespace dropped or recreated elsewhere) makes the query fail, and the search
   * is then retried once with a fresh entry.
   */
  const searchRegistry = new Map<string, { readonly record: NamespaceRecord; readonly until: number }>();
  async function withSearchNamespace<Result>(
    namespace: string,
    search: (record: NamespaceRecord) => Promise<Result>,
  ): Promise<Result> {
    const cached = searchRegistry.get(namespace);
    if (cached === undefined || cached.until < Date.now())
      return search(await compatibleNamespace(namespace));
    try {
      return await search(cached.record);
    } catch {
      searchRegistry.delete(namespace);
      return search(await compatibleNamespace(namespace));
    }
  }

  /**
   * Validates the records against the namespace (or, when it is missing, the store's identity)
   * and only then creates a missing namespace, so rejected input leaves nothing behind.
   */
  async function prepareWrite(
    namespace: string,
    records: readonly EmbeddingInput[],
  ): Promise<{ readonly record: NamespaceRecord | undefined; readonly rows: PreparedRow[] }> {
    const existing = await getNamespace(db.orm, namespace);
    if (existing !== undefined && embedding !== undefined) assertEmbeddingCompatible(existing, embedding);
    if (existing === undefined && embedding === undefined) throw namespaceNotFound(namespace);
    const dimensions = existing?.dimensions ?? (embedding as EmbeddingIdentity).dimensions;
    const rows = prepareRecords({ records, dimensions, namespace });
    if (existing !== undefined || rows.length === 0) return { record: existing, rows };
    const created = await createNamespace(db, { namespace, ...(embedding as EmbeddingIdentity) });
    return { record: created.namespace, rows };
  }

  async function insertEmbeddings(
    records: readonly EmbeddingInput[],
    insertOptions: InsertOptions = {},
  ): Promise<InsertResult> {
    const namespace = namespaceOf(insertOptions);
    const batchSize = insertOptions.batchSize ?? DEFAULT_INSERT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw invalidArgument('batchSize', 'must be a whole number ≥ 1', batchSize);
    }
    const { record, rows } = await prepareWrite(namespace, records);
    if (record === undefined || rows.length === 0) return { inserted: 0, updated: 0, index_built: false };
    const deferred = await deferIndexForLoad(db, { namespace: record, incomingRows: rows.length });
    let inserted = 0;
    let updated = 0;
    try {
      for (const batch of batches(rows, batchSize)) {
        const counts = await runWriteTransaction(db, (transaction) =>
          writeRows({
            transaction,
            tableName: record.table_name,
            dimensions: record.dimensions,
            rows: batch,
          }),
        );
        inserted += counts.inserted;
        updated += counts.updated;
        insertOptions.onProgress?.({ done: inserted + updated, total: rows.length });
      }
    } catch (error) {
      // The index was dropped for this load: restore it even though the load failed.
      if (deferred) await buildIndexIfDue(db, { namespace: record, restore: true }).catch(() => {});
      throw error;
    }
    return {
      inserted,
      updated,
      index_built: await buildIndexIfDue(db, { namespace: record, restore: deferred }),
    };
  }

  /** The namespace's table and `column = value` within the options' collection, if one is given. */
  async function documentScope(
    options: DocumentOptions,
    column: 'chunk_id' | 'document_id',
    value: string,
  ): Promise<{ readonly record: NamespaceRecord; readonly table: NamespaceTable; readonly where: SQL }> {
    const record = await requireNamespace(db.orm, namespaceOf(options));
    const table = tableOf(record);
    const label = column === 'chunk_id' ? 'chunkId' : 'documentId';
    const where = and(
      eq(table[column], requireText(label, value, 512)),
      inCollection(table, options.collectionName),
    ) as SQL;
    return { record, table, where };
  }

  /** The model a call asks for: its own options, else the store's embedding identity. */
  const wantedModel = (
    options: Partial<Pick<CreateNamespaceOptions, 'dimensions' | 'provider' | 'model'>>,
  ) => ({
    dimensions: options.dimensions ?? embedding?.dimensions,
    provider: options.provider ?? embedding?.provider,
    model: options.model ?? embedding?.model,
  });

  const store: VectorStore = {
    db,
    namespace: defaultNamespace,
    embedding,

    async checkNamespace(checkOptions = {}) {
      const existing = await getNamespace(db.orm, namespaceOf(checkOptions));
      if (existing !== undefined) assertEmbeddingCompatible(existing, wantedModel(checkOptions));
      return existing;
    },

    async ensureNamespace(ensureOptions = {}) {
      const namespace = namespaceOf(ensureOptions);
      const existing = await store.checkNamespace(ensureOptions);
      if (existing !== undefined) return existing;
      const { dimensions, provider, model } = wantedModel(ensureOptions);
      if (dimensions === undefined || provider === undefined || model === undefined) {
        throw namespaceNotFound(namespace);
      }
      const created = await createNamespace(db, {
        ...ensureOptions,
        namespace,
        dimensions,
        provider,
        model,
      });
      return created.namespace;
    },

    createNamespace: (createOptions) => createNamespace(db, createOptions),
    listNamespaces: () => listNamespaces(db),
    getNamespaceStats: (namespace) => getNamespaceStats(db, namespace ?? defaultNamespace),
    dropNamespace: (namespace, dropOptions) => {
      searchRegistry.delete(namespace);
      return dropNamespace(db, namespace, dropOptions);
    },
    listBackups: () => listBackups(db),
    dropBackup: (tableName, dropOptions) => dropBackup(db, tableName, dropOptions),

    insertEmbedding: (record, insertOptions) => insertEmbeddings([record], insertOptions),
    insertEmbeddings,

    async replaceDocument(replaceOptions) {
      const namespace = namespaceOf(replaceOptions);
      const documentId = requireText('documentId', replaceOptions.documentId, 512);
      const collectionName = requireText('collectionName', replaceOptions.collectionName, 255);
      const records = replaceOptions.records;
      if (!Array.isArray(records)) throw invalidArgument('records', 'must be an array', typeof records);
      records.forEach((input, index) => {
        if (input?.document_id !== documentId) {
          throw invalidRecordField({
            index,
            field: 'document_id',
            expected: documentId,
            actual: input?.document_id,
          });
        }
        if (input.collection_name !== collectionName) {
          throw invalidRecordField({
            index,
            field: 'collection_name',
            expected: collectionName,
            actual: input.collection_name,
          });
        }
      });
      const { record, rows } = await prepareWrite(namespace, records);
      if (record === undefined) return { written: 0, deleted: 0 };
      const table = tableOf(record);
      const deferred = await deferIndexForLoad(db, { namespace: record, incomingRows: rows.length });
      try {
        const result = await runWriteTransaction(db, async (transaction) => {
          await writeRows({ transaction, tableName: record.table_name, dimensions: record.dimensions, rows });
          const chunkIds = rows.map((row) => row.chunk_id);
          const deleted = await countDeleted(transaction.orm, {
            tableName: record.table_name,
            where: and(
              eq(table.document_id, documentId),
              eq(table.collection_name, collectionName),
              // One array parameter, however many chunks the document has.
              sql`NOT (${table.chunk_id} = ANY(${sql.param(chunkIds)}::text[]))`,
            ) as SQL,
          });
          return { written: rows.length, deleted };
        });
        await buildIndexIfDue(db, { namespace: record, restore: deferred });
        return result;
      } catch (error) {
        if (deferred) await buildIndexIfDue(db, { namespace: record, restore: true }).catch(() => {});
        throw error;
      }
    },

    async getDocumentVectors(documentId, documentOptions: DocumentOptions = {}) {
      const { table, where } = await documentScope(documentOptions, 'document_id', documentId);
      const rows = await db.orm
        .select({ text_hash: table.text_hash, embedding: table.embedding })
        .from(table)
        .where(where);
      return new Map(rows.map((row) => [row.text_hash, Float32Array.from(row.embedding)]));
    },

    async similaritySearch(searchOptions: SearchOptions) {
      return withSearchNamespace(namespaceOf(searchOptions), (record) => {
        const vector = assertValidVector({
          vector: searchOptions.vector,
          dimensions: record.dimensions,
          namespace: record.namespace,
          label: 'vector',
        });
        const limit = searchOptions.limit ?? DEFAULT_SEARCH_LIMIT;
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
          throw invalidArgument('limit', `must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`, limit);
        }
        const threshold = searchOptions.threshold;
        if (searchOptions.exact !== undefined && typeof searchOptions.exact !== 'boolean') {
          throw invalidArgument('exact', 'must be true or false', searchOptions.exact);
        }
        if (
          threshold !== undefined &&
          (typeof threshold !== 'number' || !(threshold >= -1 && threshold <= 1))
        ) {
          throw invalidArgument('threshold', 'must be a cosine similarity from -1 to 1', threshold);
        }
        const collectionName =
          searchOptions.collectionName === undefined
            ? undefined
            : requireText('collectionName', searchOptions.collectionName, 255);
        return searchNearest(db, {
          namespace: record,
          vector,
          limit,
          collectionName,
          threshold,
          filter:
            searchOptions.filters === undefined
              ? undefined
              : compileFilter(tableOf(record), searchOptions.filters),
          includeVectors: searchOptions.includeVectors === true,
          exact: searchOptions.exact === true,
        });
      });
    },

    async getByChunkId(chunkId, documentOptions: DocumentOptions = {}) {
      const { table, where } = await documentScope(documentOptions, 'chunk_id', chunkId);
      const rows = await db.orm
        .select(recordColumns(table, documentOptions.includeVectors === true))
        .from(table)
        .where(where);
      return rows[0] === undefined ? undefined : toEmbeddingRecord(rows[0]);
    },

    async getByDocumentId(documentId, documentOptions: DocumentOptions = {}) {
      const { table, where } = await documentScope(documentOptions, 'document_id', documentId);
      const rows = await db.orm
        .select(recordColumns(table, documentOptions.includeVectors === true))
        .from(table)
        .where(where)
        .orderBy(asc(table.id));
      return rows.map(toEmbeddingRecord);
    },

    async deleteByDocument(documentId, documentOptions: DocumentOptions = {}) {
      const { record, where } = await documentScope(documentOptions, 'document_id', documentId);
      return countDeleted(db.orm, { tableName: record.table_name, where });
    },

    async deleteByCollection(collectionName, namespaceOptions) {
      const record = await requireNamespace(db.orm, namespaceOf(namespaceOptions));
      return countDeleted(db.orm, {
        tableName: record.table_name,
        where: eq(tableOf(record).collection_name, requireText('collectionName', collectionName, 255)),
      });
    },

    async listCollections(namespaceOptions) {
      return listCollections(db.orm, await requireNamespace(db.orm, namespaceOf(namespaceOptions)));
    },

    async getCollectionStats(collectionName, namespaceOptions) {
      const namespace = await requireNamespace(db.orm, namespaceOf(namespaceOptions));
      return getCollectionStats(db.orm, {
        namespace,
        collectionName: requireText('collectionName', collectionName, 255),
      });
    },

    deleteCollection: (collectionName, namespaceOptions) =>
      store.deleteByCollection(collectionName, namespaceOptions),
  };
  return store;
}
