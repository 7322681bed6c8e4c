// Re-ingestion on one in-process database: atomic replacement (a failure leaves the previous
// version untouched), collection-qualified chunk ids, and upsert-only mode.
import { chunkJson } from '@dynamic-embeddings/chunking';
import type { Database } from '@dynamic-embeddings/db';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline } from './pipeline-types.js';
import { type CountingProvider, createCountingProvider } from './testing/counting-provider.js';
import { sharedDatabase } from './testing/database.js';
import { loadExample, rowSnapshot } from './testing/fixtures.js';

let db: Database;
let provider: CountingProvider;
let pipeline: EmbeddingPipeline;
let namespaceCounter = 0;

beforeAll(async () => {
  db = await sharedDatabase();
});

beforeEach(async () => {
  provider = createCountingProvider();
  namespaceCounter++;
  pipeline = await createPipeline({ db, provider, namespace: `reingest_${namespaceCounter}` });
});

/** The campaigns example with a recognisable change to one leaf of its last campaign. */
function changedCampaigns(note: string) {
  const document = loadExample('campaigns');
  const campaigns = document.campaigns as { notes: string }[];
  campaigns[campaigns.length - 1]!.notes = note;
  return document;
}

/**
 * Runs `work` while the namespace's table refuses every row whose text contains POISONED: a real
 * PostgreSQL failure on one row (the store validates everything it can beforehand, so only the
 * database itself can fail once the transaction has started writing).
 */
async function withPoisonedRowsRefused(work: () => Promise<void>): Promise<void> {
  const stats = await pipeline.getNamespaceStats();
  if (!stats.exists) throw new Error('the namespace should exist after an ingest');
  const table = `"${stats.table_name}"`;
  await db.pglite!.exec(`
    CREATE FUNCTION reject_poisoned_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'poisoned row %', NEW.chunk_id; END $$;
    CREATE TRIGGER reject_poisoned BEFORE INSERT OR UPDATE ON ${table}
      FOR EACH ROW WHEN (NEW.text LIKE '%POISONED%') EXECUTE FUNCTION reject_poisoned_rows();`);
  try {
    await work();
  } finally {
    await db.pglite!.exec(`DROP TRIGGER reject_poisoned ON ${table}; DROP FUNCTION reject_poisoned_rows();`);
  }
}

