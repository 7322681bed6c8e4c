import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRow, queryRows } from './database.js';
import { parseVector } from './embedding-vector.js';
import { createNamespace, getNamespaceStats, openNamespace } from './index.js';
import { namespacesTable } from './schema/registry.js';
import { tableExists } from './table-catalog.js';
import { indexNamesFor } from './table-names.js';
import { connectTarget, testRecord, testVector } from './testing/records.js';
import { vectorIndexExists } from './vector-index.js';
import { bytesPerVector, defaultStorage, INDEX_MAX_DIMENSIONS } from './vector-storage.js';
import { COPY_MINIMUM_ROWS } from './write-rows.js';

const model = { provider: 'test', model: 'storage-model' } as const;

/** Relative error of a float16 element: 2^-11 of its magnitude (normal halves), or 2^-25 absolute. */
function withinHalfPrecision(stored: readonly number[], written: readonly number[]): boolean {
  return written.every(
    (value, index) =>
      Math.abs((stored[index] as number) - value) <= Math.max(Math.abs(value) * 2 ** -11, 2 ** -25),
  );
}

describe('storage defaults', () => {
  it('is vector up to the vector index limit and halfvec above it', () => {
    expect(defaultStorage(1536)).toBe('vector');
    expect(defaultStorage(INDEX_MAX_DIMENSIONS.vector)).toBe('vector');
    expect(defaultStorage(INDEX_MAX_DIMENSIONS.vector + 1)).toBe('halfvec');
    expect(defaultStorage(3072)).toBe('halfvec');
    expect(bytesPerVector('vector', 1536)).toBe(6152);
    expect(bytesPerVector('halfvec', 3072)).toBe(6152);
  });
});

