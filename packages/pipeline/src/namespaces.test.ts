// Namespaces through the pipeline: auto-creation for the provider, refusal of another model or
// dimension (before any provider call), per-call overrides, bad names, and a given database left open.
import { DjeError } from '@dynamic-embeddings/core';
import type { Database } from '@dynamic-embeddings/db';
import type { EmbeddingProvider } from '@dynamic-embeddings/embeddings';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { ProgressEvent } from './pipeline-types.js';
import { createCountingProvider } from './testing/counting-provider.js';
import { sharedDatabase } from './testing/database.js';
import { loadExample } from './testing/fixtures.js';

let db: Database;

beforeAll(async () => {
  db = await sharedDatabase();
});

const document = { title: 'Quarterly sensor maintenance', sites: ['Oslo', 'Bergen'], battery: { low: 3 } };
const options = { collectionName: 'docs', documentId: 'maintenance' };

describe('auto-creation and model checks', () => {
  it('creates the namespace on first write with the provider’s dimensions and model', async () => {
    const provider = createCountingProvider({ dimensions: 64 });
    const pipeline = await createPipeline({ db, provider, namespace: 'auto_create' });
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);
    await pipeline.processJsonData(document, options);
    expect(await pipeline.getNamespaceStats()).toMatchObject({
      namespace: 'auto_create',
      exists: true,
      dimensions: 64,
      provider: provider.provider,
      model: provider.model,
    });
  });

  it('creates nothing when the provider fails before the first write, for a document and a stream', async () => {
    const provider = createCountingProvider({ dimensions: 64 });
    const pipeline = await createPipeline({ db, provider, namespace: 'provider_down' });
    provider.failOnCall = 1;
    await expect(pipeline.processJsonData(document, options)).rejects.toMatchObject({
      code: expect.any(String),
    });
    expect(provider.calls).toBe(1);
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);

    provider.reset();
    provider.failOnCall = 1;
    await expect(
      pipeline.processJsonStream(toStream([JSON.stringify(document)]), { collectionName: 'docs' }),
    ).rejects.toMatchObject({ code: expect.any(String) });
    expect(provider.calls).toBe(1);
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);

    // Once the provider answers, the same calls create the namespace and store the rows.
    provider.failOnCall = undefined;
    const result = await pipeline.processJsonData(document, options);
    expect(await pipeline.getNamespaceStats()).toMatchObject({
      exists: true,
      embedding_count: result.chunks,
    });
  });

  it('makes a missing namespace while the first request is out, and drops it again when that request fails', async () => {
    const local = createCountingProvider({ dimensions: 64 });
    let pipeline: Awaited<ReturnType<typeof createPipeline>> | undefined;
    const seen: boolean[] = [];
    let fail = true;
    // Answers only once the namespace exists (or after 500 looks): when it answers, what it saw.
    const provider: EmbeddingProvider = {
      ...local,
      async embed(texts, embedOptions) {
        let exists = false;
        for (let look = 0; look < 500 && !exists; look++) {
          exists = (await pipeline?.getNamespaceStats())?.exists === true;
          if (!exists) await new Promise((resolve) => setTimeout(resolve, 2));
        }
        seen.push(exists);
        if (fail) throw new DjeError({ code: 'PROVIDER_UNAVAILABLE', message: 'Simulated outage.' });
        return local.embed(texts, embedOptions);
      },
    };
    pipeline = await createPipeline({ db, provider, namespace: 'made_early' });
    await expect(pipeline.processJsonData(document, options)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
    expect(seen).toEqual([true]);
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);

    fail = false;
    const result = await pipeline.processJsonData(document, options);
    expect(seen).toEqual([true, true]);
    expect(await pipeline.getNamespaceStats()).toMatchObject({
      exists: true,
      embedding_count: result.chunks,
    });
  });

  it('refuses another dimension for writes and searches, without calling the provider', async () => {
    const first = await createPipeline({
      db,
      provider: createCountingProvider({ dimensions: 64 }),
      namespace: 'fixed_dims',
    });
    await first.processJsonData(document, options);
    const other = createCountingProvider({ dimensions: 128 });
    const second = await createPipeline({ db, provider: other, namespace: 'fixed_dims' });
    await expect(second.processJsonData(document, options)).rejects.toMatchObject({
      code: 'DIMENSION_MISMATCH',
    });
    await expect(second.searchSimilar('battery')).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    expect(other.calls).toBe(0);
    expect((await first.getDocument('maintenance')).length).toBeGreaterThan(0);
  });

  it('refuses another model of the same dimension, without calling the provider', async () => {
    const first = await createPipeline({
      db,
      provider: createCountingProvider({ dimensions: 64 }),
      namespace: 'fixed_model',
    });
    await first.processJsonData(document, options);
    const counting = createCountingProvider({ dimensions: 64 });
    const renamed: EmbeddingProvider = { ...counting, model: 'another-model', embed: counting.embed };
    const second = await createPipeline({ db, provider: renamed, namespace: 'fixed_model' });
    await expect(second.processJsonData(document, options)).rejects.toMatchObject({
      code: 'EMBEDDING_MODEL_MISMATCH',
    });
    await expect(second.searchSimilar('battery')).rejects.toMatchObject({ code: 'EMBEDDING_MODEL_MISMATCH' });
    await expect(
      second.processJsonStream(toStream([JSON.stringify(document)]), { collectionName: 'docs' }),
    ).rejects.toMatchObject({ code: 'EMBEDDING_MODEL_MISMATCH' });
    expect(counting.calls).toBe(0);
  });
});

