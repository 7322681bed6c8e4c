// A crash mid-ingest loses nothing and costs nothing twice: `dje ingest` of a folder through an
// OpenAI-compatible server (real HTTP, the openai SDK) is killed with SIGKILL while it runs; running
// the same command again stores every document exactly once and sends the provider only the texts
// of the documents that were not stored yet.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chunkJson, createPipeline } from '@dynamic-embeddings/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestOpenAIServer,
  type TestOpenAIServer,
} from '../../../packages/embeddings/src/testing/openai-server.js';
import {
  dje,
  embeddedDatabaseArgs,
  finished,
  jsonOf,
  spawnDje,
  temporaryDirectory,
  waitForRequests,
  waitForStderr,
} from './testing/dje.js';

const TOTAL = 60;
const directories: Array<{ remove(): void }> = [];

function reading(index: number) {
  const code = String(index).padStart(3, '0');
  return {
    sensor_id: `sensor-${code}`,
    site: { building: `B${index % 5}`, floor: index % 7, room: `room ${code}` },
    readings: {
      temperature: 20 + (index % 9) / 10,
      humidity: 40 + (index % 13),
      battery: 100 - (index % 50),
    },
    status: index % 11 === 0 ? 'maintenance due' : 'ok',
  };
}

function fileName(index: number): string {
  return `sensor-${String(index).padStart(3, '0')}.json`;
}

describe('dje ingest after a crash', () => {
  let server: TestOpenAIServer;
  beforeAll(async () => {
    server = await startTestOpenAIServer();
  });
  afterAll(async () => {
    await server.close();
    for (const directory of directories) directory.remove();
  });

  it('a SIGKILL mid-ingest, then the same command: every document once, only the missing ones embedded', async () => {
    const directory = temporaryDirectory('resume');
    directories.push(directory);
    const input = path.join(directory.path, 'sensors');
    mkdirSync(input);
    for (let index = 0; index < TOTAL; index++) {
      writeFileSync(path.join(input, fileName(index)), JSON.stringify(reading(index)));
    }
    const database = embeddedDatabaseArgs(directory.path);
    const args = [
      ...database,
      '--provider',
      'openai',
      '--model',
      'text-embedding-3-small',
      '--dimensions',
      '32',
      'ingest',
      input,
      '--collection',
      'sensors',
      '--strategy',
      'flat',
      '--batch-documents',
      '5',
    ];
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseURL };
    const chunksOf = (index: number) =>
      chunkJson(reading(index), { documentId: fileName(index).replace(/\.json$/, ''), strategy: 'flat' })
        .chunks;
    const chunksPerDocument = chunksOf(0).length;

    // Three batches answered at once, the fourth after 2.5 s (so its stored batch prints a progress
    // line: lines come at most every 2 s), then no answer: the kill always lands mid-ingest.
    server.script(
      { kind: 'ok' },
      { kind: 'ok' },
      { kind: 'ok' },
      { kind: 'ok', delayMs: 2_500 },
      { kind: 'stall' },
    );
    const child = spawnDje(args, { env });
    const killed = finished(child);
    child.stdin?.end();
    await waitForStderr(child, /ingest: ([1-9]\d*)\/60 files/);
    // The stalled request has arrived, so nothing of the script is left for the run after this one.
    await waitForRequests(server, 5);
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
    child.kill('SIGKILL');
    const crash = await killed;
    expect(crash.signal).toBe('SIGKILL');
    const inputsBefore = server.requests.flatMap((request) => request.body.input ?? []);

    // What the crash left: only whole documents.
    const dataDirectory = `pglite://${path.join(directory.path, 'db')}`;
    let storedBefore: number;
    const beforeRerun = await createPipeline({ databaseUrl: dataDirectory });
    try {
      const stats = await beforeRerun.getCollectionStats('sensors').catch(() => undefined);
      storedBefore = stats?.document_count ?? 0;
      expect(stats?.total_embeddings ?? 0).toBe(storedBefore * chunksPerDocument);
    } finally {
      await beforeRerun.close();
    }
    // The progress line counts stored files, so the crash came between stored batches.
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(TOTAL);
    expect(inputsBefore.length).toBeGreaterThan(0);

    const requestsBefore = server.requests.length;
    const rerun = await dje([...args, '--json', '--quiet'], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    const result = jsonOf<{ documents: number; chunks: number; embedded: number; reused: number }>(rerun);
    const inputsAfter = server.requests.slice(requestsBefore).flatMap((request) => request.body.input ?? []);

    // Re-embedded: exactly the chunks of the documents the crash had not stored.
    expect(inputsAfter).toHaveLength((TOTAL - storedBefore) * chunksPerDocument);
    expect(result).toMatchObject({
      documents: TOTAL,
      chunks: TOTAL * chunksPerDocument,
      embedded: (TOTAL - storedBefore) * chunksPerDocument,
      reused: storedBefore * chunksPerDocument,
    });

    const after = await createPipeline({ databaseUrl: dataDirectory });
    try {
      const stats = await after.getCollectionStats('sensors');
      expect(stats.document_count).toBe(TOTAL);
      expect(stats.total_embeddings).toBe(TOTAL * chunksPerDocument);
      for (const index of [0, Math.floor(TOTAL / 2), TOTAL - 1]) {
        const documentId = fileName(index).replace(/\.json$/, '');
        const rows = await after.getDocument(documentId, { collectionName: 'sensors' });
        expect(rows.map((row) => row.text).sort()).toEqual(
          chunksOf(index)
            .map((chunk) => chunk.text)
            .sort(),
        );
      }
    } finally {
      await after.close();
    }
  });
});
