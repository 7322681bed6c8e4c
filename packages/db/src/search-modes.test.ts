import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from './database.js';
import { CURRENT_TABLE_VERSION } from './namespace-ddl.js';
import { type NamespaceHandle, openNamespace, openOrCreateNamespace } from './namespace-handle.js';
import { tableExists } from './table-catalog.js';
import { indexNamesFor } from './table-names.js';
import { reindexNamespace } from './table-upgrade.js';
import { connectTarget, testRecord, testVector } from './testing/records.js';
import type { EmbeddingInput } from './vector-store-types.js';

const DIMENSIONS = 16;
const identity = { provider: 'test', model: 'modes-model', dimensions: DIMENSIONS } as const;

/** Chunk texts as the chunker writes them (key: value), full of identifiers. */
const TEXTS: readonly [string, string][] = [
  ['campaigns', 'campaign_id: cmp_1042 name: Spring banners country: Norway channel: mobile'],
  ['campaigns', 'campaign_id: cmp_1043 name: Summer video country: Sweden budget_id: 1042'],
  ['campaigns', 'owner.email: john.doe@acme.io campaign.budget.daily: 250 campaignId: cmp_2001'],
  ['products', 'sku: sku_77 title: "Trail running shoe" order_uuid: 550e8400-e29b-41d4-a716-446655440000'],
  ['products', 'sku: sku_78 title: Road running shoe error_code: E_TIMEOUT'],
  ['campaigns', 'campaign_id: cmp_3000 name: mobile banners for Norway, mobile first'],
];

function records(): EmbeddingInput[] {
  const rows = TEXTS.map(([collectionName, text], index) =>
    testRecord({ index, dimensions: DIMENSIONS, collectionName, overrides: { text } }),
  );
  // Filler rows so the vector leg always has neighbours that share no word with the queries.
  for (let index = TEXTS.length; index < 60; index++) {
    rows.push(
      testRecord({ index, dimensions: DIMENSIONS, collectionName: index % 2 ? 'campaigns' : 'products' }),
    );
  }
  return rows;
}

const chunkIds = (results: readonly { readonly record: { readonly chunk_id: string } }[]) =>
  results.map((result) => result.record.chunk_id);