describe('a failed re-ingestion leaves the previous version intact', () => {
  it('when the provider fails partway through', async () => {
    const options = { collectionName: 'ads', documentId: 'campaigns' };
    await pipeline.processJsonData(loadExample('campaigns'), options);
    const before = rowSnapshot(await pipeline.getDocument('campaigns'));

    // A small per-call limit spreads the new texts over several calls; the second one fails.
    const batching = createCountingProvider({ maxInputsPerCall: 1 });
    const failing = await createPipeline({ db, provider: batching, namespace: pipeline.namespace });
    batching.failOnCall = 2;
    const changed = loadExample('campaigns');
    changed.campaigns = (changed.campaigns as { notes: string }[]).map((campaign) => ({
      ...campaign,
      notes: `${campaign.notes} Revised.`,
    }));
    await expect(failing.processJsonData(changed, options)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
    expect(batching.calls).toBeGreaterThanOrEqual(2);
    expect(rowSnapshot(await pipeline.getDocument('campaigns'))).toEqual(before);
  });

  it('when it is cancelled after embedding, before writing', async () => {
    const options = { collectionName: 'ads', documentId: 'campaigns' };
    await pipeline.processJsonData(loadExample('campaigns'), options);
    const before = rowSnapshot(await pipeline.getDocument('campaigns'));
    const controller = new AbortController();
    const phases: string[] = [];
    await expect(
      pipeline.processJsonData(changedCampaigns('A new note that needs embedding.'), {
        ...options,
        signal: controller.signal,
        onProgress: (event) => {
          phases.push(event.phase);
          if (event.phase === 'embed') controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED', kind: 'cancelled' });
    expect(phases).not.toContain('store');
    expect(rowSnapshot(await pipeline.getDocument('campaigns'))).toEqual(before);
  });

  it('when the provider returns a NaN vector: the store refuses the batch before writing', async () => {
    const options = { collectionName: 'ads', documentId: 'campaigns' };
    await pipeline.processJsonData(loadExample('campaigns'), options);
    const before = rowSnapshot(await pipeline.getDocument('campaigns'));
    provider.corruptTextsContaining = 'POISONED-NOTE';
    await expect(
      pipeline.processJsonData(changedCampaigns('POISONED-NOTE shift the budget'), options),
    ).rejects.toMatchObject({ code: 'INVALID_VECTOR', kind: 'validation' });
    expect(rowSnapshot(await pipeline.getDocument('campaigns'))).toEqual(before);
  });

  it('when text cannot be stored (a NUL character): refused, nothing written', async () => {
    const options = { collectionName: 'ads', documentId: 'campaigns' };
    await pipeline.processJsonData(loadExample('campaigns'), options);
    const before = rowSnapshot(await pipeline.getDocument('campaigns'));
    await expect(
      pipeline.processJsonData(changedCampaigns('nul \u0000 inside'), options),
    ).rejects.toMatchObject({
      code: 'INVALID_RECORD',
    });
    expect(rowSnapshot(await pipeline.getDocument('campaigns'))).toEqual(before);
  });

  it('when the database fails on a row in the middle of the transaction', async () => {
    // Enough readings for many chunks, so the failing row comes after others in the same write.
    const sensors = loadExample('sensor-data');
    const readings = sensors.readings as { quality: string }[];
    sensors.readings = [
      ...readings,
      ...readings.map((reading) => ({ ...reading })),
      ...readings.map((reading) => ({ ...reading })),
    ];
    const options = { collectionName: 'iot', documentId: 'sensors' };
    await pipeline.processJsonData(sensors, options);
    const before = rowSnapshot(await pipeline.getDocument('sensors'));
    await withPoisonedRowsRefused(async () => {
      const changed = structuredClone(sensors);
      const changedReadings = changed.readings as { quality: string }[];
      for (const reading of changedReadings) reading.quality = 'recalibrated';
      changedReadings[changedReadings.length - 1]!.quality = 'POISONED';
      const chunks = chunkJson(changed, { documentId: 'sensors', collectionName: 'iot' }).chunks;
      const poisonedAt = chunks.findIndex((chunk) => chunk.text.includes('POISONED'));
      expect(poisonedAt).toBeGreaterThan(chunks.length / 2);
      const error = await pipeline.processJsonData(changed, options).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'DATABASE_WRITE_FAILED', kind: 'database' });
      expect((error as Error).message).toMatch(/document "sensors".*poisoned row/);
      expect(rowSnapshot(await pipeline.getDocument('sensors'))).toEqual(before);
    });
  });
});

describe('chunk ids are qualified by collection', () => {
  it('the same document id in two collections keeps both, and each re-ingests on its own', async () => {
    const campaigns = loadExample('campaigns');
    const first = await pipeline.processJsonData(campaigns, { collectionName: 'first', documentId: 'doc' });
    const second = await pipeline.processJsonData(campaigns, { collectionName: 'second', documentId: 'doc' });
    expect(second.chunks).toBe(first.chunks);
    const inFirst = await pipeline.getDocument('doc', { collectionName: 'first' });
    const inSecond = await pipeline.getDocument('doc', { collectionName: 'second' });
    expect(inFirst).toHaveLength(first.chunks);
    expect(inSecond).toHaveLength(first.chunks);
    const idsIn = (collectionName: string) =>
      chunkJson(campaigns, { documentId: 'doc', collectionName })
        .chunks.map((chunk) => chunk.chunk_id)
        .sort();
    expect(inFirst.map((row) => row.chunk_id).sort()).toEqual(idsIn('first'));
    expect(inSecond.map((row) => row.chunk_id).sort()).toEqual(idsIn('second'));
    expect(idsIn('first').some((id) => idsIn('second').includes(id))).toBe(false);

    // A different, smaller version in one collection leaves the other collection as it was.
    const secondBefore = rowSnapshot(inSecond);
    const smaller = loadExample('campaigns');
    smaller.campaigns = (smaller.campaigns as unknown[]).slice(0, 1);
    const replaced = await pipeline.processJsonData(smaller, { collectionName: 'first', documentId: 'doc' });
    expect(replaced.removed).toBeGreaterThan(0);
    expect(await pipeline.getDocument('doc', { collectionName: 'first' })).toHaveLength(replaced.chunks);
    expect(rowSnapshot(await pipeline.getDocument('doc', { collectionName: 'second' }))).toEqual(
      secondBefore,
    );

    expect(await pipeline.deleteDocument('doc', { collectionName: 'first' })).toBe(replaced.chunks);
    expect(rowSnapshot(await pipeline.getDocument('doc', { collectionName: 'second' }))).toEqual(
      secondBefore,
    );
  });

  it('reuses vectors only from the same collection', async () => {
    const campaigns = loadExample('campaigns');
    await pipeline.processJsonData(campaigns, { collectionName: 'first', documentId: 'doc' });
    provider.reset();
    const other = await pipeline.processJsonData(campaigns, { collectionName: 'second', documentId: 'doc' });
    expect(other.reused).toBe(0);
    expect(other.embedded).toBe(other.chunks);
  });
});

describe('replace: false', () => {
  it('upserts the new chunks and keeps the ones the new version no longer has', async () => {
    const options = { collectionName: 'ads', documentId: 'campaigns' };
    const full = loadExample('campaigns');
    const firstResult = await pipeline.processJsonData(full, options);
    const smaller = loadExample('campaigns');
    smaller.campaigns = (smaller.campaigns as unknown[]).slice(0, 1);
    const smallerChunks = chunkJson(smaller, { documentId: 'campaigns', collectionName: 'ads' }).chunks;
    const result = await pipeline.processJsonData(smaller, { ...options, replace: false });
    expect(result.removed).toBe(0);
    const ids = new Set((await pipeline.getDocument('campaigns')).map((row) => row.chunk_id));
    const union = new Set([
      ...chunkJson(full, { documentId: 'campaigns', collectionName: 'ads' }).chunks.map(
        (chunk) => chunk.chunk_id,
      ),
      ...smallerChunks.map((chunk) => chunk.chunk_id),
    ]);
    expect(ids.size).toBe(union.size);
    expect(ids.size).toBeGreaterThanOrEqual(firstResult.chunks);
  });
});

describe('documents re-ingested together', () => {
  /** The campaigns example as document `id`, keeping its first `count` campaigns. */
  function campaignsInput(id: string, count: number, note = 'as before') {
    const data = changedCampaigns(note);
    data.campaigns = (data.campaigns as unknown[]).slice(0, count);
    return { kind: 'data' as const, documentId: id, data };
  }

  it('are replaced in one transaction, each losing only its own stale chunks', async () => {
    const first = [campaignsInput('north', 3), campaignsInput('south', 3), campaignsInput('west', 3)];
    await pipeline.ingest(first, { collectionName: 'ads' });
    const ids = async (id: string) => (await pipeline.getDocument(id)).map((row) => row.chunk_id).sort();
    const northBefore = await ids('north');
    const southBefore = await ids('south');
    // An unchanged document is written again like any other (its updated_at moves); nothing else.
    const withoutTime = async (id: string) =>
      (await pipeline.getDocument(id)).map(({ updated_at: _updated, ...row }) => row);
    const westBefore = await withoutTime('west');
    // north shrinks to its first campaign, south changes one leaf, west is as it was.
    const second = [campaignsInput('north', 1), campaignsInput('south', 3, 'retargeted'), first[2]!];
    const result = await pipeline.ingest(second, { collectionName: 'ads' });
    const removed = Object.fromEntries(result.results.map((entry) => [entry.document_id, entry.removed]));
    // Each document lost exactly its chunks that the new version does not have, and no other.
    const staleOf = async (id: string, before: readonly string[]) => {
      const after = await ids(id);
      return before.filter((chunkId) => !after.includes(chunkId)).length;
    };
    const stale = { north: await staleOf('north', northBefore), south: await staleOf('south', southBefore) };
    expect(stale.north).toBeGreaterThan(0);
    expect(removed).toEqual({ ...stale, west: 0 });
    expect(JSON.stringify(await pipeline.getDocument('south'))).toContain('retargeted');
    expect(await withoutTime('west')).toEqual(westBefore);
    expect(result).toMatchObject({ documents: 3, unchanged: 1 });
  });

  it('when the database fails on one of them, none of them changes', async () => {
    const first = [campaignsInput('east', 3), campaignsInput('centre', 3)];
    await pipeline.ingest(first, { collectionName: 'ads' });
    const before = [
      rowSnapshot(await pipeline.getDocument('east')),
      rowSnapshot(await pipeline.getDocument('centre')),
    ];
    await withPoisonedRowsRefused(async () => {
      // east (first in the batch) would shrink; centre carries the row the database refuses.
      const second = [campaignsInput('east', 1), campaignsInput('centre', 3, 'POISONED')];
      const error = await pipeline
        .ingest(second, { collectionName: 'ads' })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'DATABASE_WRITE_FAILED', kind: 'database' });
      expect((error as Error).message).toMatch(/2 replaced document\(s\).*poisoned row/);
      expect(rowSnapshot(await pipeline.getDocument('east'))).toEqual(before[0]);
      expect(rowSnapshot(await pipeline.getDocument('centre'))).toEqual(before[1]);
    });
  });
});
