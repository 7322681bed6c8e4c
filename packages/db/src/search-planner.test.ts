// The search planner end to end: filtered searches are exact below the cutoff and go through the
// index above it, the filters have indexes, and `searchWithPlan` reports the plan that ran.
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCitus } from './citus-placement.js';
import { type Database, queryRows } from './database.js';
import type { Filter } from './filters.js';
import { CURRENT_TABLE_VERSION } from './namespace-ddl.js';
import { openNamespace } from './namespace-handle.js';
import { supportsIterativeScan } from './pgvector-version.js';
import { exactCutoffRows, indexSettings, ROWS_PER_EF_SEARCH, recallAwareCutoff } from './search-plan.js';
import { searchNearest } from './similarity-search.js';
import { indexNamesFor } from './table-names.js';
import { asStored, connectTarget, cosineSimilarity, testRecord, testVector } from './testing/records.js';
import { createVectorStore } from './vector-store.js';
import type { EmbeddingInput, SearchResult } from './vector-store-types.js';

const DIMENSIONS = 24;
const ROWS = 3000;
const identity = { provider: 'test', model: 'planner-model', dimensions: DIMENSIONS } as const;

/** Row i: 1% are "rare" (metadata, tag and depth_level say so), 30% are tier "top". */
function plannerRecord(index: number): EmbeddingInput {
  const rare = index % 100 === 7;
  return testRecord({
    index,
    dimensions: DIMENSIONS,
    collectionName: 'all',
    overrides: {
      metadata: { group: rare ? 'rare' : 'common', tier: index % 10 < 3 ? 'top' : 'rest' },
      domain_tags: rare ? ['rare', 'x'] : ['x'],
      depth_level: rare ? 9 : index % 5,
    },
  });
}

const records = Array.from({ length: ROWS }, (_, index) => plannerRecord(index));

function exactIds(query: readonly number[], where: (record: EmbeddingInput) => boolean, limit = 10) {
  const stored = asStored(query);
  return records
    .filter(where)
    .map((record) => ({
      id: record.chunk_id,
      similarity: cosineSimilarity(asStored(record.embedding as number[]), stored),
    }))
    .sort((left, right) => right.similarity - left.similarity)
    .slice(0, limit)
    .map((entry) => entry.id);
}

const ids = (results: readonly SearchResult[]) => results.map(([record]) => record.chunk_id);
const isRare = (record: EmbeddingInput) => (record.metadata as { group: string }).group === 'rare';
const isTop = (record: EmbeddingInput) => (record.metadata as { tier: string }).tier === 'top';