describe.each(databaseTargets)('search modes on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  let handle: NamespaceHandle;
  /** A query vector nearest to filler rows, not to any identifier row. */
  const farVector = testVector(40, DIMENSIONS);
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
    ({ handle } = await openOrCreateNamespace(db, { namespace: 'modes', ...identity }));
    await handle.insert(records());
  });
  afterAll(async () => {
    await close();
  });

  it('keyword mode ranks the row of an identifier typed as the query first, and only rows with it', async () => {
    const { results, plan } = await handle.searchRanked({ mode: 'keyword', query: 'cmp_1042' });
    // cmp_1043's row has 1042 too (budget_id), but not as the adjacent pair cmp, 1042.
    expect(chunkIds(results)).toEqual(['chunk-0']);
    expect(results[0]).toMatchObject({ keyword_rank: 1 });
    expect(results[0]?.keyword_score).toBeGreaterThan(0);
    expect(plan).toMatchObject({
      mode: 'keyword',
      keyword: { tsquery: "'cmp' <-> '1042'", matched_rows: 1 },
    });
  });

  it('matches identifiers whole and by part: emails, dotted and camelCase keys, UUIDs', async () => {
    const found = async (query: string) =>
      chunkIds((await handle.searchRanked({ mode: 'keyword', query })).results);
    expect(await found('john.doe@acme.io')).toEqual(['chunk-2']);
    expect(await found('acme')).toEqual(['chunk-2']);
    expect(await found('budget daily')).toEqual(['chunk-2']);
    expect(await found('campaign.budget.daily')).toEqual(['chunk-2']);
    expect(await found('campaignId')).toEqual(['chunk-2']);
    expect(await found('550e8400-e29b-41d4-a716-446655440000')).toEqual(['chunk-3']);
    expect(await found('a716')).toEqual(['chunk-3']);
    expect(await found('E_TIMEOUT')).toEqual(['chunk-4']);
    expect(await found('timeout')).toEqual(['chunk-4']);
  });

  it('parses quotes, -term and or as a web search does', async () => {
    const found = async (query: string) =>
      chunkIds((await handle.searchRanked({ mode: 'keyword', query, limit: 20 })).results).sort();
    expect(await found('running shoe')).toEqual(['chunk-3', 'chunk-4']);
    expect(await found('running shoe -trail')).toEqual(['chunk-4']);
    expect(await found('"shoe running"')).toEqual([]);
    expect(await found('"running shoe"')).toEqual(['chunk-3', 'chunk-4']);
    expect(await found('sweden or norway')).toEqual(['chunk-0', 'chunk-1', 'chunk-5']);
  });

  it('hybrid mode ranks the identifier’s row first even when the vector leg ranks others first', async () => {
    const { results, plan } = await handle.searchRanked({
      mode: 'hybrid',
      query: 'cmp_1042',
      vector: farVector,
      limit: 5,
    });
    expect(results[0]?.record.chunk_id).toBe('chunk-0');
    expect(results[0]?.keyword_rank).toBe(1);
    expect(results).toHaveLength(5);
    // Every result carries its similarity, and the score is RRF over the ranks it reports.
    for (const result of results) {
      expect(typeof result.similarity).toBe('number');
      const expected =
        (result.vector_rank === undefined ? 0 : 1 / (60 + result.vector_rank)) +
        (result.keyword_rank === undefined ? 0 : 1 / (60 + result.keyword_rank));
      expect(result.score).toBeCloseTo(expected, 12);
    }
    const vectorRankOne = results.find((result) => result.vector_rank === 1);
    expect(vectorRankOne?.record.chunk_id).not.toBe('chunk-0');
    expect(plan).toMatchObject({ mode: 'hybrid', rrf_k: 60, weights: { vector: 1, keyword: 1 } });
    expect(plan).toHaveProperty('vector.strategy', 'exact');
    expect(plan).toHaveProperty('keyword.tsquery', "'cmp' <-> '1042'");
  });

  it('a threshold applies to both legs: every hybrid result is at least that similar', async () => {
    const all = await handle.searchRanked({ mode: 'hybrid', query: 'cmp', vector: farVector, limit: 60 });
    const similarities = all.results.map((result) => result.similarity!).sort((a, b) => a - b);
    const cut = similarities[Math.floor(similarities.length / 2)]!;
    const { results } = await handle.searchRanked({
      mode: 'hybrid',
      query: 'cmp',
      vector: farVector,
      limit: 60,
      threshold: cut,
    });
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThan(all.results.length);
    expect(results.every((result) => result.similarity! >= cut)).toBe(true);
    const keywordOnly = await handle.searchRanked({
      mode: 'keyword',
      query: 'cmp',
      vector: farVector,
      threshold: cut,
    });
    expect(keywordOnly.results.every((result) => result.similarity! >= cut)).toBe(true);
  });

  it('a filter and a collection restrict both legs', async () => {
    const { results, plan } = await handle.searchRanked({
      mode: 'hybrid',
      query: 'running',
      vector: testVector(3, DIMENSIONS),
      collectionName: 'products',
      filters: { strategy: 'flat' },
      limit: 50,
    });
    expect(results.length).toBeGreaterThan(0);
    for (const { record } of results) {
      expect(record.collection_name).toBe('products');
      expect(record.strategy).toBe('flat');
    }
    // chunk-3 (sku_77, running) is hierarchical: excluded from both legs; chunk-4 (sku_78) is flat.
    expect(chunkIds(results)).not.toContain('chunk-3');
    expect(results.find((result) => result.record.chunk_id === 'chunk-4')?.keyword_rank).toBe(1);
    expect(plan).toHaveProperty('keyword.matched_rows', 1);
  });

  it('gives results or a clear error for hostile query strings, never an SQL error', async () => {
    for (const query of ["'", '&|!', "'; DROP TABLE embeddings_modes; --", ':*', '(((', '\\', '"']) {
      const keyword = await handle.searchRanked({ mode: 'keyword', query });
      expect(keyword.results).toEqual([]);
      const hybrid = await handle.searchRanked({ mode: 'hybrid', query, vector: farVector, limit: 3 });
      expect(hybrid.results).toHaveLength(3);
      expect(hybrid.results.every((result) => result.keyword_rank === undefined)).toBe(true);
    }
    expect(await tableExists(db.orm, 'embeddings_modes')).toBe(true);
    const long = `cmp_1042 ${'lorem ipsum '.repeat(853)}`.slice(0, 10_240);
    expect((await handle.searchRanked({ mode: 'keyword', query: long })).results).toEqual([]);
    expect(
      (await handle.searchRanked({ mode: 'hybrid', query: long, vector: farVector, limit: 2 })).results,
    ).toHaveLength(2);
    const nul = await djeErrorOf(handle.searchRanked({ mode: 'keyword', query: 'cmp\u00001042' }));
    expect(nul).toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'query' } });
    const huge = await djeErrorOf(handle.searchRanked({ mode: 'keyword', query: 'a'.repeat(20_001) }));
    expect(huge).toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'query' } });
    for (const [options, argument] of [
      [{ mode: 'keyword', query: '   ' }, 'query'],
      [{ mode: 'hybrid', query: 'x' }, 'vector'],
      [{ mode: 'fuzzy', query: 'x' }, 'mode'],
      [{ mode: 'hybrid', query: 'x', vector: farVector, rrfK: -1 }, 'rrfK'],
      [
        { mode: 'hybrid', query: 'x', vector: farVector, weights: { keyword: Number.NaN } },
        'weights.keyword',
      ],
      [{ mode: 'hybrid', query: 'x', vector: farVector, weights: { keyword: 0, vector: 0 } }, 'weights'],
    ] as const) {
      const error = await djeErrorOf(handle.searchRanked(options as never));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument } });
    }
  });

  it('with a stemming configuration, stems, and a query of only stop words finds nothing', async () => {
    const { handle: english } = await openOrCreateNamespace(db, {
      namespace: 'modes_english',
      ...identity,
      textSearchConfig: 'english',
    });
    expect(english.record.text_search_config).toBe('english');
    await english.insert(records().slice(0, 6));
    const banners = await english.searchRanked({ mode: 'keyword', query: 'banner', limit: 10 });
    expect(chunkIds(banners.results).sort()).toEqual(['chunk-0', 'chunk-5']);
    const stop = await english.searchRanked({ mode: 'keyword', query: 'the and of' });
    expect(stop.results).toEqual([]);
    expect(stop.plan).toHaveProperty('keyword.tsquery', '');
    const simple = await handle.searchRanked({ mode: 'keyword', query: 'banner' });
    expect(simple.results).toEqual([]);
  });

  it('refuses an unknown text search configuration and creates nothing', async () => {
    for (const config of ['klingon', "simple'; drop table x; --", 'Simple']) {
      const error = await djeErrorOf(
        openOrCreateNamespace(db, { namespace: 'modes_bad_config', ...identity, textSearchConfig: config }),
      );
      expect(error.code).toBe('INVALID_TEXT_SEARCH_CONFIG');
      expect(await tableExists(db.orm, 'embeddings_modes_bad_config')).toBe(false);
    }
  });

  /** A namespace with `rows`, turned into one created before the keyword column (table version 2). */
  async function olderNamespace(namespace: string, rows: readonly EmbeddingInput[]): Promise<void> {
    const { handle: old } = await openOrCreateNamespace(db, { namespace, ...identity });
    await old.insert(rows);
    await db.orm.execute(sql`ALTER TABLE ${sql.identifier(`embeddings_${namespace}`)} DROP COLUMN keywords`);
    await db.orm.execute(sql`UPDATE dje_namespaces SET table_version = 2 WHERE namespace = ${namespace}`);
  }

  it('upgrades a table from before the keyword column: refused until reindexed, then searchable', async () => {
    await olderNamespace('modes_old', records().slice(0, 6));
    const before = await openNamespace(db, 'modes_old');
    const refused = await djeErrorOf(before.searchRanked({ mode: 'keyword', query: 'cmp_1042' }));
    expect(refused).toMatchObject({ code: 'KEYWORD_INDEX_MISSING', details: { namespace: 'modes_old' } });
    // Vector search keeps working on the old table.
    const vector = await before.searchRanked({ vector: testVector(0, DIMENSIONS), limit: 1 });
    expect(chunkIds(vector.results)).toEqual(['chunk-0']);
    const upgraded = await reindexNamespace(db, 'modes_old');
    expect(upgraded).toMatchObject({ table_version: CURRENT_TABLE_VERSION });
    expect(upgraded.created).toEqual([indexNamesFor('embeddings_modes_old').keywords]);
    // Idempotent: a second run finds nothing to do.
    expect((await reindexNamespace(db, 'modes_old')).created).toEqual([]);
    const after = await openNamespace(db, 'modes_old');
    const { results } = await after.searchRanked({ mode: 'keyword', query: 'cmp_1042' });
    expect(chunkIds(results)).toEqual(['chunk-0']);
  });

  it('upgrades an old table on its next write', async () => {
    await olderNamespace('modes_write', records().slice(0, 2));
    const reopened = await openNamespace(db, 'modes_write');
    await reopened.insert(records().slice(2, 6));
    const { results } = await reopened.searchRanked({ mode: 'keyword', query: 'sku_78' });
    expect(chunkIds(results)).toEqual(['chunk-4']);
    const rows = await queryRows<{ table_version: number }>(
      db.orm,
      sql`SELECT table_version FROM dje_namespaces WHERE namespace = 'modes_write'`,
    );
    expect(rows).toEqual([{ table_version: CURRENT_TABLE_VERSION }]);
  });
});
