// The embedded database is one process at a time, and Ctrl-C stops cleanly: both tested with real
// processes and real signals.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chunkJson, createPipeline } from '@dynamic-embeddings/pipeline';
import { afterAll, describe, expect, it } from 'vitest';
import {
  startTestOpenAIServer,
  type TestOpenAIServer,
} from '../../../packages/embeddings/src/testing/openai-server.js';
import {
  dje,
  embeddedDatabaseArgs,
  errorCodeOf,
  finished,
  jsonOf,
  spawnDje,
  startDjeServer,
  temporaryDirectory,
  waitForRequests,
  waitForStderr,
} from './testing/dje.js';

const directories: Array<{ remove(): void }> = [];
const servers: TestOpenAIServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
  for (const directory of directories) directory.remove();
});

function ndjson(count: number, offset = 0): string {
  return Array.from(
    { length: count },
    (_, index) =>
      `${JSON.stringify({ id: `event-${offset + index}`, kind: 'click', note: `event number ${offset + index}` })}\n`,
  ).join('');
}

/** A document with the same shape (and so the same chunk count) for every index. */
function campaignDocument(index: number) {
  const code = String(index).padStart(4, '0');
  return {
    campaign_id: `cmp-${code}`,
    name: `Campaign ${code} for the autumn savings offer`,
    description: `Campaign ${code} targets young professionals with mobile banners and video on weekdays.`,
    budget: { daily: 1000 + index, total: 30_000 + index, currency: 'NOK' },
    targeting: { countries: ['Norway', 'Sweden'], devices: ['mobile'], age_range: '25-44' },
    metrics: { impressions: 100_000 + index, clicks: 2_000 + index, ctr: 0.02, conversions: 40 + index },
  };
}

