// What the CLI and the server need from the lower packages, so apps depend on the pipeline only.

export { DjeError, type ErrorKind, exitCodeOf, exitCodes, httpStatusOf } from '@dynamic-embeddings/core';
export {
  type BackupInfo,
  type ClusterRebalance,
  type CollectionStats,
  type CollectionSummary,
  type ConnectOptions,
  connect,
  type Database,
  DEFAULT_DATA_DIR,
  type EmbeddingRecord,
  type Filter,
  type FusionWeights,
  getNamespace,
  isValidNamespaceName,
  type ModePlan,
  type NamespaceDistribution,
  type NamespaceInfo,
  type NamespaceMove,
  type NamespaceRecord,
  type NamespaceStats,
  type RecallMeasurement,
  redactUrl,
  SEARCH_MODES,
  type SearchMode,
  type SearchPlan,
  type SearchTuningRecord,
  type VectorIndexParams,
  type VectorIndexType,
  type VectorStore,
  validateNamespaceName,
} from '@dynamic-embeddings/db';
export {
  type CreateProviderOptions,
  createLocalProvider,
  createOpenAIProvider,
  createProvider,
  type EmbeddingProvider,
  localModel,
  type ProviderName,
  providerNames,
} from '@dynamic-embeddings/embeddings';
export { type ChunkLimits, chunkLimits } from './chunk-options.js';
export * from './chunking.js';
export { createPipeline } from './create-pipeline.js';
export type {
  CreateNamespaceOptions,
  CreatePipelineOptions,
  DocumentResult,
  EmbeddingPipeline,
  IngestInput,
  IngestOptions,
  IngestResult,
  MeasureRecallOptions,
  NamespaceOption,
  PhaseTimings,
  ProcessOptions,
  ProgressEvent,
  ReembedOptions,
  ReembedResult,
  SearchHit,
  SearchOptions,
  StreamOptions,
} from './pipeline-types.js';
export { DEFAULT_SEARCH_MODE } from './search-modes.js';
export { MAX_COLLECTION_NAME_LENGTH } from './validate-names.js';
