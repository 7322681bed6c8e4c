// The VectorStore: name-keyed conveniences over namespace handles. Each call opens a handle (one
// registry read) and runs on it; code that makes many calls on one namespace should hold a handle
// (openNamespace) instead.

import { dropBackup, listBackups } from './backup-registry.js';
import type { Database } from './database.js';
import { namespaceNotFound, requireText, validateDimensions } from './db-errors.js';
import { validateNamespaceName } from './identifiers.js';
import { bindNamespace, findNamespace, type NamespaceHandle, openNamespace } from './namespace-handle.js';
import { getNamespaceStats, listNamespaces } from './namespace-listing.js';
import {
  assertEmbeddingCompatible,
  createNamespace,
  createNamespaceEntry,
  dropNamespace,
  readEntry,
} from './namespace-registry.js';
import { checkReplace } from './namespace-writes.js';
import { prepareRecords } from './prepare-records.js';
import type { CreateNamespaceOptions } from './registry-types.js';
import type {
  CreateVectorStoreOptions,
  EmbeddingIdentity,
  EmbeddingInput,
  NamespaceOption,
  VectorStore,
} from './vector-store-types.js';

export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from './namespace-handle.js';
export { DEFAULT_INSERT_BATCH_SIZE } from './namespace-writes.js';
export const DEFAULT_NAMESPACE = 'default';

function validateIdentity(embedding: EmbeddingIdentity | undefined): EmbeddingIdentity | undefined {
  if (embedding === undefined) return undefined;
  validateDimensions(embedding.dimensions, 'embedding.dimensions');
  requireText('embedding.provider', embedding.provider, 100);
  requireText('embedding.model', embedding.model, 255);
  return embedding;
}

/** What every group of store methods shares: the database, the defaults, how a call finds its namespace. */
function createScope(db: Database, options: CreateVectorStoreOptions) {
  const defaultNamespace = validateNamespaceName(options.namespace ?? DEFAULT_NAMESPACE);
  const embedding = validateIdentity(options.embedding);

  const namespaceOf = (option: NamespaceOption | undefined): string =>
    validateNamespaceName(option?.namespace ?? defaultNamespace);
  /** Reads and deletes work whatever model made the namespace; searches must use its model. */
  const handleOf = (option: NamespaceOption | undefined): Promise<NamespaceHandle> =>
    openNamespace(db, namespaceOf(option));

  /**
   * A handle to write `records` to: the namespace, or — when it is missing and the store knows its
   * model — a new one, created only after the records validated, so rejected input leaves nothing.
   */
  async function writeHandle(
    option: NamespaceOption | undefined,
    records: readonly EmbeddingInput[],
  ): Promise<NamespaceHandle | undefined> {
    const namespace = namespaceOf(option);
    const existing = await findNamespace(db, namespace, { embedding });
    if (existing !== undefined) return existing;
    if (embedding === undefined) throw namespaceNotFound(namespace);
    if (prepareRecords({ records, dimensions: embedding.dimensions, namespace }).length === 0)
      return undefined;
    const { entry } = await createNamespaceEntry(db, { namespace, ...embedding });
    return bindNamespace(db, entry);
  }

  /** The model a call asks for: its own options, else the store's embedding identity. */
  const wantedModel = (
    options: Partial<Pick<CreateNamespaceOptions, 'dimensions' | 'provider' | 'model'>>,
  ) => ({
    dimensions: options.dimensions ?? embedding?.dimensions,
    provider: options.provider ?? embedding?.provider,
    model: options.model ?? embedding?.model,
  });

  return { db, defaultNamespace, embedding, namespaceOf, handleOf, writeHandle, wantedModel };
}

type StoreScope = ReturnType<typeof createScope>;

type NamespaceMethods =
  | 'checkNamespace'
  | 'ensureNamespace'
  | 'open'
  | 'createNamespace'
  | 'listNamespaces'
  | 'getNamespaceStats'
  | 'dropNamespace'
  | 'listBackups'
  | 'dropBackup';

