// Names derived from a namespace: its table, its indexes and its backups. All ≤ 63 bytes.
import {
  BACKUP_TABLE_PREFIX,
  boundedIdentifier,
  NAMESPACE_TABLE_PREFIX,
  validateNamespaceName,
} from './identifiers.js';

/** `embeddings_{namespace}`; throws INVALID_NAMESPACE_NAME for a bad name. */
export function getTableName(namespace: string): string {
  return `${NAMESPACE_TABLE_PREFIX}${validateNamespaceName(namespace)}`;
}

export interface NamespaceIndexNames {
  readonly primaryKey: string;
  readonly chunkIdUnique: string;
  readonly vector: string;
  readonly collection: string;
  readonly document: string;
  readonly strategy: string;
  /** GIN (jsonb_path_ops) on metadata: `metadata @> …` filters. */
  readonly metadata: string;
  /** GIN on domain_tags: `$any` / `$all` tag filters. */
  readonly domainTags: string;
  /** GIN on the keyword column's tsvector: keyword and hybrid search. */
  readonly keywords: string;
  readonly sequence: string;
}

/**
 * Index and constraint names of a table. They derive from the table name (not the namespace) so a
 * table renamed to a backup keeps unique names after `renameIndexes`.
 */
export function indexNamesFor(tableName: string): NamespaceIndexNames {
  return {
    primaryKey: boundedIdentifier(tableName, '_pkey'),
    chunkIdUnique: boundedIdentifier(tableName, '_chunk_id_key'),
    vector: boundedIdentifier(tableName, '_vector_idx'),
    collection: boundedIdentifier(tableName, '_collection_idx'),
    document: boundedIdentifier(tableName, '_document_idx'),
    strategy: boundedIdentifier(tableName, '_strategy_idx'),
    metadata: boundedIdentifier(tableName, '_metadata_idx'),
    domainTags: boundedIdentifier(tableName, '_domain_tags_idx'),
    keywords: boundedIdentifier(tableName, '_keywords_idx'),
    sequence: boundedIdentifier(tableName, '_id_seq'),
  };
}

/** The indexes every namespace table has besides its key, unique chunk id and ANN index (namespace-ddl.ts). */
export function filterIndexNames(names: NamespaceIndexNames): string[] {
  return [names.collection, names.document, names.strategy, names.metadata, names.domainTags, names.keywords];
}

/** `embeddings_backup_{namespace}_{yyyymmddhhmmss}`, shortened with a hash when needed. */
export function backupTableName(namespace: string, at: Date = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14);
  return boundedIdentifier(`${BACKUP_TABLE_PREFIX}${validateNamespaceName(namespace)}`, `_${stamp}`);
}

/** True for names that this package gives to backup tables. */
export function isBackupTableName(tableName: string): boolean {
  return tableName.startsWith(BACKUP_TABLE_PREFIX);
}
