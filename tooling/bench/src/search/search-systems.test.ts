import { describe, expect, it } from 'vitest';
import {
  chunkIdOf,
  rawSearchParameters,
  rawSearchSql,
  rowOfChunkId,
  vectorLiteral,
} from './search-systems.js';

describe('search systems helpers', () => {
  it('round-trips row indexes through chunk ids and rejects foreign ids', () => {
    expect(rowOfChunkId(chunkIdOf(0))).toBe(0);
    expect(rowOfChunkId(chunkIdOf(49_999))).toBe(49_999);
    expect(() => rowOfChunkId('doc-3')).toThrow(/unexpected chunk_id/);
  });

  it('writes vectors in pgvector text form', () => {
    expect(vectorLiteral(new Float32Array([0.5, -1, 2]))).toBe('[0.5,-1,2]');
    expect(vectorLiteral([1, 2])).toBe('[1,2]');
  });

  it('orders by cosine distance with a limit, filtering on the collection only when asked', () => {
    const unfiltered = rawSearchSql({ tableName: 'embeddings_bench', filter: undefined });
    const byColumn = rawSearchSql({ tableName: 'embeddings_bench', filter: 'column' });
    const byMetadata = rawSearchSql({ tableName: 'embeddings_bench', filter: 'metadata' });
    expect(unfiltered).toMatch(/FROM "embeddings_bench" ORDER BY embedding <=> \$1::vector LIMIT 10$/);
    expect(unfiltered).not.toContain('WHERE');
    expect(byColumn).toContain('WHERE collection_name = $2 ORDER BY embedding <=> $1::vector LIMIT 10');
    expect(byMetadata).toContain('WHERE metadata @> $2::jsonb ORDER BY');
    // The vector column is never fetched: only the columns a VectorStore result carries.
    expect(unfiltered).not.toMatch(/\bembedding,/);
  });

  it('passes the vector, and the collection in the form the filter needs', () => {
    const vector = new Float32Array([1, 0]);
    expect(rawSearchParameters({ vector })).toEqual(['[1,0]']);
    expect(rawSearchParameters({ vector, filter: { collection: 'c9', via: 'column' } })).toEqual([
      '[1,0]',
      'c9',
    ]);
    expect(rawSearchParameters({ vector, filter: { collection: 'c9', via: 'metadata' } })).toEqual([
      '[1,0]',
      '{"collection":"c9"}',
    ]);
  });
});
