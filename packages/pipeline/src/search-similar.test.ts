// searchSimilar: query checks before any provider call, and the options reaching the store.
import type { Database } from '@dynamic-embeddings/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline } from './pipeline-types.js';
import { type CountingProvider, createCountingProvider } from './testing/counting-provider.js';
import { sharedDatabase } from './testing/database.js';
import { loadExample } from './testing/fixtures.js';

let db: Database;
let provider: CountingProvider;
let pipeline: EmbeddingPipeline;

beforeAll(async () => {
  db = await sharedDatabase();
  // A token limit like a real model's, so the query length check has something to enforce.
  provider = createCountingProvider({ maxTokensPerInput: 200 });
  pipeline = await createPipeline({ db, provider, namespace: 'search' });
  await pipeline.processJsonData(loadExample('campaigns'), {
    collectionName: 'ads',
    documentId: 'campaigns',
  });
  await pipeline.processJsonData(loadExample('products'), { collectionName: 'shop', documentId: 'products' });
  await pipeline.processJsonData(loadExample('sensor-data'), {
    collectionName: 'iot',
    documentId: 'sensors',
  });
  provider.reset();
});

describe('query checks', () => {
  it.each([
    ['empty', ''],
    ['blank', '  \n '],
  ])('an %s query is EMPTY_QUERY', async (_label, query) => {
    await expect(pipeline.searchSimilar(query)).rejects.toMatchObject({
      code: 'EMPTY_QUERY',
      kind: 'validation',
    });
    expect(provider.calls).toBe(0);
  });

  it('a query over the provider’s token limit is QUERY_TOO_LONG, with the count and the limit', async () => {
    const query = 'mobile banners with a high click-through rate in Norway '.repeat(30);
    const error = await pipeline.searchSimilar(query).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'QUERY_TOO_LONG', kind: 'validation', details: { limit: 200 } });
    expect((error as { details: { tokens: number } }).details.tokens).toBeGreaterThan(200);
    expect(provider.calls).toBe(0);
  });

  it('a missing namespace is NAMESPACE_NOT_FOUND before any embedding', async () => {
    await expect(pipeline.searchSimilar('battery', { namespace: 'nowhere' })).rejects.toMatchObject({
      code: 'NAMESPACE_NOT_FOUND',
    });
    expect(provider.calls).toBe(0);
  });
});

describe('search options', () => {
  it('limit bounds the hits, which come best first', async () => {
    provider.reset();
    const hits = await pipeline.searchSimilar('battery low', { limit: 3, mode: 'vector' });
    expect(hits).toHaveLength(3);
    expect(provider.texts).toEqual(['battery low']);
    expect(hits[0]!.similarity).toBeGreaterThanOrEqual(hits[2]!.similarity);
    expect(hits[0]).not.toHaveProperty('score');
  });

  it('searches in hybrid mode by default: hits ranked by RRF score, with each leg’s rank', async () => {
    const { hits, plan } = await pipeline.searchWithPlan('battery low', { limit: 5 });
    expect(plan).toMatchObject({ mode: 'hybrid', keyword: { tsquery: "'battery' & 'low'" } });
    expect(hits).toHaveLength(5);
    const scores = hits.map((hit) => hit.score!);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
    for (const hit of hits) {
      expect(hit.vector_rank !== undefined || hit.keyword_rank !== undefined).toBe(true);
      expect(typeof hit.similarity).toBe('number');
    }
  });

  it('keyword mode finds rows by their words only, and still reports similarity', async () => {
    const { hits, plan } = await pipeline.searchWithPlan('battery', { mode: 'keyword', limit: 100 });
    expect(plan).toMatchObject({ mode: 'keyword' });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.text.toLowerCase()).toContain('battery');
      expect(hit.keyword_rank).toBeDefined();
      expect(Number.isFinite(hit.similarity)).toBe(true);
    }
  });

  it('collectionName keeps hits in one collection', async () => {
    const hits = await pipeline.searchSimilar('battery low', { collectionName: 'shop', limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((hit) => hit.collection_name))).toEqual(new Set(['shop']));
  });

  it('threshold drops hits below the similarity asked for', async () => {
    const all = await pipeline.searchSimilar('temperature sensor battery', { limit: 100, mode: 'vector' });
    const cut = all[Math.floor(all.length / 2)]!.similarity;
    const above = await pipeline.searchSimilar('temperature sensor battery', { limit: 100, threshold: cut });
    expect(above.length).toBeGreaterThan(0);
    expect(above.length).toBeLessThan(all.length);
    expect(above.every((hit) => hit.similarity >= cut)).toBe(true);
  });

  it('filters narrow hits to matching rows', async () => {
    const hits = await pipeline.searchSimilar('Norway', { limit: 50, filters: { document_id: 'products' } });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.document_id === 'products')).toBe(true);
  });

  it('a filter on an unknown column is a clear error', async () => {
    await expect(
      pipeline.searchSimilar('Norway', { filters: { embedding: 'x' } as never }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('a namespace from before the keyword index', () => {
  it('searches by vector by default until upgraded; keyword and hybrid say how to upgrade', async () => {
    const old = await createPipeline({ db, provider, namespace: 'search_old' });
    await old.processJsonData(loadExample('products'), { collectionName: 'shop', documentId: 'products' });
    await db.orm.execute('ALTER TABLE embeddings_search_old DROP COLUMN keywords');
    await db.orm.execute("UPDATE dje_namespaces SET table_version = 2 WHERE namespace = 'search_old'");
    const { hits, plan } = await old.searchWithPlan('battery', { limit: 3 });
    expect(hits).toHaveLength(3);
    expect(plan).not.toHaveProperty('mode');
    expect(hits[0]).not.toHaveProperty('score');
    await expect(old.searchWithPlan('battery', { mode: 'hybrid' })).rejects.toMatchObject({
      code: 'KEYWORD_INDEX_MISSING',
    });
    await old.reindexNamespace('search_old');
    const upgraded = await old.searchWithPlan('battery', { limit: 3 });
    expect(upgraded.plan).toMatchObject({ mode: 'hybrid' });
  });
});
