import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from './database.js';
import { createNamespace, openNamespace } from './index.js';
import { connectTarget, testRecord, testVector } from './testing/records.js';

const model = { provider: 'test', model: 'quantized-model' } as const;
const DIMENSIONS = 128;
const ROWS = 1200;
const CLUSTERS = 40;

/**
 * Embedding-like data: rows gather around cluster centres, so a row's true neighbours are its
 * cluster's (as with real embeddings) and the sign pattern binary quantization keeps is informative.
 */
function clusteredVector(index: number): number[] {
  const centre = testVector(100_000 + (index % CLUSTERS), DIMENSIONS);
  const noise = testVector(index, DIMENSIONS);
  const mixed = centre.map((value, position) => value + 0.6 * (noise[position] as number));
  const norm = Math.hypot(...mixed);
  return mixed.map((value) => value / norm);
}

describe.each(databaseTargets)('binary-quantized HNSW on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close();
  });

  it('indexes the binary-quantized vectors, re-ranks exactly and meets its recall target once calibrated', async () => {
    const { namespace: record } = await createNamespace(db, {
      ...model,
      namespace: 'quantized',
      dimensions: DIMENSIONS,
      index: 'hnsw',
      indexParams: { quantization: 'binary' },
      indexThreshold: ROWS,
      recallTarget: 0.95,
    });
    expect(record.index_params).toEqual({ m: 16, ef_construction: 64, quantization: 'binary' });
    const handle = await openNamespace(db, 'quantized');
    const rows = Array.from({ length: ROWS }, (_, index) => ({
      ...testRecord({ index, dimensions: DIMENSIONS }),
      embedding: clusteredVector(index),
    }));
    // Building the index at the threshold calibrates the oversampling to the recall target.
    expect(await handle.insert(rows)).toMatchObject({ inserted: ROWS, index_built: true });
    const definitions = await queryRows<{ definition: string }>(
      db.orm,
      sql`SELECT indexdef AS definition FROM pg_indexes
            WHERE tablename = ${record.table_name} AND indexdef LIKE '%USING hnsw%'`,
    );
    expect(definitions).toHaveLength(1);
    expect(definitions[0]?.definition).toContain('binary_quantize(embedding)');
    expect(definitions[0]?.definition).toContain('bit_hamming_ops');

    const reopened = await openNamespace(db, 'quantized');
    const oversample = reopened.record.search_tuning.oversample;
    // Calibrated: fewer candidates per result missed the target on this data.
    expect(oversample).toBeGreaterThan(1);
    const measured = await reopened.measureRecall({ sample: 40 });
    expect(measured.strategies.index).toBe(40);
    expect(measured.recall).toBeGreaterThanOrEqual(0.95);
    expect(measured.meets_target).toBe(true);

    // The candidates the index returns are re-ranked by exact cosine distance: most similar
    // first, similarities those of the stored vectors.
    const query = clusteredVector(7);
    const found = await reopened.searchWithPlan({ vector: query, limit: 5 });
    expect(found.plan).toMatchObject({ strategy: 'index', rerank_candidates: 5 * (oversample ?? 0) });
    expect(Number(found.plan.settings['hnsw.ef_search'])).toBeGreaterThanOrEqual(5 * (oversample ?? 0));
    expect(found.results[0]?.[0].chunk_id).toBe('chunk-7');
    const similarities = found.results.map(([, similarity]) => similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
  }, 300_000);

  it('lets a vector namespace over 2,000 dimensions have a quantized HNSW index, and refuses quantized IVFFlat', async () => {
    const { namespace: wide } = await createNamespace(db, {
      ...model,
      namespace: 'quantized_wide',
      dimensions: 3072,
      storage: 'vector',
      index: 'hnsw',
      indexParams: { quantization: 'binary' },
      indexThreshold: 0,
    });
    expect(wide).toMatchObject({ storage: 'vector', index_type: 'hnsw' });
    const handle = await openNamespace(db, 'quantized_wide');
    const rows = Array.from({ length: 3 }, (_, index) => testRecord({ index, dimensions: 3072 }));
    expect(await handle.insert(rows)).toMatchObject({ inserted: 3 });
    expect(
      (await handle.searchWithPlan({ vector: testVector(1, 3072), limit: 1 })).results[0]?.[0].chunk_id,
    ).toBe('chunk-1');
    const ivfflat = await djeErrorOf(
      createNamespace(db, {
        ...model,
        namespace: 'quantized_ivf',
        dimensions: 8,
        index: 'ivfflat',
        indexParams: { quantization: 'binary' },
      }),
    );
    expect(ivfflat.code).toBe('INVALID_INDEX_PARAMS');
    const unknown = await djeErrorOf(
      createNamespace(db, {
        ...model,
        namespace: 'quantized_odd',
        dimensions: 8,
        indexParams: { quantization: 'scalar' as 'binary' },
      }),
    );
    expect(unknown.code).toBe('INVALID_INDEX_PARAMS');
  });
});
