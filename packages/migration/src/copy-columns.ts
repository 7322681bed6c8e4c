// Which columns a copy writes and what it selects for each, derived from the source's real columns:
// namespace tables have them all; a legacy (seed) table may lack text_hash or carry extra columns.
import { ident, NAMESPACE_COLUMNS } from '@dynamic-embeddings/db';
import { type SQL, sql } from 'drizzle-orm';

/** Columns without a default in the namespace schema: a source lacking one cannot be migrated. */
const REQUIRED_COLUMNS: readonly string[] = [
  'chunk_id',
  'document_id',
  'collection_name',
  'text',
  'embedding',
  'strategy',
  'content_type',
];

export interface CopyColumns {
  /** Target columns written, in namespace-schema order (including `id`: ids are kept). */
  readonly columns: readonly string[];
  /** One select expression per written column, over the source (qualified by `sourceAlias` if given). */
  readonly select: readonly SQL[];
  /** Required columns the source lacks. */
  readonly missing: readonly string[];
  /** Source columns that are not part of the namespace schema and are therefore not copied. */
  readonly ignored: readonly string[];
}

export function copyColumns(sourceColumns: readonly string[], sourceAlias?: string): CopyColumns {
  const source = (column: string) =>
    sourceAlias === undefined ? ident(column) : sql`${ident(sourceAlias)}.${ident(column)}`;
  const columns: string[] = [];
  const select: SQL[] = [];
  const missing: string[] = [];
  for (const column of NAMESPACE_COLUMNS) {
    if (sourceColumns.includes(column)) {
      columns.push(column);
      select.push(source(column));
    } else if (column === 'text_hash' && sourceColumns.includes('text')) {
      // The seed schema had no text_hash; the same sha256 hex the VectorStore writes.
      columns.push(column);
      select.push(sql`encode(sha256(convert_to(${source('text')}, 'UTF8')), 'hex')`);
    } else if (REQUIRED_COLUMNS.includes(column)) {
      missing.push(column);
    }
  }
  const known: readonly string[] = NAMESPACE_COLUMNS;
  const ignored = sourceColumns.filter((column) => !known.includes(column));
  return { columns, select, missing, ignored };
}
