import { wholeNumberOption } from '@dynamic-embeddings/core';
import {
  connect,
  createVectorStore,
  type Database,
  openNamespace,
  validateNamespaceName,
} from '@dynamic-embeddings/db';
import { createLocalProvider, embedAll } from '@dynamic-embeddings/embeddings';
import { checkQuery } from './check-query.js';
import { defaultIndexPolicy, withIndexDefaults } from './index-policy.js';
import { ingestDocument } from './ingest-document.js';
import { ingestStream } from './ingest-stream.js';
import type { PipelineContext } from './pipeline-context.js';
import type { CreatePipelineOptions, EmbeddingPipeline, SearchHit } from './pipeline-types.js';
import { documentIdOfFile, readJsonFile } from './read-json-file.js';

const defaultConcurrency = 4;

/**
 * Composes chunking, an embedding provider and a vector store. Connects to `databaseUrl` (embedded
 * PGlite in ./.dje/pgdata by default) unless an open `db` is given; only a database the pipeline
 * opened is closed by `close()`.
 */
export async function createPipeline(options: CreatePipelineOptions = {}): Promise<EmbeddingPipeline> {
  const namespace = validateNamespaceName(options.namespace ?? 'default');
  const concurrency = wholeNumberOption({
    name: 'concurrency',
    value: options.concurrency,
    fallback: defaultConcurrency,
    minimum: 1,
  });
  const provider = options.provider ?? createLocalProvider();
  const ownsDatabase = options.db === undefined;
  const db: Database = options.db ?? (await connect(options.databaseUrl, options.connectOptions));
  const store = createVectorStore(db, {
    namespace,
    embedding: { provider: provider.provider, model: provider.model, dimensions: provider.dimensions },
  });
  const newNamespaces = withIndexDefaults(defaultIndexPolicy(db), options.newNamespaces);
  const context: PipelineContext = { provider, store, concurrency, config: options.config, newNamespaces };
  const namespaceOf = (override: string | undefined) =>
    override === undefined ? namespace : validateNamespaceName(override);

  return {
    namespace,
    provider,
    store,
    db,

    async setupDatabase(setupOptions) {
      return store.ensureNamespace({ ...newNamespaces, namespace: namespaceOf(setupOptions?.namespace) });
    },

    async processJsonData(data, processOptions) {
      return ingestDocument(context, data, {
        ...processOptions,
        namespace: namespaceOf(processOptions.namespace),
      });
    },

    async processJsonFile(filePath, processOptions) {
      const data = await readJsonFile(filePath);
      return ingestDocument(context, data, {
        ...processOptions,
        documentId: processOptions.documentId ?? documentIdOfFile(filePath),
        namespace: namespaceOf(processOptions.namespace),
      });
    },

    async processJsonStream(stream, streamOptions) {
      return ingestStream(context, stream, {
        ...streamOptions,
        namespace: namespaceOf(streamOptions.namespace),
      });
    },

    async searchSimilar(queryText, searchOptions = {}) {
      const searchNamespace = namespaceOf(searchOptions.namespace);
      const query = await checkQuery(queryText, provider);
      // Checked before the provider is called: a missing namespace or a model mismatch should
      // cost no embedding request.
      // One registry read: the handle checks the model and then searches its table directly.
      const handle = await openNamespace(db, searchNamespace, { embedding: provider });
      const [vector] = await embedAll(provider, [query], { signal: searchOptions.signal });
      const results = await handle.search({
        vector: vector!,
        limit: searchOptions.limit,
        collectionName: searchOptions.collectionName,
        threshold: searchOptions.threshold,
        filters: searchOptions.filters,
        ...(searchOptions.exact === undefined ? {} : { exact: searchOptions.exact }),
      });
      return results.map(([record, similarity]): SearchHit => {
        const { embedding: _vector, ...row } = record;
        return { ...row, similarity };
      });
    },

    async createNamespace(name, createOptions = {}) {
      return store.createNamespace({
        namespace: name,
        dimensions: provider.dimensions,
        provider: provider.provider,
        model: provider.model,
        ...withIndexDefaults(newNamespaces, createOptions),
      });
    },
    // Every method is async so that bad arguments reject like any other failure, never throw.
    listNamespaces: async () => store.listNamespaces(),
    getNamespaceStats: async (name) => store.getNamespaceStats(namespaceOf(name)),
    dropNamespace: async (name, dropOptions) => store.dropNamespace(name, dropOptions),
    listBackups: async () => store.listBackups(),
    dropBackup: async (tableName, dropOptions) => store.dropBackup(tableName, dropOptions),

    listCollections: async (listOptions) =>
      store.listCollections({ namespace: namespaceOf(listOptions?.namespace) }),
    getCollectionStats: async (collectionName, statsOptions) =>
      store.getCollectionStats(collectionName, { namespace: namespaceOf(statsOptions?.namespace) }),
    deleteCollection: async (collectionName, deleteOptions) =>
      store.deleteCollection(collectionName, { namespace: namespaceOf(deleteOptions?.namespace) }),
    getDocument: async (documentId, documentOptions = {}) =>
      store.getByDocumentId(documentId, {
        ...documentOptions,
        namespace: namespaceOf(documentOptions.namespace),
      }),
    deleteDocument: async (documentId, documentOptions = {}) =>
      store.deleteByDocument(documentId, {
        ...documentOptions,
        namespace: namespaceOf(documentOptions.namespace),
      }),

    async close() {
      if (ownsDatabase) await db.close();
    },
  };
}
