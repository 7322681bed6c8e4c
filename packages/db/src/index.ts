export { collectionNotFound } from './collections.js';
export { type ConnectOptions, connect, DEFAULT_DATA_DIR, parseDatabaseUrl, redactUrl } from './connect.js';
export { type Database, type Executor, queryRow, queryRows } from './database.js';
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
  BULK_LOAD_MINIMUM_ROWS,
  buildIndexIfDue,
  deferIndexForLoad,
  shouldBuildIndex,
  shouldDeferIndex,
} from './index-policy.js';
export { createBtreeIndexesSql, createTableSql, TOAST_TUPLE_TARGET } from './namespace-ddl.js';
export { NAMESPACE_COLUMNS, type NamespaceTable, namespaceTable, tableByName } from './namespace-table.js';
export {
  assertEmbeddingCompatible,
  type BackupInfo,
  type CreateNamespaceOptions,
  confirmationRequired,
  createNamespace,
  DEFAULT_INDEX_THRESHOLD,
  dropBackup,
  dropNamespace,
  getNamespace,
  getNamespaceStats,
  listBackups,
  listNamespaces,
  lockNamespace,
  type NamespaceInfo,
  type NamespaceRecord,
  type NamespaceStats,
  namespaceNotFound,
  registerBackup,
  requireNamespace,
  tableColumns,
  tableDimensions,
  tableExists,
} from './namespaces.js';
export { textHash } from './prepare-records.js';
export {
  type BackupRow,
  backupsTable,
  type NamespaceRow,
  namespacesTable,
  type VectorIndexParams,
  type VectorIndexType,
} from './schema/registry.js';
export { sqlStateOf } from './sql-state.js';
export {
  backupTableName,
  getTableName,
  indexNamesFor,
  isBackupTableName,
  type NamespaceIndexNames,
} from './table-names.js';
export {
  buildVectorIndex,
  DEFAULT_HNSW_PARAMS,
  DEFAULT_INDEX_BUILD_MEMORY_MB,
  describeVectorIndex,
  dropVectorIndex,
  hnswBuildBytesPerRow,
  hnswBuildMemoryKb,
  normalizeIndexParams,
  type VectorIndexDescription,
  vectorIndexExists,
} from './vector-index.js';
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
