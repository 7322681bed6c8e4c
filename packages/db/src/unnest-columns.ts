// Rows as one text array per column, for `INSERT … SELECT … FROM unnest($1::text[], …)`: the write
// path of connections that cannot COPY (PGlite behind pglite-socket) and of small batches. A
// multi-row VALUES list sends a parameter per cell (21,000 for 1,000 rows) that the server parses
// and plans one by one; ten-odd arrays took ~40% less time per 1,000 rows through pglite-socket.
import type { CopyColumnType } from './copy-binary.js';
import { type VectorInput, vectorLiteral } from './embedding-vector.js';

/** A PostgreSQL array literal element: quoted, with backslashes and quotes escaped. */
function arrayElement(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

/** One cell in the text form its column's type reads, or null. */
function cellText(type: CopyColumnType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'vector':
    case 'halfvec':
      return vectorLiteral(value as VectorInput);
    case 'text[]':
      return `{${(value as readonly string[]).map(arrayElement).join(',')}}`;
    case 'jsonb':
      return JSON.stringify(value);
    case 'bool':
      return value === true ? 't' : 'f';
    default:
      return String(value);
  }
}

/** For each column, the cells of every row in its text form (arrays of arrays cannot be unnested). */
export function unnestColumns<Row>(options: {
  readonly columns: readonly { readonly name: keyof Row; readonly type: CopyColumnType }[];
  readonly rows: readonly Row[];
}): (string | null)[][] {
  return options.columns.map((column) => options.rows.map((row) => cellText(column.type, row[column.name])));
}
