// Two ingests into a namespace that does not exist yet, at the same time (two requests to one
// server, or two processes: the pool gives each its own connections, and nothing here is shared
// but the database). Ingest A makes the namespace while its first requests are out, ingest B
// finds it and embeds, then A's provider fails: A drops the namespace it made, still empty. B's
// first write then finds its namespace gone. B has stored nothing yet, so it makes the namespace
// again and writes there, as if it had started after A; once B has stored rows, a drop under it
// stays an error (see the second test).
import { DjeError } from '@dynamic-embeddings/core';
import { connect, type Database, dropNamespace, findNamespace, listNamespaces } from '@dynamic-embeddings/db';
import { createLocalProvider, type EmbeddingProvider } from '@dynamic-embeddings/embeddings';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { IngestInput } from './pipeline-types.js';

const DIMENSIONS = 32;

/** A promise and the function that resolves it. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** The local provider, with hooks before each `embed` call returns. */
function hookedProvider(hook: (call: number) => Promise<void>): EmbeddingProvider {
  const local = createLocalProvider({ dimensions: DIMENSIONS });
  let calls = 0;
  return {
    ...local,
    async embed(texts, options) {
      calls += 1;
      await hook(calls);
      return local.embed(texts, options);
    },
  };
}

const readings = (prefix: string, count: number): IngestInput[] =>
  Array.from({ length: count }, (_, index) => ({
    kind: 'data',
    documentId: `${prefix}-${index}`,
    data: { sensor: `${prefix}-${index}`, reading: index * 1.5, note: `reading ${index} of ${prefix}` },
  }));

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(databaseTargets)('two ingests into a new namespace on $name', (target) => {
  let database: { readonly url: string; close(): Promise<void> };
  let db: Database;

  beforeAll(async () => {
    database = await target.start();
    db = await connect(database.url);
  });
  afterAll(async () => {
    await db?.close();
    await database?.close();
  });

  it('lose nothing when the one that made it fails and drops it before the other writes', async () => {
    const namespace = 'raced_new';
    const secondEmbedding = gate();
    const firstFailed = gate();
    const failing = hookedProvider(async () => {
      await secondEmbedding.opened;
      throw new DjeError({ code: 'PROVIDER_UNAVAILABLE', message: 'Simulated provider outage for a test.' });
    });
    const waiting = hookedProvider(async (call) => {
      if (call === 1) {
        secondEmbedding.open();
        await firstFailed.opened;
      }
    });
    const pipelineA = await createPipeline({ db, provider: failing, namespace });
    const pipelineB = await createPipeline({ db, provider: waiting, namespace });

    const ingestA = pipelineA.ingest(readings('a', 3), { collectionName: 'sensors' });
    ingestA.catch(() => {});
    // B starts once A's namespace exists, so B's lookup finds it instead of making its own.
    await waitFor(
      async () => (await findNamespace(db, namespace, { embedding: waiting })) !== undefined,
      'the first ingest to make the namespace',
    );
    // Three batches: the later ones look up stored vectors while the first waits, before or
    // after the drop.
    const ingestB = pipelineB.ingest(readings('b', 5), { collectionName: 'sensors', batchDocuments: 2 });

    await expect(ingestA).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    // A dropped the namespace it made, with nothing in it, while B was embedding.
    expect((await listNamespaces(db)).map((entry) => entry.namespace)).not.toContain(namespace);
    firstFailed.open();

    const result = await ingestB;
    expect(result).toMatchObject({ namespace, documents: 5, reused: 0 });
    const stats = await pipelineB.getCollectionStats('sensors');
    expect(stats).toMatchObject({ document_count: 5, total_embeddings: result.chunks - result.skipped });
    expect((await listNamespaces(db)).map((entry) => entry.namespace)).toContain(namespace);
  });

  it('still fails an ingest whose namespace is dropped after it stored rows, and makes nothing again', async () => {
    const namespace = 'raced_stored';
    const firstBatchStored = gate();
    const dropped = gate();
    const provider = hookedProvider(async (call) => {
      if (call === 2) {
        firstBatchStored.open();
        await dropped.opened;
      }
    });
    const pipeline = await createPipeline({ db, provider, namespace });
    // One document per batch: the second batch's provider call waits until the first batch is
    // stored and the namespace dropped, so the drop comes before the second batch's write.
    const ingest = pipeline.ingest(readings('c', 3), { collectionName: 'sensors', batchDocuments: 1 });
    ingest.catch(() => {});
    await firstBatchStored.opened;
    await waitFor(async () => {
      const stats = await pipeline.getCollectionStats('sensors').catch(() => undefined);
      return (stats?.document_count ?? 0) >= 1;
    }, 'the first batch to be stored');
    expect(await dropNamespace(db, namespace, { confirm: true })).toBe(true);
    dropped.open();

    await expect(ingest).rejects.toMatchObject({ code: 'NAMESPACE_NOT_FOUND' });
    expect((await listNamespaces(db)).map((entry) => entry.namespace)).not.toContain(namespace);
  });
});
