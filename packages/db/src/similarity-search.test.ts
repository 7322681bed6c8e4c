import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCitus } from './citus-placement.js';
import { type Database, queryRows } from './database.js';
import { applySettings } from './local-settings.js';
import { tableByName } from './namespace-table.js';
import { pgvectorAtLeast, supportsIterativeScan } from './pgvector-version.js';
import { indexSettings } from './search-plan.js';
import { indexNamesFor } from './table-names.js';
import { asStored, connectTarget, cosineSimilarity, testRecord, testVector } from './testing/records.js';
import { describeVectorIndex, type VectorIndexDescription } from './vector-index.js';
import { createVectorStore } from './vector-store.js';
import type { EmbeddingInput, SearchResult, VectorStore } from './vector-store-types.js';

const DIMENSIONS = 16;
const identity = { provider: 'test', model: 'search-model', dimensions: DIMENSIONS } as const;

/** The exact top-k computed in JavaScript over what the database stores (float4 vectors). */
function exactTopK(options: {
  readonly records: readonly EmbeddingInput[];
  readonly query: readonly number[];
  readonly limit: number;
  readonly where?: (record: EmbeddingInput) => boolean;
}): { readonly chunk_id: string; readonly similarity: number }[] {
  const query = asStored(options.query);
  return options.records
    .filter(options.where ?? (() => true))
    .map((record) => ({
      chunk_id: record.chunk_id,
      similarity: cosineSimilarity(asStored(record.embedding as number[]), query),
    }))
    .sort((left, right) => right.similarity - left.similarity)
    .slice(0, options.limit);
}

function summarise(results: readonly SearchResult[]) {
  return results.map(([record, similarity]) => ({ chunk_id: record.chunk_id, similarity }));
}

function expectSameResults(actual: readonly SearchResult[], expected: ReturnType<typeof exactTopK>): void {
  const summary = summarise(actual);
  expect(summary.map((result) => result.chunk_id)).toEqual(expected.map((result) => result.chunk_id));
  summary.forEach((result, index) => {
    expect(result.similarity).toBeCloseTo(expected[index]?.similarity ?? Number.NaN, 5);
  });
}

describe('pgvector version checks', () => {
  it('compares versions numerically', () => {
    expect(pgvectorAtLeast('0.8.0', '0.8')).toBe(true);
    expect(pgvectorAtLeast('0.10.1', '0.8')).toBe(true);
    expect(pgvectorAtLeast('0.7.4', '0.8')).toBe(false);
    expect(supportsIterativeScan('0.8.7')).toBe(true);
    expect(supportsIterativeScan('0.7.0')).toBe(false);
  });
});