describe('namespace overrides', () => {
  it('every method can work on another namespace than the pipeline’s', async () => {
    const pipeline = await createPipeline({
      db,
      provider: createCountingProvider({ dimensions: 64 }),
      namespace: 'home',
    });
    await pipeline.processJsonData(document, { ...options, namespace: 'elsewhere' });
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);
    expect(await pipeline.getNamespaceStats('elsewhere')).toMatchObject({
      exists: true,
      embedding_count: expect.any(Number),
    });
    const hits = await pipeline.searchSimilar('sensor maintenance', { namespace: 'elsewhere' });
    expect(hits[0]?.document_id).toBe('maintenance');
    expect(await pipeline.listCollections({ namespace: 'elsewhere' })).toMatchObject([
      { collection_name: 'docs', document_count: 1 },
    ]);
    expect(await pipeline.getCollectionStats('docs', { namespace: 'elsewhere' })).toMatchObject({
      namespace: 'elsewhere',
      collection_name: 'docs',
    });
    expect((await pipeline.getDocument('maintenance', { namespace: 'elsewhere' })).length).toBeGreaterThan(0);
    await expect(pipeline.searchSimilar('sensor')).rejects.toMatchObject({ code: 'NAMESPACE_NOT_FOUND' });
    const removed = await pipeline.deleteCollection('docs', { namespace: 'elsewhere' });
    expect(removed).toBeGreaterThan(0);
    expect(await pipeline.listCollections({ namespace: 'elsewhere' })).toEqual([]);
  });

  it('setupDatabase and createNamespace register the provider’s identity', async () => {
    const provider = createCountingProvider({ dimensions: 64 });
    const pipeline = await createPipeline({ db, provider, namespace: 'set_up' });
    expect(await pipeline.setupDatabase()).toMatchObject({
      namespace: 'set_up',
      dimensions: 64,
      model: provider.model,
    });
    const created = await pipeline.createNamespace('with_index', { index: 'ivfflat', indexThreshold: 500 });
    expect(created).toMatchObject({
      created: true,
      namespace: { namespace: 'with_index', dimensions: 64, index_type: 'ivfflat', index_threshold: 500 },
    });
    expect((await pipeline.createNamespace('with_index')).created).toBe(false);
    const defaults = await pipeline.createNamespace('with_defaults', { index: undefined });
    expect(defaults.namespace).toMatchObject({ index_type: 'ivfflat', index_threshold: 10_000 });
    const custom = await createPipeline({
      db,
      provider,
      namespace: 'custom_policy',
      newNamespaces: { index: 'hnsw', indexThreshold: 0 },
    });
    expect(await custom.setupDatabase()).toMatchObject({ index_type: 'hnsw', index_threshold: 0 });
    expect((await custom.getNamespaceStats()).exists && (await custom.getNamespaceStats())).toMatchObject({
      vector_index_exists: true,
    });
    await expect(pipeline.dropNamespace('with_index', {})).rejects.toMatchObject({
      kind: 'confirmation_required',
    });
    expect(await pipeline.dropNamespace('with_index', { confirm: true })).toBe(true);
    expect((await pipeline.listNamespaces()).map((entry) => entry.namespace)).not.toContain('with_index');
  });
});

