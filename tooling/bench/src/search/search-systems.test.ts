import { describe, expect, it } from 'vitest';
import { rawSearchParameters, rawSearchSql, vectorLiteral } from './raw-sql.js';
import { chunkIdOf, langChainFilter, ourSearchOptions, rowOfChunkId } from './search-systems.js';

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

  it('orders by cosine distance with a limit, filtering only when asked', () => {
    const unfiltered = rawSearchSql({ tableName: 'embeddings_bench', filter: undefined });
    const byColumn = rawSearchSql({ tableName: 'embeddings_bench', filter: 'column' });
    const byMetadata = rawSearchSql({ tableName: 'embeddings_bench', filter: 'metadata' });
    expect(unfiltered).toMatch(/FROM "embeddings_bench" ORDER BY embedding <=> \$1::vector LIMIT 10$/);
    expect(unfiltered).not.toContain('WHERE');
    expect(byColumn).toContain('WHERE collection_name = $2 ORDER BY embedding <=> $1::vector LIMIT 10');
    expect(byMetadata).toContain('WHERE metadata @> $2::jsonb ORDER BY');
    // The vector column is never fetched: only the columns a search result carries.
    expect(unfiltered).not.toMatch(/\bembedding,/);
  });

  it('orders the exact query by an expression no ANN index serves', () => {
    const exact = rawSearchSql({ tableName: 'embeddings_bench', filter: 'metadata', exact: true });
    expect(exact).toMatch(
      /WHERE metadata @> \$2::jsonb ORDER BY \(embedding <=> \$1::vector\) \+ 0, id LIMIT 10$/,
    );
  });

  it("writes the exact query in ours' form on request: ids and distances once, records joined after", () => {
    const exact = rawSearchSql({
      tableName: 'embeddings_bench',
      filter: 'column',
      exact: true,
      subquery: true,
    });
    expect(exact).toMatch(
      /^SELECT t\.id, t\.chunk_id, .*, nearest\.distance FROM \(SELECT id, distance FROM \(/,
    );
    expect(exact).toMatch(
      /SELECT id, embedding <=> \$1::vector AS distance FROM "embeddings_bench" WHERE collection_name = \$2 OFFSET 0\) AS scanned ORDER BY distance, id LIMIT 10\) AS nearest JOIN "embeddings_bench" AS t ON t\.id = nearest\.id ORDER BY nearest\.distance, nearest\.id$/,
    );
    expect(exact.match(/<=>/g)).toHaveLength(1);
  });

  it('passes the vector, and the filter in the form its condition needs', () => {
    const vector = new Float32Array([1, 0]);
    expect(rawSearchParameters({ vector })).toEqual(['[1,0]']);
    expect(rawSearchParameters({ vector, filter: { kind: 'column', collection: 'c9' } })).toEqual([
      '[1,0]',
      'c9',
    ]);
    expect(
      rawSearchParameters({ vector, filter: { kind: 'metadata', metadata: { within: ['n250'] } } }),
    ).toEqual(['[1,0]', '{"within":["n250"]}']);
  });

  it('gives ours and LangChain the same filter', () => {
    const vector = new Float32Array([1, 0]);
    const metadata = { kind: 'metadata', metadata: { collection: 'c1' } } as const;
    expect(ourSearchOptions({ vector, filter: metadata })).toEqual({
      vector,
      limit: 10,
      filters: { metadata: { $contains: { collection: 'c1' } } },
    });
    expect(ourSearchOptions({ vector, filter: { kind: 'column', collection: 'c6' } })).toEqual({
      vector,
      limit: 10,
      collectionName: 'c6',
    });
    expect(langChainFilter(metadata)).toEqual({ collection: 'c1' });
    expect(langChainFilter({ kind: 'column', collection: 'c6' })).toEqual({ collection: 'c6' });
    expect(langChainFilter(undefined)).toBeUndefined();
  });
});
