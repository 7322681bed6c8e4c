// The one ingest path: several inputs share batches and embedding requests, the registry is read
// once per ingest, a bad input keeps the whole inputs before it, and every call returns one shape.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chunkJson } from '@dynamic-embeddings/chunking';
import { connect, type Database } from '@dynamic-embeddings/db';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline, IngestInput } from './pipeline-types.js';
import { type CountingProvider, createCountingProvider } from './testing/counting-provider.js';

const products = Array.from({ length: 10 }, (_, index) => ({
  id: `sku-${index}`,
  name: `Product ${index}`,
  description: `A ${index % 2 === 0 ? 'tent' : 'boot'} for trail number ${index}`,
}));

const dataInputs = (documents: readonly { id: string }[]): IngestInput[] =>
  documents.map((data) => ({ kind: 'data', data, documentId: data.id, source: `${data.id}.json` }));

describe.each(databaseTargets)('the one ingest path on $name', (target) => {
  let database: { readonly url: string; close(): Promise<void> };
  let db: Database;
  let provider: CountingProvider;
  let pipeline: EmbeddingPipeline;
  const log: string[] = [];
  const registryReads = () => log.filter((query) => query.includes('dje_namespaces')).length;
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'dje-one-path-'));
    database = await target.start();
    db = await connect(database.url, { onQuery: (query) => log.push(query) });
    provider = createCountingProvider({ dimensions: 32 });
    pipeline = await createPipeline({ db, provider, namespace: 'one_path' });
  });
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await db?.close();
    await database?.close();
  });

  it('batches documents of many inputs into shared embedding requests and one result', async () => {
    provider.reset();
    const result = await pipeline.ingest(dataInputs(products), { collectionName: 'shop' });
    // Ten documents, one batch: a single provider call for all their texts, not one per input.
    expect(provider.calls).toBe(1);
    const expectedChunks = products.map(
      (product) => chunkJson(product, { documentId: product.id, collectionName: 'shop' }).chunks.length,
    );
    expect(result).toMatchObject({
      namespace: 'one_path',
      collection_name: 'shop',
      sources: 10,
      documents: 10,
      chunks: expectedChunks.reduce((sum, count) => sum + count, 0),
      reused: 0,
      removed: 0,
    });
    expect(result.results.map((row) => [row.document_id, row.source, row.chunks])).toEqual(
      products.map((product, index) => [product.id, `${product.id}.json`, expectedChunks[index]]),
    );
    for (const product of products) {
      expect(await pipeline.getDocument(product.id)).toHaveLength(
        result.results.find((row) => row.document_id === product.id)!.chunks,
      );
    }
  });

  it('reads the registry once per ingest, however many batches it writes', async () => {
    log.length = 0;
    provider.reset();
    // The first five documents change, the last five come again as they were.
    const changed = products.map((product, index) =>
      index < 5 ? { ...product, name: `${product.name} (v2)` } : product,
    );
    const result = await pipeline.ingest(dataInputs(changed), { collectionName: 'shop', batchDocuments: 3 });
    expect(result.documents).toBe(10);
    // Four batches (3 + 3 + 3 + 1); only the two holding changed documents called the provider.
    expect(provider.calls).toBe(2);
    expect(registryReads()).toBe(1);
    // Unchanged documents kept their vectors; the changed ones were embedded again.
    for (const row of result.results.slice(5)) expect(row).toMatchObject({ embedded: 0, reused: row.chunks });
    expect(result.results.slice(0, 5).every((row) => row.embedded > 0)).toBe(true);
    expect(result.embedded + result.reused).toBe(result.chunks - result.skipped);
  });

  it('a bad file stops the ingest, keeps the whole files before it, and says where', async () => {
    const good = path.join(directory, 'a.json');
    const bad = path.join(directory, 'b.json');
    const never = path.join(directory, 'c.json');
    writeFileSync(good, JSON.stringify({ title: 'first', body: 'a complete document' }));
    writeFileSync(bad, '{"title": "second", "body": ');
    writeFileSync(never, JSON.stringify({ title: 'third', body: 'never reached' }));
    const inputs: IngestInput[] = [good, bad, never].map((file) => ({ kind: 'file', path: file }));
    const error = await pipeline
      .ingest(inputs, { collectionName: 'files' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'INVALID_JSON',
      details: { documents_stored: 1, sources_done: 1, source: bad, source_documents_stored: 0 },
    });
    expect(await pipeline.getDocument('a')).not.toHaveLength(0);
    expect(await pipeline.getDocument('c')).toHaveLength(0);
  });

  it('a failed batch is not written again in part: the provider is called once, nothing is stored', async () => {
    provider.reset();
    provider.failOnCall = 1;
    const fresh = products.slice(0, 3).map((product) => ({ ...product, id: `retry-${product.id}` }));
    const error = await pipeline
      .ingest(dataInputs(fresh), { collectionName: 'retry', batchDocuments: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { documents_stored: 0 } });
    expect(provider.calls).toBe(1);
    for (const product of fresh) expect(await pipeline.getDocument(product.id)).toHaveLength(0);
  });

  it('a batch failing at the provider stops the batches after it; the batches before it are stored', async () => {
    provider.reset();
    provider.failOnCall = 2;
    const fresh = products.slice(0, 6).map((product) => ({ ...product, id: `later-${product.id}` }));
    const error = await pipeline
      .ingest(dataInputs(fresh), { collectionName: 'later', batchDocuments: 2 })
      .catch((caught: unknown) => caught);
    // Batches reach the provider in order, so the second call is the second batch's.
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { documents_stored: 2 } });
    const stored = await Promise.all(
      fresh.map(async (product) => (await pipeline.getDocument(product.id)).length > 0),
    );
    expect(stored).toEqual([true, true, false, false, false, false]);
  });

  it('a stream and documents given as data return the same shape', async () => {
    const ndjson = products
      .slice(0, 3)
      .map((product) => JSON.stringify(product))
      .join('\n');
    async function* pieces() {
      yield ndjson;
    }
    const fromStream = await pipeline.processJsonStream(pieces(), {
      collectionName: 'stream-shape',
      source: 'products.ndjson',
    });
    const fromData = await pipeline.processJsonData(products[0], {
      collectionName: 'data-shape',
      documentId: 'sku-0',
    });
    expect(Object.keys(fromStream).sort()).toEqual(Object.keys(fromData).sort());
    expect(fromStream).toMatchObject({ sources: 1, documents: 3 });
    expect(fromStream.results.map((row) => row.source)).toEqual(Array(3).fill('products.ndjson'));
    expect(fromData).toMatchObject({ sources: 1, documents: 1 });
    expect(fromData.results[0]).not.toHaveProperty('source');
  });

  it('rejects a bad batch size before reading anything', async () => {
    provider.reset();
    await expect(
      pipeline.ingest(dataInputs(products), { collectionName: 'shop', batchDocuments: 0 }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(provider.calls).toBe(0);
  });
});