describe('search plan settings', () => {
  /** indexSettings of an HNSW search for top 10. */
  const hnsw = (selectivity: number, options: { ef_search?: number; iterative?: boolean } = {}) =>
    indexSettings({
      type: 'hnsw',
      lists: undefined,
      limit: 10,
      selectivity,
      tuning: options.ef_search === undefined ? {} : { ef_search: options.ef_search },
      iterative: options.iterative ?? true,
    });

  it('widens the HNSW candidate list and scan budgets as the filter gets more selective', () => {
    expect(hnsw(1)).toEqual({ 'hnsw.ef_search': '40' });
    expect(hnsw(1, { ef_search: 120 })).toEqual({ 'hnsw.ef_search': '120' });
    const fivePercent = hnsw(0.05);
    expect(Number(fivePercent['hnsw.ef_search'])).toBeGreaterThan(40 * 4);
    expect(fivePercent['hnsw.iterative_scan']).toBe('relaxed_order');
    expect(Number(fivePercent['hnsw.max_scan_tuples'])).toBeGreaterThanOrEqual(20_000);
    // The candidate list grows with selectivity^-1.5: the filter's 10th row is about the 50th
    // nearest at 20%, and a graph search is less right that deep at the same candidates per result.
    expect(hnsw(0.2, { ef_search: 20 })['hnsw.ef_search']).toBe(String(Math.ceil(2 * 20 * 0.2 ** -1.5)));
    const onePercent = hnsw(0.01);
    expect(Number(onePercent['hnsw.ef_search'])).toBe(1000);
    expect(Number(onePercent['hnsw.max_scan_tuples'])).toBeGreaterThan(20_000);
    // pgvector 0.7 has no iterative scans: only ef_search is set.
    expect(Object.keys(hnsw(0.05, { iterative: false }))).toEqual(['hnsw.ef_search']);
  });

  it('gives a filtered HNSW search at least the candidates measured to meet the target', () => {
    // Measured on the search bench's table (PostgreSQL, 50,000 × 1536-d, calibrated ef_search 224;
    // 60 midpoint probes): the smallest ef_search whose recall@10 reached the probe target 0.975
    // at filters passing 50% and 32% of rows (~370, 1,000), and one that fell short (ef 640 at 32%:
    // 0.942, where 1 / selectivity gave 700).
    const ef = (selectivity: number) => Number(hnsw(selectivity, { ef_search: 224 })['hnsw.ef_search']);
    expect(ef(0.5)).toBeGreaterThanOrEqual(370);
    expect(ef(0.32)).toBe(1000);
    expect(ef(0.75)).toBeGreaterThan(224);
    // The bench's own queries on the table rebuilt (calibrated ef_search 160): ~600 for 0.95 at 64%.
    expect(Number(hnsw(0.64, { ef_search: 160 })['hnsw.ef_search'])).toBeGreaterThanOrEqual(600);
    // Never fewer than the unfiltered list, more for every tighter filter, at most pgvector's 1,000.
    let previous = ef(1);
    expect(previous).toBe(224);
    for (const selectivity of [0.9, 0.75, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.01]) {
      const next = ef(selectivity);
      expect(next).toBeGreaterThanOrEqual(previous);
      expect(next).toBeGreaterThanOrEqual(Math.min(1000, Math.ceil(224 / selectivity)));
      expect(next).toBeLessThanOrEqual(1000);
      previous = next;
    }
  });

  it('probes more IVFFlat lists for selective filters, never more than there are', () => {
    expect(
      indexSettings({ type: 'ivfflat', lists: 100, limit: 10, selectivity: 1, tuning: {}, iterative: true }),
    ).toEqual({ 'ivfflat.probes': '20' });
    const filtered = indexSettings({
      type: 'ivfflat',
      lists: 100,
      limit: 10,
      selectivity: 0.01,
      tuning: {},
      iterative: true,
    });
    expect(filtered).toEqual({
      'ivfflat.probes': '100',
      'ivfflat.iterative_scan': 'relaxed_order',
      'ivfflat.max_probes': '100',
    });
  });

  it('makes the exact cutoff recall-aware: exact while the ANN side needs longer to meet the target', () => {
    const cutoff = (totalRows: number | undefined, options: { ef_search?: number; type?: 'ivfflat' } = {}) =>
      recallAwareCutoff({
        floor: 3750,
        type: options.type ?? 'hnsw',
        totalRows,
        limit: 10,
        tuning: options.ef_search === undefined ? {} : { ef_search: options.ef_search },
      });
    // The bench's table: 50,000 rows, calibrated ef_search 224. Below (2 × 224 / 1,000)^(1 / 1.5)
    // of the rows (29,277) the ANN side would need more than 1,000 candidates: exact up to there.
    const bench = cutoff(50_000, { ef_search: 224 });
    expect(bench).toBe(Math.ceil(50_000 * ((2 * 224) / 1000) ** (2 / 3)));
    expect(bench).toBeGreaterThan(16_000);
    expect(bench).toBeLessThan(32_000);
    // Just above the cutoff the ANN side's candidate list fits pgvector's 1,000.
    const efAbove = indexSettings({
      type: 'hnsw',
      lists: undefined,
      limit: 10,
      selectivity: (bench + 1) / 50_000,
      tuning: { ef_search: 224 },
      iterative: true,
    });
    expect(Number(efAbove['hnsw.ef_search'])).toBeLessThanOrEqual(1000);
    // A namespace whose index meets the target with fewer candidates leaves more to the index.
    expect(cutoff(50_000, { ef_search: 60 })).toBeLessThan(bench);
    // One that needs 1,000 candidates unfiltered: exact while exact is the faster way, the crossing
    // of m rows against 16 × 1,000 × (total / m)^1.5.
    expect(cutoff(10_000, { ef_search: 1000 })).toBe(Math.ceil((16 * 2000 * 10_000 ** 1.5) ** 0.4));
    // Small tables and unknown sizes: the floor; IVFFlat: the floor.
    expect(cutoff(3000)).toBe(3750);
    expect(cutoff(undefined, { ef_search: 224 })).toBe(3750);
    expect(cutoff(50_000, { ef_search: 224, type: 'ivfflat' })).toBe(3750);
    // Exact never costs more than twice the capped ANN scan (2 × ROWS_PER_EF_SEARCH × 1,000 rows).
    expect(cutoff(10_000_000, { ef_search: 224 })).toBe(2 * ROWS_PER_EF_SEARCH * 1000);
    // Whatever the table and its calibrated list: a filter just above the cutoff gets a candidate
    // list within pgvector's 1,000 (the target is reachable), unless exact hit its cost limit.
    for (const totalRows of [8000, 30_000, 50_000, 80_000, 200_000]) {
      for (const ef_search of [16, 40, 112, 224, 640, 1000]) {
        const rows = cutoff(totalRows, { ef_search });
        if (rows >= totalRows || rows === 2 * ROWS_PER_EF_SEARCH * 1000) continue;
        const above = indexSettings({
          type: 'hnsw',
          lists: undefined,
          limit: 10,
          selectivity: (rows + 1) / totalRows,
          tuning: { ef_search },
          iterative: true,
        });
        expect(Math.ceil(2 * ef_search * ((rows + 1) / totalRows) ** -1.5)).toBeLessThanOrEqual(1000);
        expect(Number(above['hnsw.ef_search'])).toBeGreaterThanOrEqual(ef_search);
      }
    }
    // The cutoff grows with the table up to that limit.
    const sizes = [5000, 20_000, 50_000, 100_000, 1_000_000];
    const cutoffs = sizes.map((rows) => cutoff(rows, { ef_search: 224 }));
    for (let index = 1; index < cutoffs.length; index++) {
      expect(cutoffs[index]).toBeGreaterThanOrEqual(cutoffs[index - 1]!);
    }
  });

  it('uses one exact cutoff whatever the dimensions (the measured crossing hardly moves with them)', () => {
    expect(exactCutoffRows(256)).toBe(exactCutoffRows(1536));
    expect(exactCutoffRows(3072)).toBe(exactCutoffRows(16));
  });
});