describe('index policy', () => {
  it('the write that brings a namespace to its threshold builds the index and says so', async () => {
    const pipeline = await createPipeline({
      db,
      provider: createCountingProvider({ dimensions: 64 }),
      namespace: 'small_threshold',
      newNamespaces: { indexThreshold: 10 },
    });
    const events: ProgressEvent[] = [];
    const sensors = loadExample('sensor-data');
    const first = await pipeline.processJsonData(sensors, {
      collectionName: 'iot',
      documentId: 'sensors',
      onProgress: (event) => events.push(event),
    });
    expect(first.chunks).toBeGreaterThanOrEqual(10);
    expect(first.index_built).toBe(true);
    // The index phase: its start (which index), then its end.
    expect(events.map((event) => event.phase)).toEqual(['chunk', 'embed', 'store', 'index', 'index']);
    expect(events[3]).toMatchObject({ done: 0, index_start: { type: 'ivfflat' } });
    expect(events[4]).toMatchObject({ done: 1, total: 1 });
    expect(events[4]).not.toHaveProperty('index_start');
    expect(await pipeline.getNamespaceStats()).toMatchObject({
      index_type: 'ivfflat',
      vector_index_exists: true,
    });
    const again = await pipeline.processJsonData(sensors, { collectionName: 'iot', documentId: 'sensors' });
    expect(again).toMatchObject({ index_built: false, reused: first.chunks });
  });
});

describe('bad input fails before anything is created or embedded', () => {
  it.each([
    ['an invalid namespace', { ...options, namespace: 'Not-Valid' }, 'INVALID_NAMESPACE_NAME'],
    ['an empty collection name', { ...options, collectionName: ' ' }, 'INVALID_COLLECTION_NAME'],
    [
      'a collection name over 255 characters',
      { ...options, collectionName: 'c'.repeat(256) },
      'INVALID_COLLECTION_NAME',
    ],
    ['an empty document id', { ...options, documentId: '' }, 'INVALID_DOCUMENT_ID'],
    ['a document id over 512 characters', { ...options, documentId: 'd'.repeat(513) }, 'INVALID_DOCUMENT_ID'],
  ])('%s', async (_label, badOptions, code) => {
    const provider = createCountingProvider({ dimensions: 64 });
    const pipeline = await createPipeline({ db, provider, namespace: 'untouched' });
    await expect(pipeline.processJsonData(document, badOptions)).rejects.toMatchObject({ code });
    expect(provider.calls).toBe(0);
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);
  });

  it('an unknown strategy', async () => {
    const provider = createCountingProvider({ dimensions: 64 });
    const pipeline = await createPipeline({ db, provider, namespace: 'untouched' });
    const error = await pipeline
      .processJsonData(document, { ...options, strategy: 'alphabetical' as never })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_STRATEGY', kind: 'validation' });
    expect(provider.calls).toBe(0);
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);
  });

  it('an invalid default namespace or concurrency', async () => {
    await expect(createPipeline({ db, namespace: 'backup' })).rejects.toMatchObject({
      code: 'INVALID_NAMESPACE_NAME',
    });
    await expect(createPipeline({ db, concurrency: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('close()', () => {
  it('leaves a database it was given open', async () => {
    const pipeline = await createPipeline({ db, provider: createCountingProvider({ dimensions: 64 }) });
    await pipeline.close();
    expect(Array.isArray(await pipeline.listNamespaces())).toBe(true);
  });
});

async function* toStream(lines: readonly string[]): AsyncGenerator<string> {
  for (const line of lines) yield `${line}\n`;
}