describe.each(databaseTargets)('similaritySearch on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close();
  });

  describe('exact search below the index threshold', () => {
    let store: VectorStore;
    const records = Array.from({ length: 200 }, (_, index) =>
      testRecord({ index, dimensions: DIMENSIONS, collectionName: index % 4 === 0 ? 'quarter' : 'rest' }),
    );
    beforeAll(async () => {
      store = createVectorStore(db, { namespace: 'exact', embedding: identity });
      await store.insertEmbeddings(records);
      expect(await store.getNamespaceStats()).toMatchObject({ vector_index_exists: false });
    });

    it('returns the exact top-k, most similar first, with cosine similarities', async () => {
      const query = testVector(1000, DIMENSIONS);
      const results = await store.similaritySearch({ vector: query, limit: 10 });
      expectSameResults(results, exactTopK({ records, query, limit: 10 }));
      expect(results[0]?.[0]).not.toHaveProperty('embedding');
    });

    it('finds a stored vector itself with similarity 1', async () => {
      const [best] = await store.similaritySearch({
        vector: Float32Array.from(testVector(42, DIMENSIONS)),
        limit: 1,
      });
      expect(best?.[0].chunk_id).toBe('chunk-42');
      expect(best?.[1]).toBeCloseTo(1, 6);
    });

    it('applies the threshold and the collection in SQL', async () => {
      const query = testVector(7, DIMENSIONS);
      const results = await store.similaritySearch({
        vector: query,
        limit: 50,
        threshold: 0.3,
        collectionName: 'quarter',
      });
      const expected = exactTopK({
        records,
        query,
        limit: 50,
        where: (record) => record.collection_name === 'quarter',
      }).filter((result) => result.similarity >= 0.3);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(50);
      expectSameResults(results, expected);
    });

    it('returns stored vectors when asked', async () => {
      const [best] = await store.similaritySearch({
        vector: testVector(3, DIMENSIONS),
        limit: 1,
        includeVectors: true,
      });
      expect(best?.[0].embedding).toEqual(asStored(testVector(3, DIMENSIONS)));
    });

    it.each([
      ['limit 0', { limit: 0 }, 'INVALID_ARGUMENT'],
      ['limit 1001', { limit: 1001 }, 'INVALID_ARGUMENT'],
      ['a fractional limit', { limit: 2.5 }, 'INVALID_ARGUMENT'],
      ['threshold 1.5', { threshold: 1.5 }, 'INVALID_ARGUMENT'],
      ['threshold NaN', { threshold: Number.NaN }, 'INVALID_ARGUMENT'],
      ['a query of the wrong dimension', { vector: testVector(1, DIMENSIONS - 1) }, 'DIMENSION_MISMATCH'],
      ['a NaN in the query', { vector: [Number.NaN, ...testVector(1, DIMENSIONS - 1)] }, 'INVALID_VECTOR'],
      ['an unknown filter key', { filters: { colour: 'red' } }, 'INVALID_FILTER'],
    ])('rejects %s', async (_label, override, code) => {
      const error = await djeErrorOf(
        store.similaritySearch({ vector: testVector(1, DIMENSIONS), ...(override as object) }),
      );
      expect(error.code).toBe(code);
    });

    it('fails with NAMESPACE_NOT_FOUND for a missing namespace', async () => {
      const error = await djeErrorOf(
        store.similaritySearch({ vector: testVector(1, DIMENSIONS), namespace: 'nowhere' }),
      );
      expect(error.code).toBe('NAMESPACE_NOT_FOUND');
    });
  });

  describe("a namespace with index 'none' (one plain statement per search)", () => {
    const records = Array.from({ length: 120 }, (_, index) =>
      testRecord({ index, dimensions: DIMENSIONS, collectionName: index % 3 === 0 ? 'third' : 'rest' }),
    );
    let store: VectorStore;
    beforeAll(async () => {
      store = createVectorStore(db, { namespace: 'plain', embedding: identity });
      await store.createNamespace({ namespace: 'plain', ...identity, index: 'none' });
      await store.insertEmbeddings(records);
    });

    it('applies filters and the collection without a threshold', async () => {
      const query = testVector(500, DIMENSIONS);
      const results = await store.similaritySearch({
        vector: query,
        limit: 5,
        collectionName: 'third',
        filters: { strategy: 'flat' },
      });
      expectSameResults(
        results,
        exactTopK({
          records,
          query,
          limit: 5,
          where: (record) => record.collection_name === 'third' && record.strategy === 'flat',
        }),
      );
    });

    it('returns the exact top-k unfiltered', async () => {
      const query = testVector(501, DIMENSIONS);
      expectSameResults(
        await store.similaritySearch({ vector: query, limit: 8 }),
        exactTopK({ records, query, limit: 8 }),
      );
    });
  });

  describe.each([
    { index: 'hnsw' as const, indexParams: {} },
    { index: 'ivfflat' as const, indexParams: { lists: 20 } },
  ])('filtered search with an $index index', ({ index, indexParams }) => {
    const ROWS = 3000;
    const namespace = `filtered_${index}`;
    let store: VectorStore;
    // 1% of rows have the "rare" content type (a column without a B-tree index, so the planner
    // has to use the ANN index), spread evenly; a separate 1% collection is scoped the same way.
    const records = Array.from({ length: ROWS }, (_, position) =>
      testRecord({
        index: position,
        dimensions: DIMENSIONS,
        collectionName: position % 100 === 50 ? 'small' : 'main',
        overrides: { content_type: position % 100 === 0 ? 'rare' : 'common' },
      }),
    );
    /** HNSW recall on this data is ~1, so it must match exactly; IVFFlat is checked for recall. */
    const expectNearest = (results: readonly SearchResult[], expected: ReturnType<typeof exactTopK>) => {
      expect(results).toHaveLength(expected.length);
      if (index === 'hnsw') {
        expectSameResults(results, expected);
        return;
      }
      const found = new Set(results.map(([record]) => record.chunk_id));
      const recall = expected.filter((result) => found.has(result.chunk_id)).length / expected.length;
      expect(recall).toBeGreaterThanOrEqual(0.7);
      const similarities = results.map(([, similarity]) => similarity);
      expect(similarities).toEqual([...similarities].sort((left, right) => right - left));
    };
    const query = testVector(123_456, DIMENSIONS);

    beforeAll(async () => {
      store = createVectorStore(db, { namespace, embedding: identity });
      await store.createNamespace({ namespace, ...identity, index, indexParams, indexThreshold: 0 });
      const result = await store.insertEmbeddings(records);
      expect(result).toMatchObject({ inserted: ROWS, index_built: true });
      expect(await store.getNamespaceStats()).toMatchObject({ vector_index_exists: true });
    });

    it('an unfiltered search through the index matches the exact top-k', async () => {
      const results = await store.similaritySearch({ vector: query, limit: 10 });
      expectNearest(results, exactTopK({ records, query, limit: 10 }));
    });

    it('a filter matching 1% of rows still returns `limit` results, equal to the exact top-k', async () => {
      const results = await store.similaritySearch({
        vector: query,
        limit: 10,
        filters: { content_type: 'rare' },
      });
      expect(results).toHaveLength(10);
      expectNearest(
        results,
        exactTopK({ records, query, limit: 10, where: (record) => record.content_type === 'rare' }),
      );
    });

    it('a 1% collection returns `limit` results, equal to the exact top-k', async () => {
      const results = await store.similaritySearch({ vector: query, limit: 20, collectionName: 'small' });
      expect(results).toHaveLength(20);
      expectNearest(
        results,
        exactTopK({ records, query, limit: 20, where: (record) => record.collection_name === 'small' }),
      );
    });

    it('exact: true skips the index and returns the exact top-k, with and without a filter', async () => {
      expectSameResults(
        await store.similaritySearch({ vector: query, limit: 25, exact: true }),
        exactTopK({ records, query, limit: 25 }),
      );
      expectSameResults(
        await store.similaritySearch({
          vector: query,
          limit: 10,
          filters: { content_type: 'rare' },
          exact: true,
        }),
        exactTopK({ records, query, limit: 10, where: (record) => record.content_type === 'rare' }),
      );
      const error = await djeErrorOf(
        store.similaritySearch({ vector: query, exact: 'yes' as unknown as boolean }),
      );
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'exact' } });
    });

    it('returns every match when fewer than `limit` rows pass the filter', async () => {
      const filters = {
        content_type: 'rare',
        depth_level: 0,
        document_id: { $in: ['doc-0', 'doc-10', 'doc-20'] },
      };
      const results = await store.similaritySearch({ vector: query, limit: 50, filters });
      expectSameResults(
        results,
        exactTopK({
          records,
          query,
          limit: 50,
          where: (record) =>
            record.content_type === 'rare' && ['doc-0', 'doc-10', 'doc-20'].includes(record.document_id),
        }),
      );
      expect(results).toHaveLength(3);
    });

    it('the index scan itself is complete with the search settings, where a plain scan is not', async () => {
      const tableName = `embeddings_${namespace}`;
      const table = tableByName(tableName, { dimensions: DIMENSIONS });
      const nearest = sql`SELECT chunk_id FROM ${table} WHERE content_type = 'rare'
                          ORDER BY embedding <=> ${`[${query.join(',')}]`}::vector LIMIT 10`;
      await db.orm.transaction(async (tx) => {
        // A table this small is cheaper to scan than to search: make the planner use the index.
        // On Citus the plan is made on the worker, so the setting must be sent there.
        if (isCitus(db)) await tx.execute(sql`SET LOCAL citus.propagate_set_commands = 'local'`);
        await tx.execute(sql`SET LOCAL enable_seqscan = off`);
        const plan = await queryRows<{ 'QUERY PLAN': string }>(tx, sql`EXPLAIN ${nearest}`);
        expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain(indexNamesFor(tableName).vector);
        // pgvector's defaults: HNSW yields ef_search (40) candidates, IVFFlat probes one list;
        // about 1% of those pass the filter.
        const plain = await queryRows<{ chunk_id: string }>(tx, nearest);
        expect(plain.length).toBeLessThan(10);
        if (!supportsIterativeScan(db.versions.pgvector)) return;
        const description = await describeVectorIndex(tx, tableName);
        expect(description?.type).toBe(index);
        const found = description as VectorIndexDescription;
        await applySettings(tx, {
          settings: indexSettings({
            type: found.type,
            lists: found.lists,
            limit: 10,
            selectivity: 0.01,
            tuning: {},
            iterative: true,
          }),
          citus: isCitus(db),
        });
        const withSettings = await queryRows<{ chunk_id: string }>(tx, nearest);
        expect(withSettings).toHaveLength(10);
      });
    });
  });
});
