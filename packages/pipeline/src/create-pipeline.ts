import { wholeNumberOption } from '@dynamic-embeddings/core';
import {
  connect,
  createVectorStore,
  type Database,
  distributeNamespace,
  moveNamespace,
  openNamespace,
  rebalanceCluster,
  reindexNamespace,
  setRecallTarget,
  validateNamespaceName,
} from '@dynamic-embeddings/db';
import { createLocalProvider } from '@dynamic-embeddings/embeddings';
import { defaultIndexPolicy, withIndexDefaults } from './index-policy.js';
import { ingest } from './ingest.js';
import type { PipelineContext } from './pipeline-context.js';
import type { CreatePipelineOptions, EmbeddingPipeline } from './pipeline-types.js';
import { reembedNamespace } from './reembed-namespace.js';
import { searchSimilar } from './search-similar.js';

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
  const namespaceOf: NamespaceOf = (override) =>
    override === undefined ? namespace : validateNamespaceName(override);

  const pipeline: EmbeddingPipeline = {
    namespace,
    provider,
    store,
    db,

    async setupDatabase(setupOptions) {
      return store.ensureNamespace({ ...newNamespaces, namespace: namespaceOf(setupOptions?.namespace) });
    },

    ...ingestMethods(context, namespaceOf),

    searchSimilar: async (queryText, searchOptions = {}) =>
      (await pipeline.searchWithPlan(queryText, searchOptions)).hits,
    searchWithPlan: (queryText, searchOptions = {}) =>
      searchSimilar(context, queryText, {
        ...searchOptions,
        namespace: namespaceOf(searchOptions.namespace),
      }),

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
    reindexNamespace: async (name) => reindexNamespace(db, namespaceOf(name)),
    measureRecall: async ({ namespace: name, ...recallOptions } = {}) =>
      (await openNamespace(db, namespaceOf(name))).measureRecall(recallOptions),
    calibrateNamespace: async ({ namespace: name, ...recallOptions } = {}) =>
      (await openNamespace(db, namespaceOf(name))).calibrate(recallOptions),
    setRecallTarget: async (target, targetOptions = {}) =>
      setRecallTarget(db, namespaceOf(targetOptions.namespace), target),
    reembedNamespace: async (reembedOptions) => reembedNamespace(context, reembedOptions),
    moveNamespace: async (name, moveOptions) =>
      moveNamespace(db, { namespace: validateNamespaceName(name), to: moveOptions.to }),
    distributeNamespace: async (name, distributeOptions) =>
      distributeNamespace(db, { namespace: validateNamespaceName(name), shards: distributeOptions.shards }),
    rebalanceCluster: async () => rebalanceCluster(db),
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
  return pipeline;
}

type NamespaceOf = (override: string | undefined) => string;

/** The ingest methods: each is the one ingest path with its inputs. */
function ingestMethods(
  context: PipelineContext,
  namespaceOf: NamespaceOf,
): Pick<EmbeddingPipeline, 'ingest' | 'processJsonData' | 'processJsonFile' | 'processJsonStream'> {
  return {
    ingest: async (inputs, ingestOptions) =>
      ingest(context, inputs, { ...ingestOptions, namespace: namespaceOf(ingestOptions.namespace) }),

    async processJsonData(data, { documentId, ...processOptions }) {
      return ingest(context, [{ kind: 'data', data, documentId }], {
        ...processOptions,
        namespace: namespaceOf(processOptions.namespace),
      });
    },

    async processJsonFile(filePath, { documentId, ...processOptions }) {
      return ingest(
        context,
        [{ kind: 'file', path: filePath, ...(documentId === undefined ? {} : { documentId }) }],
        { ...processOptions, namespace: namespaceOf(processOptions.namespace) },
      );
    },

    async processJsonStream(stream, { documentId, source, ...streamOptions }) {
      const input = {
        kind: 'stream' as const,
        stream,
        ...(documentId === undefined ? {} : { documentId }),
        ...(source === undefined ? {} : { source }),
      };
      return ingest(context, [input], { ...streamOptions, namespace: namespaceOf(streamOptions.namespace) });
    },
  };
}
