// The main flow on both database paths: ingest, search, re-ingest (reusing vectors), change one
// leaf, delete. Expected counts come from the chunker itself, never typed in.
import { createHash } from 'node:crypto';
import { chunkJson } from '@dynamic-embeddings/chunking';
import { createLocalProvider, localModel } from '@dynamic-embeddings/embeddings';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline } from './pipeline-types.js';
import { type CountingProvider, createCountingProvider } from './testing/counting-provider.js';
import { loadExample, rowSnapshot } from './testing/fixtures.js';

const collectionName = 'ads';
const documentId = 'campaigns';

function distinctTexts(texts: readonly string[]): number {
  return new Set(texts).size;
}

describe.each(databaseTargets)('EmbeddingPipeline on $name', (target) => {
  let database: { readonly url: string; close(): Promise<void> };
  let provider: CountingProvider;
  let pipeline: EmbeddingPipeline;
  const original = loadExample('campaigns');
  const expected = chunkJson(original, { documentId, collectionName });

  beforeAll(async () => {
    database = await target.start();
    provider = createCountingProvider();
    pipeline = await createPipeline({
      databaseUrl: database.url,
      connectOptions: { indexBuildMemoryMB: 96 },
      provider,
      namespace: 'flow',
    });
  });

  it('connects with the given connect options', () => {
    expect(pipeline.db.indexBuildMemoryMB).toBe(96);
  });

  afterAll(async () => {
    await pipeline?.close();
    await database?.close();
  });

  it('ingests a document, creating the namespace with the provider’s model and dimensions', async () => {
    expect(await pipeline.listNamespaces()).toEqual([]);
    const result = await pipeline.processJsonData(original, { collectionName, documentId });

    const tokens = expected.chunks.reduce((sum, chunk) => sum + chunk.token_count, 0);
    const counts = {
      chunks: expected.chunks.length,
      embedded: expected.chunks.length,
      reused: 0,
      removed: 0,
    };
    // The one result shape: totals, and one row per stored document.
    expect(result).toMatchObject({
      collection_name: collectionName,
      namespace: 'flow',
      sources: 1,
      documents: 1,
      ...counts,
      skipped: 0,
      tokens,
    });
    expect(result.results).toEqual([
      {
        document_id: documentId,
        ...counts,
        skipped: 0,
        strategy: expected.strategy,
        confidence: expected.confidence,
        tokens,
      },
    ]);
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
    expect(provider.texts.length).toBe(distinctTexts(expected.chunks.map((chunk) => chunk.text)));

    const [namespace] = await pipeline.listNamespaces();
    const embedded = pipeline.db.driver === 'pglite' || pipeline.db.isPGliteServer;
    expect(namespace).toMatchObject({
      namespace: 'flow',
      dimensions: 384,
      provider: 'local',
      model: localModel,
      embedding_count: expected.chunks.length,
      // PGlite gets the embedded index policy; a real server keeps the db package's default.
      index_type: embedded ? 'ivfflat' : 'hnsw',
    });

    const rows = await pipeline.getDocument(documentId, { collectionName });
    expect(rows.map((row) => row.chunk_id).sort()).toEqual(
      expected.chunks.map((chunk) => chunk.chunk_id).sort(),
    );
    for (const row of rows) {
      const chunk = expected.chunks.find((candidate) => candidate.chunk_id === row.chunk_id);
      expect(row).toMatchObject({
        document_id: documentId,
        collection_name: collectionName,
        text: chunk?.text,
        text_hash: createHash('sha256').update(row.text).digest('hex'),
        strategy: chunk?.strategy,
        content_type: chunk?.content_type,
        path: chunk?.path,
        parent_chunk_id: chunk?.parent_chunk_id,
        token_count: chunk?.token_count,
        domain_tags: chunk?.domain_tags,
        metadata: chunk?.metadata,
      });
    }
  });

  it('finds the document by meaning of its words, and hits carry no vectors', async () => {
    await pipeline.processJsonData(loadExample('sensor-data'), { collectionName, documentId: 'sensors' });
    const hits = await pipeline.searchSimilar('mobile banners with high CTR in Norway', { limit: 3 });
    expect(hits).toHaveLength(3);
    expect(hits[0]?.document_id).toBe(documentId);
    expect(hits[0]?.text.toLowerCase()).toMatch(/norway|mobile|banner/);
    for (const hit of hits) expect(hit).not.toHaveProperty('embedding');
    const similarities = hits.map((hit) => hit.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
  });

  it('re-ingesting the unchanged document calls the provider for nothing and reuses every vector', async () => {
    const before = rowSnapshot(await pipeline.getDocument(documentId, { collectionName }));
    provider.reset();
    const result = await pipeline.processJsonData(original, { collectionName, documentId });
    expect(provider.calls).toBe(0);
    expect(result).toMatchObject({
      chunks: expected.chunks.length,
      embedded: 0,
      reused: expected.chunks.length,
      removed: 0,
    });
    const after = rowSnapshot(await pipeline.getDocument(documentId, { collectionName }));
    expect(after.map(({ chunk_id, text }) => ({ chunk_id, text }))).toEqual(
      before.map(({ chunk_id, text }) => ({ chunk_id, text })),
    );
  });

  it('changing one leaf embeds only the chunks whose text changed and removes the stale ones', async () => {
    const changed = loadExample('campaigns');
    const campaigns = changed.campaigns as { performance: { ctr: number } }[];
    campaigns[1]!.performance.ctr = 0.75;
    const next = chunkJson(changed, { documentId, collectionName });
    const oldTexts = new Set(expected.chunks.map((chunk) => chunk.text));
    const newChunks = next.chunks.filter((chunk) => !oldTexts.has(chunk.text));
    const newIds = new Set(next.chunks.map((chunk) => chunk.chunk_id));
    const staleIds = expected.chunks.filter((chunk) => !newIds.has(chunk.chunk_id));
    expect(newChunks.length).toBeGreaterThan(0);
    expect(newChunks.length).toBeLessThan(next.chunks.length);

    provider.reset();
    const result = await pipeline.processJsonData(changed, { collectionName, documentId });
    expect(result).toMatchObject({
      chunks: next.chunks.length,
      embedded: newChunks.length,
      reused: next.chunks.length - newChunks.length,
      removed: staleIds.length,
    });
    expect(provider.texts.sort()).toEqual([...new Set(newChunks.map((chunk) => chunk.text))].sort());

    const rows = await pipeline.getDocument(documentId, { collectionName, includeVectors: true });
    expect(rows.map((row) => row.chunk_id).sort()).toEqual(next.chunks.map((chunk) => chunk.chunk_id).sort());
    // Reused or fresh, every stored vector must be the provider's vector of the row's own text.
    const reference = createLocalProvider();
    const vectors = await reference.embed(rows.map((row) => row.text));
    const largestDifference = Math.max(
      ...rows.map((row, index) =>
        Math.max(...row.embedding!.map((value, dimension) => Math.abs(value - vectors[index]![dimension]!))),
      ),
    );
    expect(rows[0]?.embedding).toHaveLength(384);
    expect(largestDifference).toBeLessThan(1e-6);
  });

  it('deletes the document and nothing else', async () => {
    await pipeline.processJsonData(loadExample('products'), { collectionName, documentId: 'products' });
    const deleted = await pipeline.deleteDocument(documentId, { collectionName });
    expect(deleted).toBeGreaterThan(0);
    expect(await pipeline.getDocument(documentId)).toEqual([]);
    expect((await pipeline.getDocument('products')).length).toBeGreaterThan(0);
  });

  it('close() closes the database it opened, and a second close() does nothing', async () => {
    await pipeline.close();
    await expect(pipeline.listNamespaces()).rejects.toThrow();
    await pipeline.close();
  });
});