describe.each(databaseTargets)('the search planner on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  const namespace = 'planner';
  const tableName = `embeddings_${namespace}`;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
    const store = createVectorStore(db, { namespace, embedding: identity });
    await store.ensureNamespace({ namespace, indexThreshold: 1000 });
    await store.insertEmbeddings(records);
    expect(await store.getNamespaceStats()).toMatchObject({ vector_index_exists: true });
    await db.orm.execute(sql`ANALYZE ${sql.identifier(tableName)}`);
  }, 120_000);
  afterAll(async () => {
    await close();
  });

  const filters: [string, Filter, (record: EmbeddingInput) => boolean][] = [
    ['metadata', { metadata: { $contains: { group: 'rare' } } }, isRare],
    ['domain_tags', { domain_tags: { $any: ['rare'] } }, isRare],
    ['a column', { depth_level: { $gte: 9 } }, isRare],
  ];

  it.each(filters)(
    'a 1%% filter on %s (%o) returns exactly the true top-k, compared exactly',
    async (_, filter, where) => {
      const handle = await openNamespace(db, namespace);
      for (const seed of [1, 2, 3]) {
        const query = testVector(50_000 + seed, DIMENSIONS);
        const { results, plan } = await handle.searchWithPlan({ vector: query, filters: filter, limit: 10 });
        expect(ids(results)).toEqual(exactIds(query, where));
        expect(plan).toMatchObject({
          strategy: 'exact',
          reason: 'few_matching_rows',
          matching_rows: ROWS / 100,
          matching_rows_counted: 'exact',
        });
      }
    },
  );

  it('a 30% filter goes through the index, with an iterative scan sized to it, and finds the top-k', async () => {
    const handle = await openNamespace(db, namespace);
    let found = 0;
    for (const seed of [11, 12, 13, 14, 15]) {
      const query = testVector(60_000 + seed, DIMENSIONS);
      const { results, plan } = await handle.searchWithPlan({
        vector: query,
        filters: { metadata: { $contains: { tier: 'top' } } },
        limit: 10,
        exactCutoff: 300,
      });
      if (isCitus(db)) {
        // The coordinator's EXPLAIN carries no statistics of the shards: the planner counts the
        // matching rows instead, up to the cutoff, and sizes the budgets for that lower bound.
        expect(plan).toMatchObject({
          strategy: 'index',
          reason: 'many_matching_rows',
          matching_rows_counted: 'at_least',
          matching_rows: 301,
          exact_cutoff: 300,
        });
      } else {
        // PostgreSQL's statistics put the 900 matching rows far above the cutoff: planned from the
        // estimate, nothing counted, budgets sized to about 30%.
        expect(plan).toMatchObject({
          strategy: 'index',
          reason: 'many_matching_rows',
          matching_rows_counted: 'estimated',
          exact_cutoff: 300,
        });
        expect(plan.matching_rows).toBeGreaterThan(600);
        expect(plan.matching_rows).toBeLessThan(1200);
        expect(plan.assumed_selectivity).toBeCloseTo(0.3, 1);
      }
      // Wider than the unfiltered (calibrated) candidate list: the filter passes about 30% of rows.
      const base = Math.max(10, handle.record.search_tuning.ef_search ?? 40);
      expect(Number(plan.settings['hnsw.ef_search'])).toBeGreaterThanOrEqual(Math.min(1000, base / 0.4));
      if (supportsIterativeScan(db.versions.pgvector)) {
        expect(plan.settings['hnsw.iterative_scan']).toBe('relaxed_order');
      }
      expect(results).toHaveLength(10);
      expect(results.every(([record]) => (record.metadata as { tier: string }).tier === 'top')).toBe(true);
      const truth = new Set(exactIds(query, isTop));
      found += ids(results).filter((id) => truth.has(id)).length;
    }
    expect(found / 50).toBeGreaterThanOrEqual(0.95);
  });

  it('flips from exact to the index exactly when the matching rows pass the cutoff', async () => {
    const handle = await openNamespace(db, namespace);
    const query = testVector(70_000, DIMENSIONS);
    const filter: Filter = { metadata: { $contains: { group: 'rare' } } };
    const at = await handle.searchWithPlan({ vector: query, filters: filter, exactCutoff: ROWS / 100 });
    expect(at.plan).toMatchObject({ strategy: 'exact', matching_rows: 30 });
    const below = await handle.searchWithPlan({
      vector: query,
      filters: filter,
      exactCutoff: ROWS / 100 - 1,
    });
    expect(below.plan).toMatchObject({
      strategy: 'index',
      matching_rows: 30,
      matching_rows_counted: 'at_least',
      // The iterative scan found all 10 (no exact fallback): its settings, sent in the same round
      // trip as the query, were in force when the index scan ran — with pgvector's defaults
      // (ef_search 40, no iterative scan) about 1% of 40 candidates would pass.
      exact_fallback: false,
    });
    expect(below.plan.settings['hnsw.iterative_scan']).toBe('relaxed_order');
    // Either way the answer is the exact top-k (the index scan is sized for a 1% filter).
    expect(ids(below.results)).toEqual(ids(at.results));
    expect(ids(at.results)).toEqual(exactIds(query, isRare));
  });

  it('sizes the exact cutoff to the table and its calibrated candidate list (recall-aware)', async () => {
    const handle = await openNamespace(db, namespace);
    const search = (ef_search: number | undefined) =>
      searchNearest(db, {
        namespace: handle.record,
        vector: testVector(75_000, DIMENSIONS),
        limit: 10,
        collectionName: 'all',
        includeVectors: false,
        tuning: ef_search === undefined ? {} : { ef_search },
      });
    // A namespace whose index needs 1,000 candidates for its target: no filter lets the ANN side
    // meet the target within pgvector's 1,000 candidates — all 3,000 rows compared, exactly.
    const wide = await search(1000);
    const rows = wide.plan.estimated_total_rows;
    if (isCitus(db) || rows === undefined) return; // the coordinator has no statistics of the shards
    expect(wide.plan).toMatchObject({ strategy: 'exact', matching_rows: ROWS });
    expect(wide.plan.exact_cutoff).toBe(Math.ceil((16 * 2000 * rows ** 1.5) ** 0.4));
    expect(wide.plan.exact_cutoff).toBeGreaterThan(exactCutoffRows(DIMENSIONS));
    expect(ids(wide.results)).toEqual(exactIds(testVector(75_000, DIMENSIONS), () => true));
    // pgvector's default candidate list on 3,000 rows: the floor.
    expect((await search(undefined)).plan.exact_cutoff).toBe(exactCutoffRows(DIMENSIONS));
  });

  it('reports the unfiltered and requested plans, and searches unfiltered through the index', async () => {
    const handle = await openNamespace(db, namespace);
    const query = testVector(80_000, DIMENSIONS);
    const unfiltered = await handle.searchWithPlan({ vector: query, limit: 5 });
    expect(unfiltered.plan).toEqual({
      strategy: 'index',
      reason: 'unfiltered',
      index_type: 'hnsw',
      exact_cutoff: exactCutoffRows(DIMENSIONS),
      assumed_selectivity: 1,
      // The index was calibrated when it was built; the search uses that setting.
      settings: {
        'hnsw.ef_search': String(Math.max(5, handle.record.search_tuning.ef_search ?? Number.NaN)),
      },
      exact_fallback: false,
    });
    expect(handle.record.search_tuning.recall).toBeGreaterThanOrEqual(0.95);
    const exact = await handle.searchWithPlan({ vector: query, limit: 5, exact: true });
    expect(exact.plan).toMatchObject({ strategy: 'exact', reason: 'requested', settings: {} });
    expect(ids(exact.results)).toEqual(exactIds(query, () => true, 5));
  });

  it('stops at `limit` index candidates when no row can pass the threshold (no exact fallback)', async () => {
    const handle = await openNamespace(db, namespace);
    const { results, plan } = await handle.searchWithPlan({
      vector: testVector(90_000, DIMENSIONS),
      filters: { metadata: { $contains: { tier: 'top' } } },
      threshold: 0.9999,
      exactCutoff: 300,
    });
    expect(results).toEqual([]);
    expect(plan).toMatchObject({ strategy: 'index', exact_fallback: false });
  });

  it('has GIN indexes on metadata and domain_tags that the filters use', async () => {
    const names = indexNamesFor(tableName);
    const indexes = await queryRows<{ name: string; definition: string }>(
      db.orm,
      sql`SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = ${tableName}`,
    );
    const byName = new Map(indexes.map((row) => [row.name, row.definition]));
    expect(byName.get(names.metadata)).toMatch(/USING gin \(metadata jsonb_path_ops\)/);
    expect(byName.get(names.domainTags)).toMatch(/USING gin \(domain_tags\)/);
    const plan = await queryRows<{ 'QUERY PLAN': string }>(
      db.orm,
      sql`EXPLAIN SELECT 1 FROM ${sql.identifier(tableName)} WHERE metadata @> '{"group":"rare"}'::jsonb`,
    );
    expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain(names.metadata);
  });

  it('gives a table registered before the filter indexes its GIN indexes on the next write', async () => {
    const store = createVectorStore(db, { namespace: 'planner_old', embedding: identity });
    await store.insertEmbeddings(records.slice(0, 20));
    const names = indexNamesFor('embeddings_planner_old');
    await db.orm.execute(sql`DROP INDEX ${sql.identifier(names.metadata)}`);
    await db.orm.execute(sql`DROP INDEX ${sql.identifier(names.domainTags)}`);
    await db.orm.execute(sql`UPDATE dje_namespaces SET table_version = 1 WHERE namespace = 'planner_old'`);
    const present = async () =>
      (
        await queryRows<{ name: string }>(
          db.orm,
          sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'embeddings_planner_old'`,
        )
      ).map((row) => row.name);
    expect(await present()).not.toContain(names.metadata);
    // Reading changes nothing; the next write brings the table up to date.
    await store.similaritySearch({
      vector: testVector(1, DIMENSIONS),
      filters: { domain_tags: { $any: ['x'] } },
    });
    expect(await present()).not.toContain(names.metadata);
    await store.insertEmbeddings([plannerRecord(5000)]);
    expect(await present()).toEqual(expect.arrayContaining([names.metadata, names.domainTags]));
    const version = await queryRows<{ table_version: number }>(
      db.orm,
      sql`SELECT table_version FROM dje_namespaces WHERE namespace = 'planner_old'`,
    );
    expect(version).toEqual([{ table_version: CURRENT_TABLE_VERSION }]);
  });
});
