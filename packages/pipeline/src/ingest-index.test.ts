// An ingest of many batches builds the namespace's ANN index once, after its last batch, not inside
// the batch that crosses the threshold (after which every later batch would maintain the index row
// by row); searches during the ingest still answer, exactly; the namespace ends indexed and
// calibrated. A failed ingest leaves the build to the next write.
import type { EmbeddingProvider } from '@dynamic-embeddings/embeddings';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline, IngestInput, ProgressEvent } from './pipeline-types.js';
import { createCountingProvider } from './testing/counting-provider.js';

const DOCUMENTS = 100;
const BATCH_DOCUMENTS = 10;
const THRESHOLD = 30;

function documents(prefix: string): IngestInput[] {
  return Array.from({ length: DOCUMENTS }, (_, index) => ({
    kind: 'data' as const,
    documentId: `${prefix}-${index}`,
    data: { campaign: `Campaign ${index}`, market: `market ${index % 7}` },
  }));
}

describe.each(databaseTargets)('the index of an ingest on $name', (target) => {
  let database: { readonly url: string; close(): Promise<void> };
  let pipeline: EmbeddingPipeline;
  /** Runs before the provider embeds a batch, with the batch's first text. */
  let beforeEmbed: ((text: string) => Promise<void>) | undefined;

  beforeAll(async () => {
    database = await target.start();
    const counting = createCountingProvider({ dimensions: 16 });
    const provider: EmbeddingProvider = {
      ...counting,
      async embed(texts, options) {
        await beforeEmbed?.(texts[0] ?? '');
        return counting.embed(texts, options);
      },
    };
    pipeline = await createPipeline({
      databaseUrl: database.url,
      namespace: 'ingest_index',
      provider,
      newNamespaces: { index: 'ivfflat', indexThreshold: THRESHOLD },
    });
  });
  afterAll(async () => {
    await pipeline?.close();
    await database?.close();
  });

  it('builds and calibrates the index once, after the last batch, and searches exactly meanwhile', async () => {
    const during: { stored: number; indexed: boolean; hits: number; strategy: string }[] = [];
    let stored = 0;
    beforeEmbed = async (text) => {
      // The last batch: with two batches in flight, all but the last two are written by now,
      // far past the threshold.
      if (!text.includes(`Campaign ${DOCUMENTS - BATCH_DOCUMENTS}`)) return;
      const stats = await pipeline.getNamespaceStats();
      const { hits, plan } = await pipeline.searchWithPlan('Campaign 3', {
        collectionName: 'campaigns',
        mode: 'vector',
        limit: 5,
      });
      during.push({
        stored,
        indexed: stats.exists && stats.vector_index_exists,
        hits: hits.length,
        strategy: 'strategy' in plan ? plan.strategy : 'mixed',
      });
    };
    const events: ProgressEvent[] = [];
    const result = await pipeline.ingest(documents('campaign'), {
      collectionName: 'campaigns',
      batchDocuments: BATCH_DOCUMENTS,
      onProgress: (event) => {
        if (event.phase === 'store') stored = event.done;
        if (event.phase === 'store' || event.phase === 'index') events.push(event);
      },
    });
    beforeEmbed = undefined;

    expect(during).toHaveLength(1);
    expect(during[0]!.stored).toBeGreaterThanOrEqual(THRESHOLD);
    expect(during[0]).toMatchObject({ indexed: false, hits: 5, strategy: 'exact' });
    expect(result).toMatchObject({ documents: DOCUMENTS, index_built: true });
    // After the last store: the build's start (once, with the index type), then its end (once).
    const lastStore = events.findLastIndex((event) => event.phase === 'store');
    const starts = events.flatMap((event, at) => (event.index_start === undefined ? [] : [at]));
    expect(starts).toHaveLength(1);
    expect(starts[0]).toBeGreaterThan(lastStore);
    expect(events[starts[0]!]).toMatchObject({
      phase: 'index',
      done: 0,
      index_start: { type: 'ivfflat' },
      documents: DOCUMENTS,
    });
    expect(events.filter((event) => event.phase === 'index' && event.done === 1)).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ phase: 'index', done: 1, documents: DOCUMENTS });
    const stats = await pipeline.getNamespaceStats();
    expect(stats).toMatchObject({ exists: true, vector_index_exists: true, embedding_count: result.chunks });
    // Calibrated: an IVFFlat probe count chosen on the stored rows.
    expect(stats.exists && stats.search_tuning).toMatchObject({ probes: expect.any(Number) });
    expect(stats.exists && stats.search_tuning.calibrated_rows).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('leaves the build to the next write when an ingest fails, with what it stored searchable', async () => {
    await pipeline.dropNamespace('ingest_index', { confirm: true });
    beforeEmbed = async (text) => {
      if (text.includes(`Campaign ${DOCUMENTS - BATCH_DOCUMENTS}`)) throw new Error('provider gone');
    };
    const indexEvents: ProgressEvent[] = [];
    await expect(
      pipeline.ingest(documents('failing'), {
        collectionName: 'campaigns',
        batchDocuments: BATCH_DOCUMENTS,
        onProgress: (event) => {
          if (event.phase === 'index') indexEvents.push(event);
        },
      }),
    ).rejects.toThrow('provider gone');
    // No build started, so none announced.
    expect(indexEvents).toEqual([]);
    beforeEmbed = undefined;
    const afterFailure = await pipeline.getNamespaceStats();
    expect(afterFailure).toMatchObject({ exists: true, vector_index_exists: false });
    expect(afterFailure.exists && afterFailure.embedding_count).toBe(DOCUMENTS - BATCH_DOCUMENTS);
    const { hits } = await pipeline.searchWithPlan('Campaign 3', {
      collectionName: 'campaigns',
      mode: 'vector',
    });
    expect(hits[0]?.document_id).toBe('failing-3');

    const rerun = await pipeline.ingest(documents('failing'), {
      collectionName: 'campaigns',
      batchDocuments: BATCH_DOCUMENTS,
    });
    expect(rerun).toMatchObject({ index_built: true, reused: DOCUMENTS - BATCH_DOCUMENTS });
    expect(await pipeline.getNamespaceStats()).toMatchObject({
      vector_index_exists: true,
      embedding_count: DOCUMENTS,
    });
  });
});