/** Registry conveniences: check, ensure, open, create, list, inspect and drop namespaces and backups. */
function namespaceMethods(scope: StoreScope): Pick<VectorStore, NamespaceMethods> {
  const { db, defaultNamespace, embedding, namespaceOf, wantedModel } = scope;
  const methods: Pick<VectorStore, NamespaceMethods> = {
    async checkNamespace(checkOptions = {}) {
      const entry = await readEntry(db.orm, namespaceOf(checkOptions));
      if (entry !== undefined) assertEmbeddingCompatible(entry.record, wantedModel(checkOptions));
      return entry?.record;
    },

    async ensureNamespace(ensureOptions = {}) {
      const namespace = namespaceOf(ensureOptions);
      const existing = await methods.checkNamespace(ensureOptions);
      if (existing !== undefined) return existing;
      const { dimensions, provider, model } = wantedModel(ensureOptions);
      if (dimensions === undefined || provider === undefined || model === undefined) {
        throw namespaceNotFound(namespace);
      }
      const created = await createNamespace(db, { ...ensureOptions, namespace, dimensions, provider, model });
      return created.namespace;
    },

    open: (namespace) =>
      openNamespace(db, validateNamespaceName(namespace ?? defaultNamespace), { embedding }),
    createNamespace: (createOptions) => createNamespace(db, createOptions),
    listNamespaces: () => listNamespaces(db),
    getNamespaceStats: (namespace) => getNamespaceStats(db, namespace ?? defaultNamespace),
    dropNamespace: (namespace, dropOptions) => dropNamespace(db, namespace, dropOptions),
    listBackups: () => listBackups(db),
    dropBackup: (tableName, dropOptions) => dropBackup(db, tableName, dropOptions),
  };
  return methods;
}

type WriteMethods = 'insertEmbedding' | 'insertEmbeddings' | 'replaceDocument';

/** Writes: they create a missing namespace when the store knows its model. */
function writeMethods({ writeHandle }: StoreScope): Pick<VectorStore, WriteMethods> {
  const methods: Pick<VectorStore, WriteMethods> = {
    insertEmbedding: (record, insertOptions) => methods.insertEmbeddings([record], insertOptions),
    async insertEmbeddings(records, insertOptions = {}) {
      const handle = await writeHandle(insertOptions, records);
      if (handle === undefined) return { inserted: 0, updated: 0, index_built: false };
      return handle.insert(records, insertOptions);
    },
    async replaceDocument(replaceOptions) {
      checkReplace(replaceOptions);
      const handle = await writeHandle(replaceOptions, replaceOptions.records);
      if (handle === undefined) return { written: 0, deleted: 0 };
      return handle.replaceDocument(replaceOptions);
    },
  };
  return methods;
}

type ReadMethods =
  | 'getDocumentVectors'
  | 'similaritySearch'
  | 'similaritySearchWithPlan'
  | 'getByChunkId'
  | 'getByDocumentId';

/** Reads of one namespace; only the search insists on the store's model. */
function readMethods({ db, embedding, namespaceOf, handleOf }: StoreScope): Pick<VectorStore, ReadMethods> {
  return {
    getDocumentVectors: async (documentId, documentOptions) =>
      (await handleOf(documentOptions)).storedVectors(documentId, documentOptions),
    similaritySearch: async (searchOptions) =>
      (await openNamespace(db, namespaceOf(searchOptions), { embedding })).search(searchOptions),
    similaritySearchWithPlan: async (searchOptions) =>
      (await openNamespace(db, namespaceOf(searchOptions), { embedding })).searchWithPlan(searchOptions),
    getByChunkId: async (chunkId, documentOptions) =>
      (await handleOf(documentOptions)).getByChunkId(chunkId, documentOptions),
    getByDocumentId: async (documentId, documentOptions) =>
      (await handleOf(documentOptions)).getByDocumentId(documentId, documentOptions),
  };
}

type CollectionMethods =
  | 'deleteByDocument'
  | 'deleteByCollection'
  | 'deleteByFilter'
  | 'listCollections'
  | 'getCollectionStats'
  | 'deleteCollection';

/** Deletes by document or collection, and the collection listing and statistics. */
function collectionMethods({ handleOf }: StoreScope): Pick<VectorStore, CollectionMethods> {
  const methods: Pick<VectorStore, CollectionMethods> = {
    deleteByDocument: async (documentId, documentOptions) =>
      (await handleOf(documentOptions)).deleteByDocument(documentId, documentOptions),
    deleteByCollection: async (collectionName, namespaceOptions) =>
      (await handleOf(namespaceOptions)).deleteByCollection(collectionName),
    deleteByFilter: async (filter, documentOptions) =>
      (await handleOf(documentOptions)).deleteByFilter(filter, documentOptions),
    listCollections: async (namespaceOptions) => (await handleOf(namespaceOptions)).listCollections(),
    getCollectionStats: async (collectionName, namespaceOptions) =>
      (await handleOf(namespaceOptions)).getCollectionStats(collectionName),
    deleteCollection: (collectionName, namespaceOptions) =>
      methods.deleteByCollection(collectionName, namespaceOptions),
  };
  return methods;
}

/**
 * Creates a VectorStore over `db`. With `embedding`, writes auto-create missing namespaces for that
 * model, and writes and searches refuse namespaces created for another model.
 */
export function createVectorStore(db: Database, options: CreateVectorStoreOptions = {}): VectorStore {
  const scope = createScope(db, options);
  return {
    db,
    namespace: scope.defaultNamespace,
    embedding: scope.embedding,
    ...namespaceMethods(scope),
    ...writeMethods(scope),
    ...readMethods(scope),
    ...collectionMethods(scope),
  };
}
