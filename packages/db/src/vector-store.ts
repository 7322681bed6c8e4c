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

/**
 * Creates a VectorStore over `db`. With `embedding`, writes auto-create missing namespaces for that
 * model, and writes and searches refuse namespaces created for another model.
 */
export function createVectorStore(db: Database, options: CreateVectorStoreOptions = {}): VectorStore {
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

  const store: VectorStore = {
    db,
    namespace: defaultNamespace,
    embedding,

    async checkNamespace(checkOptions = {}) {
      const entry = await readEntry(db.orm, namespaceOf(checkOptions));
      if (entry !== undefined) assertEmbeddingCompatible(entry.record, wantedModel(checkOptions));
      return entry?.record;
    },

    async ensureNamespace(ensureOptions = {}) {
      const namespace = namespaceOf(ensureOptions);
      const existing = await store.checkNamespace(ensureOptions);
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

    insertEmbedding: (record, insertOptions) => store.insertEmbeddings([record], insertOptions),
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
    getDocumentVectors: async (documentId, documentOptions) =>
      (await handleOf(documentOptions)).storedVectors(documentId, documentOptions),
    similaritySearch: async (searchOptions) =>
      (await openNamespace(db, namespaceOf(searchOptions), { embedding })).search(searchOptions),
    getByChunkId: async (chunkId, documentOptions) =>
      (await handleOf(documentOptions)).getByChunkId(chunkId, documentOptions),
    getByDocumentId: async (documentId, documentOptions) =>
      (await handleOf(documentOptions)).getByDocumentId(documentId, documentOptions),
    deleteByDocument: async (documentId, documentOptions) =>
      (await handleOf(documentOptions)).deleteByDocument(documentId, documentOptions),
    deleteByCollection: async (collectionName, namespaceOptions) =>
      (await handleOf(namespaceOptions)).deleteByCollection(collectionName),
    listCollections: async (namespaceOptions) => (await handleOf(namespaceOptions)).listCollections(),
    getCollectionStats: async (collectionName, namespaceOptions) =>
      (await handleOf(namespaceOptions)).getCollectionStats(collectionName),
    deleteCollection: (collectionName, namespaceOptions) =>
      store.deleteByCollection(collectionName, namespaceOptions),
  };
  return store;
}
