export {
  type AddDocumentsOptions,
  type DeleteParams,
  DynamicEmbeddingsStore,
  type DynamicEmbeddingsStoreConfig,
} from './dynamic-embeddings-store.js';
export { ProviderEmbeddings, toLangChainEmbeddings } from './langchain-embeddings.js';
export { fromLangChainEmbeddings, type LangChainProviderOptions, modelNameOf } from './langchain-provider.js';
export { type MetadataFilter, toDatabaseFilter } from './metadata-filter.js';
