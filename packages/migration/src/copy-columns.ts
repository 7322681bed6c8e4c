// Which columns a copy writes and what it selects for each, derived from the source's real columns:
// namespace tables have them all; a legacy (seed) table may lack text_hash or carry extra columns.
import { ident, NAMESPACE_COLUMNS, REQUIRED_COLUMNS } from '@dynamic-embeddings/db';
import { type SQL, sql } from 'drizzle-orm';

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

export function copyColumns(
  sourceColumns: readonly string[],
  options: { readonly textHashGenerated?: boolean; readonly sourceAlias?: string } = {},
): CopyColumns {
  const { sourceAlias } = options;
  const source = (column: string) =>
    sourceAlias === undefined ? ident(column) : sql`${ident(sourceAlias)}.${ident(column)}`;
  const columns: string[] = [];
  const select: SQL[] = [];
  const missing: string[] = [];
  for (const column of NAMESPACE_COLUMNS) {
    // A generated text_hash is computed by the target from the copied text.
    if (column === 'text_hash' && options.textHashGenerated !== false) continue;
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