describe.each(databaseTargets)('vector storage on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close();
  });

  it.each([3072, 4000])(
    'a %i-d namespace defaults to halfvec, builds its index at the threshold and keeps accepting writes',
    async (dimensions) => {
      const namespace = `wide_${dimensions}`;
      const { namespace: record } = await createNamespace(db, {
        ...model,
        namespace,
        dimensions,
        index: 'hnsw',
        indexThreshold: 34,
      });
      expect(record.storage).toBe('halfvec');
      const handle = await openNamespace(db, namespace);
      // Below the threshold, then across it (COPY-sized batch), then more writes on the index.
      const records = (from: number, count: number) =>
        Array.from({ length: count }, (_, offset) => testRecord({ index: from + offset, dimensions }));
      expect((await handle.insert(records(0, 2))).index_built).toBe(false);
      expect(await vectorIndexExists(db.orm, record.table_name)).toBe(false);
      expect(await handle.insert(records(2, COPY_MINIMUM_ROWS))).toMatchObject({
        inserted: COPY_MINIMUM_ROWS,
        index_built: true,
      });
      expect(await vectorIndexExists(db.orm, record.table_name)).toBe(true);
      expect(await handle.insert(records(34, 3))).toMatchObject({ inserted: 3 });
      const opclasses = await queryRows<{ opclass: string }>(
        db.orm,
        sql`SELECT opc.opcname AS opclass FROM pg_index i JOIN pg_opclass opc ON opc.oid = i.indclass[0]
            WHERE i.indexrelid = to_regclass(quote_ident(${indexNamesFor(record.table_name).vector}))`,
      );
      expect(opclasses).toEqual([{ opclass: 'halfvec_cosine_ops' }]);
      // The index serves the search: the row itself is the nearest to its own vector.
      const query = testVector(35, dimensions);
      const found = await handle.searchWithPlan({ vector: query, limit: 3 });
      expect(found.plan.strategy).toBe('index');
      expect(found.results[0]?.[0].chunk_id).toBe('chunk-35');
      expect(found.results[0]?.[1]).toBeGreaterThan(0.999);
      const stats = await getNamespaceStats(db, namespace);
      expect(stats).toMatchObject({
        storage: 'halfvec',
        embedding_count: 37,
        vector_index_exists: true,
        bytes_per_vector: 8 + 2 * dimensions,
      });
    },
    // Index builds over thousands of dimensions: slow on a busy machine, never a measurement.
    180_000,
  );

  it('refuses a vector namespace over 2,000 dimensions with an index, naming the limit and halfvec', async () => {
    for (const index of ['hnsw', 'ivfflat'] as const) {
      const error = await djeErrorOf(
        createNamespace(db, { ...model, namespace: 'too_wide', dimensions: 3072, storage: 'vector', index }),
      );
      expect(error.code).toBe('INDEX_DIMENSIONS_UNSUPPORTED');
      expect(error.message).toContain('2,000');
      expect(error.message).toContain('halfvec');
      expect(error.details).toMatchObject({ limit: 2000, storage: 'vector', suggested_storage: 'halfvec' });
    }
    const halfTooWide = await djeErrorOf(
      createNamespace(db, { ...model, namespace: 'too_wide', dimensions: 4001, index: 'hnsw' }),
    );
    expect(halfTooWide.code).toBe('INDEX_DIMENSIONS_UNSUPPORTED');
    expect(halfTooWide.details).toMatchObject({ limit: 4000, storage: 'halfvec' });
    expect(await tableExists(db.orm, 'embeddings_too_wide')).toBe(false);
    // Exact search only needs no index: full float32 precision at any size.
    const exactOnly = await createNamespace(db, {
      ...model,
      namespace: 'wide_exact',
      dimensions: 3072,
      storage: 'vector',
      index: 'none',
    });
    expect(exactOnly.namespace).toMatchObject({ storage: 'vector', index_type: 'none' });
  });

  it('refuses an unknown storage and a storage other than an existing namespace’s', async () => {
    const unknown = await djeErrorOf(
      createNamespace(db, { ...model, namespace: 'odd', dimensions: 8, storage: 'float8' as 'vector' }),
    );
    expect(unknown.code).toBe('INVALID_STORAGE');
    expect(await tableExists(db.orm, 'embeddings_odd')).toBe(false);
    await createNamespace(db, { ...model, namespace: 'fixed_storage', dimensions: 8 });
    const other = await djeErrorOf(
      createNamespace(db, { ...model, namespace: 'fixed_storage', dimensions: 8, storage: 'halfvec' }),
    );
    expect(other.code).toBe('STORAGE_MISMATCH');
    expect(other.details).toMatchObject({ expected: 'vector', actual: 'halfvec' });
  });

  it('round-trips halfvec values within float16 precision through INSERT and COPY, the same either way', async () => {
    const dimensions = 64;
    const { namespace: record } = await createNamespace(db, {
      ...model,
      namespace: 'half_values',
      dimensions,
      storage: 'halfvec',
    });
    const handle = await openNamespace(db, 'half_values');
    // Magnitudes from 1e-6 to 6e4 in one vector: subnormals, rounding and the top of the range.
    const wide = Array.from(
      { length: dimensions },
      (_, index) => (index % 2 ? -1 : 1) * 10 ** (index / 6.5 - 6),
    );
    const small = [{ ...testRecord({ index: 0, dimensions }), embedding: wide }];
    const many = Array.from({ length: COPY_MINIMUM_ROWS }, (_, index) => ({
      ...testRecord({ index: index + 1, dimensions }),
      embedding: index === 0 ? wide : testVector(index + 1, dimensions),
    }));
    await handle.insert(small);
    await handle.insert(many);
    const [inserted, copied] = await Promise.all(
      ['chunk-0', 'chunk-1'].map((chunkId) => handle.getByChunkId(chunkId, { includeVectors: true })),
    );
    const insertedVector = [...(inserted?.embedding ?? [])];
    expect(withinHalfPrecision(insertedVector, wide)).toBe(true);
    expect(insertedVector).not.toEqual(Array.from(Float32Array.from(wide)));
    expect([...(copied?.embedding ?? [])]).toEqual(insertedVector);
    const same = await queryRows<{ chunk_id: string; exact: boolean }>(
      db.orm,
      sql`SELECT chunk_id, embedding = ${`[${wide.join(',')}]`}::halfvec AS exact
          FROM ${sql.identifier(record.table_name)} WHERE chunk_id IN ('chunk-0', 'chunk-1') ORDER BY chunk_id`,
    );
    expect(same).toEqual([
      { chunk_id: 'chunk-0', exact: true },
      { chunk_id: 'chunk-1', exact: true },
    ]);
    // Re-ingestion reuses stored vectors: they come back exactly as stored.
    const stored = await handle.storedVectors('doc-0');
    expect([...(stored.values().next().value ?? [])]).toEqual(insertedVector);
    const text = await queryRow<{ text: string }>(
      db.orm,
      sql`SELECT embedding::text AS text FROM ${sql.identifier(record.table_name)} WHERE chunk_id = 'chunk-0'`,
    );
    expect(parseVector(text?.text)).toEqual(insertedVector);
  });

  it('refuses an element beyond float16 range with INVALID_VECTOR and writes nothing', async () => {
    await createNamespace(db, { ...model, namespace: 'half_range', dimensions: 4, storage: 'halfvec' });
    const handle = await openNamespace(db, 'half_range');
    const tooLarge = [{ ...testRecord({ index: 0, dimensions: 4 }), embedding: [1, 70_000, 0, 0] }];
    const error = await djeErrorOf((async () => handle.insert(tooLarge))());
    expect(error.code).toBe('INVALID_VECTOR');
    expect(error.message).toContain('65,504');
    expect(await getNamespaceStats(db, 'half_range')).toMatchObject({ exists: true, embedding_count: 0 });
    expect((await djeErrorOf(handle.search({ vector: [1, 1e6, 0, 0] }))).code).toBe('INVALID_VECTOR');
  });

  it('a namespace registered before the limits were checked stays exact instead of failing writes', async () => {
    // As an older version registered it: vector(3072) with an HNSW policy and a small threshold.
    await createNamespace(db, {
      ...model,
      namespace: 'legacy_wide',
      dimensions: 3072,
      storage: 'vector',
      index: 'none',
      indexThreshold: 2,
    });
    await db.orm
      .update(namespacesTable)
      .set({ index_type: 'hnsw' })
      .where(sql`${namespacesTable.namespace} = 'legacy_wide'`);
    const handle = await openNamespace(db, 'legacy_wide');
    const rows = Array.from({ length: 4 }, (_, index) => testRecord({ index, dimensions: 3072 }));
    expect(await handle.insert(rows)).toMatchObject({ inserted: 4, index_built: false });
    expect(await handle.insert([testRecord({ index: 9, dimensions: 3072 })])).toMatchObject({ inserted: 1 });
    const found = await handle.searchWithPlan({ vector: testVector(9, 3072), limit: 1 });
    expect(found.plan).toMatchObject({ strategy: 'exact', reason: 'no_index' });
    expect(found.results[0]?.[0].chunk_id).toBe('chunk-9');
  });
});