describe.concurrent('one process at a time, and clean interrupts', () => {
  it('a second dje on a held data directory fails at once with DATABASE_LOCKED, and the data is intact', async () => {
    const directory = temporaryDirectory('lock');
    directories.push(directory);
    const database = embeddedDatabaseArgs(directory.path);
    const seeded = await dje([...database, 'ingest', '-', '--collection', 'events', '--json'], {
      input: ndjson(20),
    });
    expect(seeded.code).toBe(0);
    expect(jsonOf(seeded)).toMatchObject({ documents: 20 });

    // The holder: an ingest from stdin that has opened the database and waits for input.
    const holder = spawnDje([...database, 'ingest', '-', '--collection', 'events', '--json']);
    const holderDone = finished(holder);
    await waitForStderr(holder, /Reading documents/);

    const started = Date.now();
    const second = await dje([...database, 'search', 'click', '--collection', 'events']);
    expect(second.code).toBe(9);
    expect(errorCodeOf(second)).toBe('DATABASE_LOCKED');
    expect(second.stderr).toMatch(/in use by another process \(pid \d+\)/);
    expect(second.stderr).toMatch(/DATABASE_URL/);
    expect(second.stdout).toBe('');
    // "At once": no waiting for the lock (generous bound for a loaded 2-core machine).
    expect(Date.now() - started).toBeLessThan(15_000);

    // The holder finishes its work normally, and everything is there afterwards.
    holder.stdin?.end(ndjson(10, 20));
    const held = await holderDone;
    expect(held.code).toBe(0);
    expect(jsonOf(held)).toMatchObject({ documents: 10, collection_name: 'events' });
    const stats = jsonOf<{ document_count: number; total_embeddings: number }>(
      await dje([...database, 'collection', 'stats', 'events', '--json']),
    );
    expect(stats.document_count).toBe(30);
  });

  it('dje serve holds the database, answers over HTTP, and stops cleanly on SIGTERM, releasing it', async () => {
    const directory = temporaryDirectory('serve');
    directories.push(directory);
    const database = embeddedDatabaseArgs(directory.path);
    const { url, stop } = await startDjeServer(database);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);

    const blocked = await dje([...database, 'namespace', 'list']);
    expect(blocked.code).toBe(9);
    expect(errorCodeOf(blocked)).toBe('DATABASE_LOCKED');

    // The same data is reachable through the server meanwhile.
    const created = await fetch(`${url}/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'via_http' }),
    });
    expect(created.status).toBe(201);

    const stopped = await stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).not.toMatch(/^error/m);
    const after = await dje([...database, 'namespace', 'list', '--json']);
    expect(after.code).toBe(0);
    expect(jsonOf<Array<{ namespace: string }>>(after).map((entry) => entry.namespace)).toEqual(['via_http']);
  });

  it('Ctrl-C during a long folder ingest exits 130 and leaves only whole documents', async () => {
    const directory = temporaryDirectory('interrupt');
    directories.push(directory);
    const input = path.join(directory.path, 'campaigns');
    mkdirSync(input);
    const total = 200;
    for (let index = 0; index < total; index++) {
      writeFileSync(
        path.join(input, `campaign-${String(index).padStart(4, '0')}.json`),
        JSON.stringify(campaignDocument(index)),
      );
    }
    const database = embeddedDatabaseArgs(directory.path);
    // An OpenAI-compatible server that answers three batches at once, the fourth after 2.5 s (its
    // stored batch prints a progress line: lines come at most every 2 s), then never: the interrupt
    // always lands mid-ingest, however fast the machine.
    const server = await startTestOpenAIServer();
    servers.push(server);
    server.script(
      { kind: 'ok' },
      { kind: 'ok' },
      { kind: 'ok' },
      { kind: 'ok', delayMs: 2_500 },
      { kind: 'stall' },
    );
    const provider = ['--provider', 'openai', '--model', 'text-embedding-3-small', '--dimensions', '32'];
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseURL };
    const ingestArgs = [
      ...database,
      ...provider,
      'ingest',
      input,
      '--collection',
      'campaigns',
      '--strategy',
      'flat',
    ];
    const child = spawnDje([...ingestArgs, '--batch-documents', '4'], { env });
    const done = finished(child);
    child.stdin?.end();
    // Wait until some files are stored, then interrupt like a terminal's Ctrl-C.
    await waitForStderr(child, /ingest: ([1-9]\d*)\/200 files/);
    // The stalled request has arrived, so nothing of the script is left for the run after this one.
    await waitForRequests(server, 5);
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(errorCodeOf(result)).toBe('CANCELLED');
    expect(result.stderr).toMatch(/Interrupted: stopping cleanly/);
    const cancelled = result.stderr.match(
      /error \[CANCELLED\]: Cancelled after (\d+) of 200 files; those \d+ are stored completely/,
    );
    expect(cancelled).not.toBeNull();

    // Every stored document has exactly the chunks its content produces: none is partial.
    const pipeline = await createPipeline({ databaseUrl: `pglite://${path.join(directory.path, 'db')}` });
    try {
      const stats = await pipeline.getCollectionStats('campaigns');
      expect(stats.document_count).toBeGreaterThan(0);
      expect(stats.document_count).toBeLessThan(total);
      const expectedChunks = chunkJson(campaignDocument(0), { documentId: 'campaign-0000', strategy: 'flat' })
        .chunks.length;
      let stored = 0;
      for (let index = 0; index < total; index++) {
        const documentId = `campaign-${String(index).padStart(4, '0')}`;
        const rows = await pipeline.getDocument(documentId, { collectionName: 'campaigns' });
        if (rows.length === 0) continue;
        stored++;
        const expected = chunkJson(campaignDocument(index), { documentId, strategy: 'flat' }).chunks.length;
        expect(expected).toBe(expectedChunks);
        expect(rows).toHaveLength(expected);
      }
      expect(stored).toBe(stats.document_count);
      // The message told the truth about what was stored.
      expect(stored).toBe(Number(cancelled?.[1]));
      expect(stats.total_embeddings).toBe(stored * expectedChunks);
    } finally {
      // Closing releases the lock for the next command.
      await pipeline.close();
    }

    // Running the same command again completes the job; stored documents reuse their vectors.
    const rerun = await dje([...ingestArgs, '--json', '--quiet'], { env });
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toBe('');
    const summary = jsonOf<{ sources: number; reused: number; embedded: number }>(rerun);
    expect(summary.sources).toBe(total);
    expect(summary.reused).toBeGreaterThan(0);
  });
});
