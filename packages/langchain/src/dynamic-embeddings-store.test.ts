// The store the way LangChain's vector-store integration tests exercise one: real @langchain/core
// and @langchain/openai (against the local OpenAI-compatible server), on both database paths.
import { createLocalProvider } from '@dynamic-embeddings/embeddings';
import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { Document } from '@langchain/core/documents';
import { RunnableSequence } from '@langchain/core/runnables';
import { OpenAIEmbeddings } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOpenAIServer, type TestOpenAIServer } from '../../embeddings/src/testing/openai-server.js';
import { DynamicEmbeddingsStore } from './dynamic-embeddings-store.js';
import { toLangChainEmbeddings } from './langchain-embeddings.js';

const documents = [
  new Document({
    pageContent: 'Norway mobile banners',
    metadata: { source: 'crm', year: 2024, tags: ['ads'] },
  }),
  new Document({ pageContent: 'Sweden video ads', metadata: { source: 'crm', year: 2023 } }),
  new Document({
    pageContent: 'Quarterly revenue report',
    metadata: { source: 'finance', nested: { q: 3 } },
  }),
];
const ids = ['norway', 'sweden', 'revenue'];

const campaign = {
  name: 'Autumn Savings - Norway Mobile Banners',
  targeting: { countries: ['Norway'], devices: ['mobile'] },
  performance: { impressions: 4820000, clicks: 183160, ctr: 3.8 },
};

