// unnestColumns: a vector column goes as one text[] literal (pgvector reads it back in
// float4-text.test.ts, with the INSERT path's other columns in write-rows.test.ts).
import { describe, expect, it } from 'vitest';
import type { VectorInput } from './embedding-vector.js';
import { unnestColumns } from './unnest-columns.js';

interface Row {
  readonly label: string;
  readonly embedding: VectorInput | null;
}

const COLUMNS = [
  { name: 'label', type: 'text' },
  { name: 'embedding', type: 'vector' },
] as const;

describe('unnestColumns', () => {
  it('gives a vector column as one text[] literal of quoted vector texts, NULL for a missing vector', () => {
    const rows: Row[] = [
      { label: 'a', embedding: [1, 0.5, -2] },
      { label: 'b', embedding: null },
      { label: 'c', embedding: Float32Array.from([0.75, 0, -0]) },
    ];
    const [labels, vectors] = unnestColumns({ columns: COLUMNS, rows });
    expect(labels).toEqual(['a', 'b', 'c']);
    expect(vectors).toBe('{"[0x1p+0,0x1p-1,-0x1p+1]",NULL,"[0x1.8p-1,0,0]"}');
  });
});
