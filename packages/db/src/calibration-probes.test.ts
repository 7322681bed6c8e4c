// Calibration's probes: each kind meets its own target, the near probes sit where a new query
// would (off every row, as far from their row as its nearest neighbour), and on clustered data
// whose queries are new draws, where midpoints alone calibrated too low a setting, the calibrated
// setting meets the target for queries that were never stored.
import { createSeededRandom, databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTarget, recallOfKinds, sampleQueries } from './calibration-probes.js';
import type { Database } from './database.js';
import { openNamespace } from './namespace-handle.js';
import { nearestOfEach } from './nearest-of-each.js';
import { connectTarget, cosineSimilarity, testRecord } from './testing/records.js';
import { createVectorStore } from './vector-store.js';

describe('each kind of probe against its own target', () => {
  const byKind = new Map([
    ['between', [0, 1, 2, 3]],
    ['near', [4, 5, 6, 7]],
  ] as const);
  it('meets the target only when every kind meets its own, and reports the lowest kind', async () => {
    // Midpoints miss nothing; near probes miss 0.1 of one neighbourhood in four: 0.975.
    const missOf = async (position: number) => (position === 4 ? 0.1 : 0);
    expect(await recallOfKinds({ byKind, target: 0.95, stopEarly: false, missOf })).toEqual({
      recall: 0.975,
      meets: true,
    });
    // The midpoints must reach probeTarget(0.95) = 0.975; the near probes only the target.
    const betweenShort = async (position: number) => (position === 0 ? 0.2 : 0);
    expect(await recallOfKinds({ byKind, target: 0.95, stopEarly: false, missOf: betweenShort })).toEqual({
      recall: 0.95,
      meets: false,
    });
    expect(probeTarget(0.95)).toBeCloseTo(0.975, 10);
  });

  it('stops a round at the first kind that cannot meet its target', async () => {
    const asked: number[] = [];
    const missOf = async (position: number) => {
      asked.push(position);
      return position < 4 ? 1 : 0;
    };
    expect(await recallOfKinds({ byKind, target: 0.95, stopEarly: true, missOf })).toBeUndefined();
    // The first midpoint's miss already rules its kind out; no near probe is searched.
    expect(asked).toEqual([0]);
  });
});

const DIMENSIONS = 128;
const ROWS = 3000;
const QUERIES = 100;

/**
 * A seeded Gaussian mixture of unit vectors: about three rows per cluster, each cluster a center
 * plus spread along 64 random directions plus a little noise. New draws of the mixture are the
 * queries: their ten nearest rows are their cluster's and, past those, rows no graph edge leads to.
 */
function mixture(seed: number): { rows: number[][]; queries: number[][] } {
  const random = createSeededRandom(seed);
  const unit = (vector: number[]) => {
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  };
  const gaussian = () => Array.from({ length: DIMENSIONS }, () => random.gaussian());
  const clusters = Array.from({ length: ROWS / 3 }, () => ({
    center: unit(gaussian()),
    directions: Array.from({ length: 64 }, () => unit(gaussian())),
  }));
  const draw = () => {
    const cluster = clusters[random.integer(clusters.length)]!;
    const vector = [...cluster.center];
    for (const direction of cluster.directions) {
      const weight = random.gaussian() * 0.1;
      for (let index = 0; index < DIMENSIONS; index++) vector[index]! += weight * direction[index]!;
    }
    for (let index = 0; index < DIMENSIONS; index++)
      vector[index]! += (random.gaussian() * 0.1) / Math.sqrt(DIMENSIONS);
    return unit(vector);
  };
  return { rows: Array.from({ length: ROWS }, draw), queries: Array.from({ length: QUERIES }, draw) };
}

describe.each(databaseTargets)('calibration probes on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  const data = mixture(5);
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
    const store = createVectorStore(db, {
      namespace: 'clusters',
      embedding: { provider: 'test', model: 'mixture', dimensions: DIMENSIONS },
    });
    // The index is built (and calibrated) by this insert: 3,000 rows pass the threshold of 1,000.
    await store.ensureNamespace({ namespace: 'clusters', indexThreshold: 1000 });
    await store.insertEmbeddings(
      data.rows.map((embedding, index) =>
        testRecord({ index, dimensions: DIMENSIONS, overrides: { embedding } }),
      ),
    );
  }, 300_000);
  afterAll(async () => {
    await close();
  });

  it("finds each probe's exact nearest rows, nearest first and ties by id, as a JavaScript scan does", async () => {
    const handle = await openNamespace(db, 'clusters');
    const probes = data.queries.slice(0, 8);
    const found = await nearestOfEach(db, {
      tableName: handle.record.table_name,
      storage: 'vector',
      probes,
      k: 11,
    });
    for (const [position, probe] of probes.entries()) {
      const expected = data.rows
        .map((row, index) => ({ index, distance: 1 - cosineSimilarity(probe, row) }))
        .sort((a, b) => a.distance - b.distance || a.index - b.index)
        .slice(0, 11);
      expect(found[position]!.map((row) => row.chunk_id)).toEqual(
        expected.map((row) => `chunk-${row.index}`),
      );
      for (const [rank, row] of expected.entries()) {
        expect(found[position]![rank]!.distance).toBeCloseTo(row.distance, 5);
      }
    }
  });

  it('makes half the probes between two rows and half near one, none of them a stored row', async () => {
    const handle = await openNamespace(db, 'clusters');
    const nearest = async (vectors: readonly number[][]) =>
      nearestOfEach(db, { tableName: handle.record.table_name, storage: 'vector', probes: vectors, k: 2 });
    const probes = await sampleQueries(db, { record: handle.record, count: 20, nearest });
    expect(probes.map((probe) => probe.kind)).toEqual([
      ...Array.from({ length: 10 }, () => 'between'),
      ...Array.from({ length: 10 }, () => 'near'),
    ]);
    const found = await nearest(probes.map((probe) => probe.vector));
    for (const [position, probe] of probes.entries()) {
      // No probe is a row: its nearest row is at a positive distance.
      expect(found[position]![0]!.distance).toBeGreaterThan(1e-4);
      // A near probe's nearest row (its own) is about as far as that row's nearest other row:
      // the probe is turned by that angle (so it may land nearer to another row, never farther).
      if (probe.kind === 'near') {
        const [own] = found[position]!;
        const ownVector = data.rows[Number(own!.chunk_id.slice('chunk-'.length))]!;
        const [, other] = (await nearest([ownVector]))[0]!;
        expect(1 - cosineSimilarity(probe.vector, ownVector)).toBeLessThanOrEqual(other!.distance + 1e-4);
        expect(own!.distance).toBeGreaterThan(other!.distance * 0.5);
      }
    }
  });

  it('calibrates a setting at which queries that were never stored meet the target', async () => {
    const handle = await openNamespace(db, 'clusters');
    expect(handle.record.search_tuning.ef_search).toBeDefined();
    // Each query as a user sends it (the planner, the calibrated settings), against exact search.
    let recall = 0;
    for (const vector of data.queries) {
      const exact = (await handle.searchWithPlan({ vector, limit: 10, exact: true })).results;
      const { results, plan } = await handle.searchWithPlan({ vector, limit: 10 });
      expect(plan.settings).toEqual({ 'hnsw.ef_search': String(handle.record.search_tuning.ef_search) });
      const last = exact.at(-1)![1];
      recall += results.filter(([, similarity]) => similarity >= last - 1e-6).length / exact.length / QUERIES;
    }
    // Calibrated on midpoints alone this table took ef_search 32, where these queries had recall 0.92.
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