describe.each(databaseTargets)('DynamicEmbeddingsStore on $name', (target) => {
  let database: { readonly url: string; close(): Promise<void> };
  let server: TestOpenAIServer;
  let store: DynamicEmbeddingsStore;

  beforeAll(async () => {
    database = await target.start();
    // LangChain's OpenAIEmbeddings takes the vectors in response order, as OpenAI sends them.
    server = await startTestOpenAIServer({ inOrder: true });
    const embeddings = new OpenAIEmbeddings({
      model: 'text-embedding-3-small',
      dimensions: 16,
      apiKey: 'test-key',
      configuration: { baseURL: server.baseURL },
    });
    store = await DynamicEmbeddingsStore.initialize(embeddings, {
      databaseUrl: database.url,
      namespace: 'langchain',
      collectionName: 'docs',
    });
    await store.addDocuments(documents, { ids });
  });

  afterAll(async () => {
    await store?.close();
    await server?.close();
    await database?.close();
  });

  it('registers the namespace with the embeddings model and measured dimensions', async () => {
    const [namespace] = await store.pipeline.listNamespaces();
    expect(namespace).toMatchObject({
      namespace: 'langchain',
      dimensions: 16,
      model: 'text-embedding-3-small',
    });
    expect(server.requests.every((request) => request.body.model === 'text-embedding-3-small')).toBe(true);
  });

  it('returns documents with their ids and metadata, scored as similarities, best first', async () => {
    const results = await store.similaritySearchWithScore('Sweden video ads', 3);
    expect(results.map(([document]) => document.id)).toContain('sweden');
    const [best, ...rest] = results;
    expect(best?.[0]).toMatchObject({
      id: 'sweden',
      pageContent: 'Sweden video ads',
      metadata: documents[1]?.metadata,
    });
    expect(best?.[1]).toBeCloseTo(1, 5);
    for (const [, score] of rest) expect(score).toBeLessThan(best?.[1] ?? 0);
    const revenue = results.find(([document]) => document.id === 'revenue');
    expect(revenue?.[0].metadata).toEqual({ source: 'finance', nested: { q: 3 } });
  });

  it('returns at most k documents', async () => {
    expect(await store.similaritySearch('Norway mobile banners', 1)).toHaveLength(1);
    expect(await store.similaritySearch('Norway mobile banners', 10)).toHaveLength(3);
  });

  it('maps metadata filters onto the filter language', async () => {
    const search = async (filter: DynamicEmbeddingsStore['FilterType']) =>
      (await store.similaritySearch('Norway mobile banners', 10, filter))
        .map((document) => document.id)
        .sort();
    expect(await search({ source: 'crm' })).toEqual(['norway', 'sweden']);
    expect(await search({ source: 'crm', year: { $eq: 2023 } })).toEqual(['sweden']);
    expect(await search({ year: { $in: [2023, 2024] } })).toEqual(['norway', 'sweden']);
    expect(await search({ $or: [{ source: 'finance' }, { tags: ['ads'] }] })).toEqual(['norway', 'revenue']);
    expect(await search({ nested: { q: 3 } })).toEqual(['revenue']);
    expect(await search({ source: 'nowhere' })).toEqual([]);
  });

  it('refuses filters it cannot express with INVALID_METADATA_FILTER', async () => {
    for (const filter of [{ year: { $gt: 2020 } }, { $not: { source: 'crm' } }, { year: { $in: [] } }]) {
      const error = await djeErrorOf(store.similaritySearch('x', 3, filter));
      expect(error.code).toBe('INVALID_METADATA_FILTER');
    }
  });

  it('stores a JSON pageContent as chunks that carry the document metadata, replacing earlier versions', async () => {
    const json = new Document({ pageContent: JSON.stringify(campaign), metadata: { source: 'ads-api' } });
    await store.addDocuments([json], { ids: ['autumn'] });
    const first = await store.pipeline.getDocument('autumn', { collectionName: 'docs' });
    expect(first.map((row) => row.text).join('\n')).toContain('Norway');
    expect(first.every((row) => row.metadata?.source === 'ads-api' && row.strategy !== 'text')).toBe(true);
    const hits = await store.similaritySearch('anything', 10, { source: 'ads-api' });
    expect(new Set(hits.map((document) => document.id))).toEqual(new Set(['autumn']));

    await store.addDocuments(
      [new Document({ pageContent: JSON.stringify({ name: 'Short' }), metadata: {} })],
      {
        ids: ['autumn'],
      },
    );
    const second = await store.pipeline.getDocument('autumn', { collectionName: 'docs' });
    const texts = second.map((row) => row.text).join('\n');
    expect(texts).toContain('Short');
    expect(texts).not.toContain('Norway');
    expect(second.every((row) => row.metadata?.source === undefined)).toBe(true);
    await store.delete({ ids: ['autumn'] });
    expect(await store.pipeline.getDocument('autumn')).toEqual([]);
  });

  it('deletes by ids and by filter, and refuses a delete with neither', async () => {
    const scratch = await DynamicEmbeddingsStore.fromTexts(
      ['one', 'two', 'three'],
      [{ group: 'a' }, { group: 'b' }, { group: 'b' }],
      store.embeddings,
      { db: store.pipeline.db, namespace: 'langchain', collectionName: 'scratch' },
    );
    try {
      const all = async () =>
        (await scratch.similaritySearch('one', 10)).map((document) => document.pageContent).sort();
      expect(await all()).toEqual(['one', 'three', 'two']);
      expect((await djeErrorOf(scratch.delete())).code).toBe('INVALID_OPTION');
      expect((await djeErrorOf(scratch.delete({ filter: { group: { $ne: 'a' } } }))).code).toBe(
        'INVALID_METADATA_FILTER',
      );
      expect((await djeErrorOf(scratch.delete({ filter: {} }))).code).toBe('INVALID_FILTER');
      expect(await all()).toHaveLength(3);
      await scratch.delete({ filter: { group: 'b' } });
      expect(await all()).toEqual(['one']);
      const [one] = await scratch.similaritySearch('one', 1);
      await scratch.delete({ ids: [one?.id as string] });
      expect(await all()).toEqual([]);
      // The other collection of the namespace is untouched.
      expect(await store.similaritySearch('x', 10)).toHaveLength(3);
    } finally {
      await scratch.close();
    }
  });

  it('serves a retrieval chain with our local provider as LangChain embeddings', async () => {
    const local = await DynamicEmbeddingsStore.fromDocuments(
      [
        new Document({
          pageContent: 'Mobile banner campaign in Norway with a high click-through rate',
          id: 'banners',
        }),
        new Document({ pageContent: 'Temperature sensor firmware for IoT gateways', id: 'iot' }),
        new Document({ pageContent: 'Quarterly revenue and cost report for finance', id: 'finance' }),
      ],
      toLangChainEmbeddings(createLocalProvider()),
      { db: store.pipeline.db, namespace: 'langchain_local', collectionName: 'docs' },
    );
    try {
      const chain = RunnableSequence.from([
        (input: { readonly question: string }) => input.question,
        local.asRetriever(1),
        (found: Document[]) => found.map((document) => document.id),
      ]);
      expect(await chain.invoke({ question: 'banners in Norway with good click-through' })).toEqual([
        'banners',
      ]);
      const [namespace] = (await local.pipeline.listNamespaces()).filter(
        (entry) => entry.namespace === 'langchain_local',
      );
      expect(namespace).toMatchObject({ provider: 'local', dimensions: 384 });
    } finally {
      await local.close();
    }
  });
});
