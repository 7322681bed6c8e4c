// Rows as one text array per column, for `INSERT … SELECT … FROM unnest($1::text[], …)`: the write
// path of connections that cannot COPY (PGlite behind pglite-socket) and of small batches. A
// multi-row VALUES list sends a parameter per cell (21,000 for 1,000 rows) that the server parses
// and plans one by one; ten-odd arrays took ~40% less time per 1,000 rows through pglite-socket.
// A vector column's array goes as its literal, written byte by byte: the bulk of the statement,
// and no per-element strings for the driver to escape and the garbage collector to sweep.
import type { CopyColumnType } from './copy-binary.js';
import type { VectorInput } from './embedding-vector.js';
import { vectorTextMaxBytes, writeVectorText } from './float4-text.js';

/** A PostgreSQL array literal element: quoted, with backslashes and quotes escaped. */
function arrayElement(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

/** One cell in the text form its column's type reads, or null. */
function cellText(type: CopyColumnType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
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

const QUOTE = 0x22;
const COMMA = 0x2c;
const NULL_ELEMENT = Buffer.from('NULL', 'latin1');

/** `{"[…]","[…]",NULL}`: a text[] literal of vectors' text forms, which need no escaping. */
function vectorArrayLiteral(vectors: readonly (VectorInput | null | undefined)[]): string {
  let size = 2;
  for (const vector of vectors) size += vector == null ? 5 : vectorTextMaxBytes(vector.length) + 3;
  const bytes = Buffer.allocUnsafe(size);
  let end = 0;
  bytes[end++] = 0x7b; // {
  vectors.forEach((vector, index) => {
    if (index > 0) bytes[end++] = COMMA;
    if (vector == null) {
      bytes.set(NULL_ELEMENT, end);
      end += NULL_ELEMENT.length;
      return;
    }
    bytes[end++] = QUOTE;
    end = writeVectorText(bytes, end, vector);
    bytes[end++] = QUOTE;
  });
  bytes[end++] = 0x7d; // }
  return bytes.toString('latin1', 0, end);
}

/**
 * For each column, a `text[]` parameter: the cells of every row in their text form (arrays of
 * arrays cannot be unnested), or for a vector column that array's literal already written.
 */
export function unnestColumns<Row>(options: {
  readonly columns: readonly { readonly name: keyof Row; readonly type: CopyColumnType }[];
  readonly rows: readonly Row[];
}): (string | (string | null)[])[] {
  const { rows } = options;
  return options.columns.map((column) =>
    column.type === 'vector' || column.type === 'halfvec'
      ? vectorArrayLiteral(rows.map((row) => row[column.name] as VectorInput | null | undefined))
      : rows.map((row) => cellText(column.type, row[column.name])),
  );
}
