// The ingest is a pipeline, not a loop: while one batch is written, the provider request of a later
// batch is already in flight; a re-run calls the provider for nothing and says what it skipped.
// Through a real OpenAI-compatible HTTP server on 127.0.0.1 that holds every answer back 200 ms,
// and answers some requests with 429 and a retry-after.
import { databaseTargets } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';
import type { IngestInput, ProgressEvent } from './pipeline-types.js';
import { useProviderPipeline } from './testing/provider-pipeline.js';

const DOCUMENTS = 240;
const INPUTS_PER_REQUEST = 20;
const CONCURRENCY = 3;

function documents(prefix = 'campaign'): IngestInput[] {
  return Array.from({ length: DOCUMENTS }, (_, index) => ({
    kind: 'data' as const,
    documentId: `${prefix}-${index}`,
    data: { campaign: `Campaign ${index}`, market: `market ${index % 9}`, ctr: (index % 50) / 10 },
  }));
}

describe.each(databaseTargets)('a pipelined ingest on $name', (target) => {
  // Every answer the script does not name is held back 200 ms; small requests, so the documents
  // make several batches. The namespace is made beforehand, so the first write is as quick as the
  // others rather than a table build that every batch's request could finish during.
  const suite = useProviderPipeline(
    {
      target,
      namespace: 'pipelined',
      delayMs: 200,
      concurrency: CONCURRENCY,
      maxInputsPerCall: INPUTS_PER_REQUEST,
    },
    (started) => started.pipeline.createNamespace('pipelined'),
  );

  it('writes a batch while the request of a later batch is in flight, each document once', async () => {
    const events: ProgressEvent[] = [];
    const result = await suite.pipeline.ingest(documents(), {
      collectionName: 'campaigns',
      onProgress: (event) => events.push(event),
    });
    expect(result).toMatchObject({ documents: DOCUMENTS, reused: 0, unchanged: 0 });
    const requests = suite.server.requests.length;
    expect(requests).toBeGreaterThanOrEqual(Math.ceil(result.embedded / INPUTS_PER_REQUEST));

    // Overlap: some batch finished writing while a provider call of a later batch was still out
    // (a loop would embed the next batch only after this write: nothing in flight at any write).
    const stores = events.filter((event) => event.phase === 'store');
    expect(stores.length).toBeGreaterThan(8);
    const overlapped = stores.filter((event) => (event.requests_in_flight ?? 0) > 0);
    // Two batches are in flight: when both requests went out together they come back together, so
    // about every other write has the next batch's request still out (a loop: none).
    expect(overlapped.length).toBeGreaterThanOrEqual(Math.floor(stores.length / 3));
    // Provider calls overlapped too, never past the provider's concurrency.
    expect(suite.server.maxConcurrent).toBeGreaterThan(1);
    expect(suite.server.maxConcurrent).toBeLessThanOrEqual(CONCURRENCY);

    // Every input was sent once, and every document is stored once.
    const sent = suite.server.requests.flatMap((request) => request.body.input ?? []);
    expect(sent).toHaveLength(result.embedded);
    expect(new Set(sent).size).toBe(sent.length);
    const stats = await suite.pipeline.getCollectionStats('campaigns');
    expect(stats).toMatchObject({
      document_count: DOCUMENTS,
      total_embeddings: result.chunks - result.skipped,
    });

    // Every event carries the running totals; the last store event has them all.
    const last = stores.at(-1);
    expect(last).toMatchObject({ documents: DOCUMENTS, requests_in_flight: 0 });
    expect(last?.tokens_embedded).toBeGreaterThan(0);
    const tokens = events.map((event) => event.tokens_embedded ?? -1);
    expect(tokens.every((value, index) => value >= 0 && value >= (tokens[index - 1] ?? 0))).toBe(true);
  });

  it('a 429 with retry-after pauses every request, and each text is still embedded exactly once', async () => {
    const before = suite.server.requests.length;
    suite.server.script(
      { kind: 'ok', delayMs: 200 },
      { kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } },
      ...Array.from({ length: 4 }, () => ({ kind: 'ok' as const, delayMs: 200 })),
      { kind: 'status', status: 429, headers: { 'retry-after': '0.2' } },
    );
    const result = await suite.pipeline.ingest(documents('throttled'), { collectionName: 'throttled' });
    const requests = suite.server.requests.slice(before);
    const answered = requests.filter((request) => request.reply === 'ok');
    const sent = answered.flatMap((request) => request.body.input ?? []);
    expect(sent).toHaveLength(result.embedded);
    expect(new Set(sent).size).toBe(sent.length);
    expect(requests.filter((request) => request.reply === 'status')).toHaveLength(2);
    const stats = await suite.pipeline.getCollectionStats('throttled');
    expect(stats).toMatchObject({
      document_count: DOCUMENTS,
      total_embeddings: result.chunks - result.skipped,
    });
    // With three requests at most in flight, every request from the third after a 429 on was sent
    // after the pause began, so none arrived before it ended (5 ms of timer slack).
    for (const [index, request] of requests.entries()) {
      if (request.reply !== 'status') continue;
      const pause = request === requests.find((entry) => entry.reply === 'status') ? 300 : 200;
      for (const next of requests.slice(index + CONCURRENCY)) {
        expect(next.receivedAt - request.receivedAt).toBeGreaterThanOrEqual(pause - 5);
      }
    }
    expect(suite.server.maxConcurrent).toBeLessThanOrEqual(CONCURRENCY);
  });

  it('a second run calls the provider for nothing and reports everything as already stored', async () => {
    const before = suite.server.requests.length;
    const events: ProgressEvent[] = [];
    const again = await suite.pipeline.ingest(documents(), {
      collectionName: 'campaigns',
      onProgress: (event) => events.push(event),
    });
    expect(suite.server.requests.length).toBe(before);
    expect(again).toMatchObject({ documents: DOCUMENTS, unchanged: DOCUMENTS, embedded: 0, removed: 0 });
    expect(again.reused).toBe(again.chunks - again.skipped);
    expect(events.at(-1)).toMatchObject({ documents: DOCUMENTS, tokens_embedded: 0 });
  });
});
