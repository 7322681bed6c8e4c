export {
  type BackupRecord,
  dropBackup,
  freeBackupName,
  listBackups,
  retireToBackup,
} from './backup-registry.js';
export { distributeNamespace, type NamespaceDistribution } from './citus-distribute.js';
export { type ClusterRebalance, moveNamespace, type NamespaceMove, rebalanceCluster } from './citus-moves.js';
export {
  clusterWorkers,
  distributeNamespaceTable,
  isCitus,
  type ShardPlacement,
  separateColocation,
  shardPlacements,
} from './citus-placement.js';
export { type ConnectOptions, connect, DEFAULT_DATA_DIR, parseDatabaseUrl, redactUrl } from './connect.js';
export { type Database, type Executor, queryRow, queryRows } from './database.js';
export {
  collectionNotFound,
  confirmationRequired,
  isNamespaceChanged,
  MAX_VECTOR_DIMENSIONS,
  namespaceChanged,
  namespaceNotFound,
} from './db-errors.js';
export {
  type BooleanCondition,
  type ComparisonOperators,
  compileFilter,
  FILTER_FIELDS,
  type Filter,
  filterSchema,
  type MetadataCondition,
  type NumberCondition,
  type PathCondition,
  parseFilter,
  type RangeOperators,
  type StringCondition,
  type TagsCondition,
} from './filters.js';
export {
  assertIdentifier,
  BACKUP_TABLE_PREFIX,
  boundedIdentifier,
  ident,
  isValidNamespaceName,
  MAX_IDENTIFIER_BYTES,
  MAX_NAMESPACE_LENGTH,
  NAMESPACE_TABLE_PREFIX,
  RESERVED_NAMESPACES,
  validateNamespaceName,
} from './identifiers.js';
export {
  INDEX_PROGRESS_INTERVAL_MS,
  type IndexBuildProgress,
  type IndexBuildStart,
  type IndexProgressOptions,
  readIndexBuildProgress,
} from './index-build-progress.js';
export {
  BULK_LOAD_MINIMUM_ROWS,
  buildIndexIfDue,
  deferIndexForLoad,
  shouldBuildIndex,
  shouldDeferIndex,
} from './index-policy.js';
export {
  DEFAULT_TEXT_SEARCH_CONFIG,
  KEYWORDS_COLUMN,
  keywordsExpression,
} from './keyword-column.js';
export type { KeywordPlan } from './keyword-search.js';
export { KEYWORDS_TABLE_VERSION, TOAST_TUPLE_TARGET } from './namespace-ddl.js';
export {
  bindNamespace,
  findNamespace,
  type NamespaceHandle,
  openNamespace,
  openOrCreateNamespace,
  type ScopeOptions,
} from './namespace-handle.js';
export { getNamespaceStats, listNamespaces } from './namespace-listing.js';
export {
  addKeyConstraints,
  assertEmbeddingCompatible,
  createNamespace,
  createNamespaceEntry,
  createNamespaceTable,
  DEFAULT_INDEX_THRESHOLD,
  dropEmptyNamespace,
  dropNamespace,
  getNamespace,
  indexTable,
  lockNamespace,
  type NamespaceRegistration,
  readEntry,
  registerNamespace,
  requireEntry,
  unregisterNamespace,
} from './namespace-registry.js';
export {
  NAMESPACE_COLUMNS,
  type NamespaceTable,
  namespaceTable,
  REQUIRED_COLUMNS,
  type TableShape,
  TEXT_HASH_EXPRESSION,
  type TextHashMode,
  VARCHAR_LIMITS,
} from './namespace-table.js';
export { textHash } from './prepare-records.js';
export {
  DEFAULT_FUSION_WEIGHTS,
  DEFAULT_RRF_K,
  type FusedRank,
  type FusionWeights,
  fuseRanks,
} from './rank-fusion.js';
export {
  DEFAULT_RECALL_SAMPLE,
  RECALL_K,
  type RecallMeasurement,
  type RecallOptions,
} from './recall-calibration.js';
export { setRecallTarget } from './recall-target.js';
export type {
  BackupInfo,
  CreateNamespaceOptions,
  NamespaceInfo,
  NamespaceRecord,
  NamespaceStats,
  RegistryEntry,
} from './registry-types.js';
export type { SearchTuningRecord } from './schema/registry.js';
export {
  type BackupRow,
  backupsTable,
  type NamespaceRow,
  namespacesTable,
  type VectorIndexParams,
  type VectorIndexType,
  type VectorStorage,
} from './schema/registry.js';
export { DEFAULT_SEARCH_MODE, SEARCH_MODES, type SearchMode } from './search-mode-names.js';
export { MAX_QUERY_CHARACTERS } from './search-mode-options.js';
export {
  hybridCandidates,
  type ModePlan,
  type RankedResult,
  type RankedSearchOptions,
} from './search-modes.js';
export {
  areDefaultSettings,
  DEFAULT_EF_SEARCH,
  exactCutoffRows,
  indexSettings,
  type PlanReason,
  ROWS_PER_EF_SEARCH,
  recallAwareCutoff,
  type SearchPlan,
  type SearchTuning,
} from './search-plan.js';
export { sqlStateOf } from './sql-state.js';
export { type EmbeddingColumn, tableColumns, tableEmbeddingColumn, tableExists } from './table-catalog.js';
export {
  backupTableName,
  getTableName,
  indexNamesFor,
  isBackupTableName,
  type NamespaceIndexNames,
} from './table-names.js';
export { reindexNamespace } from './table-upgrade.js';
export {
  buildVectorIndex,
  DEFAULT_HNSW_PARAMS,
  DEFAULT_INDEX_BUILD_MEMORY_MB,
  describeVectorIndex,
  dropVectorIndex,
  hnswBuildBytesPerRow,
  hnswBuildMemoryKb,
  hnswGraphKb,
  type IndexBuildMemory,
  normalizeIndexParams,
  type VectorIndexDescription,
  vectorIndexExists,
} from './vector-index.js';
export {
  bytesPerVector,
  canIndex,
  defaultStorage,
  INDEX_MAX_DIMENSIONS,
  indexLimitError,
  storageMismatch,
  storageType,
  VECTOR_STORAGES,
  validateStorage,
} from './vector-storage.js';
export {
  createVectorStore,
  DEFAULT_INSERT_BATCH_SIZE,
  DEFAULT_NAMESPACE,
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
} from './vector-store.js';
export type {
  CollectionStats,
  CollectionSummary,
  CreateVectorStoreOptions,
  DocumentOptions,
  EmbeddingIdentity,
  EmbeddingInput,
  EmbeddingRecord,
  InsertOptions,
  InsertResult,
  NamespaceOption,
  ReplaceDocumentOptions,
  SearchOptions,
  SearchResult,
  VectorStore,
} from './vector-store-types.js';
