export { type ConnectOptions, connect, DEFAULT_DATA_DIR, parseDatabaseUrl, redactUrl } from './connect.js';
export { type Database, type Executor, queryRow, queryRows } from './database.js';
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
export { createBtreeIndexesSql, createTableSql } from './namespace-ddl.js';
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
  type NamespaceInfo,
  type NamespaceRecord,
  type NamespaceStats,
  namespaceNotFound,
  registerBackup,
  requireNamespace,
  tableDimensions,
  tableExists,
} from './namespaces.js';
export {
  type BackupRow,
  backupsTable,
  type NamespaceRow,
  namespacesTable,
  type VectorIndexParams,
  type VectorIndexType,
} from './schema/registry.js';
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
  dropVectorIndex,
  normalizeIndexParams,
  vectorIndexExists,
} from './vector-index.js';
