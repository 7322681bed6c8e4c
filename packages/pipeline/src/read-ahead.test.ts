import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestInput } from './pipeline-types.js';
import { READ_AHEAD_INPUTS, READ_AHEAD_MAX_FILE_BYTES, readAhead } from './read-ahead.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'dje-read-ahead-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, contents: string): IngestInput {
  const filePath = path.join(directory, name);
  writeFileSync(filePath, contents);
  return { kind: 'file', path: filePath };
}

describe('readAhead', () => {
  it('keeps the order, reads small files ahead and leaves large and missing ones for later', async () => {
    const small = Array.from({ length: 40 }, (_, index) => file(`small-${index}.json`, `{"n":${index}}`));
    const large = file('large.json', `{"pad":"${'x'.repeat(READ_AHEAD_MAX_FILE_BYTES)}"}`);
    const missing: IngestInput = { kind: 'file', path: path.join(directory, 'missing.json') };
    const data: IngestInput = { kind: 'data', data: { a: 1 }, documentId: 'inline' };
    const inputs = [...small.slice(0, 10), large, missing, data, ...small.slice(10)];
    const seen: Array<{ path?: string; text: string | undefined }> = [];
    for await (const input of readAhead(inputs)) {
      seen.push({
        ...(input.kind === 'file' ? { path: input.path } : {}),
        text: input.text,
      });
    }
    expect(seen.map((each) => each.path)).toEqual(
      inputs.map((input) => (input.kind === 'file' ? input.path : undefined)),
    );
    expect(seen.slice(0, 10).map((each) => each.text)).toEqual(
      Array.from({ length: 10 }, (_, index) => `{"n":${index}}`),
    );
    expect(seen[10]?.text).toBeUndefined();
    expect(seen[11]?.text).toBeUndefined();
    expect(seen.at(-1)?.text).toBe('{"n":39}');
  });

  it('takes nothing past a stream input until the stream has been handed on', async () => {
    const events: string[] = [];
    async function* source(): AsyncGenerator<IngestInput> {
      for (let index = 0; index < 3; index++) {
        events.push(`open ${index}`);
        yield { kind: 'stream', stream: (async function* () {})(), source: `s-${index}` };
        // Like the CLI: asking for the next input closes this one's stream.
        events.push(`close ${index}`);
      }
    }
    for await (const input of readAhead(source()))
      events.push(`ingest ${input.kind === 'stream' ? input.source : ''}`);
    expect(events).toEqual([
      'open 0',
      'ingest s-0',
      'close 0',
      'open 1',
      'ingest s-1',
      'close 1',
      'open 2',
      'ingest s-2',
      'close 2',
    ]);
  });

  it('takes at most READ_AHEAD_INPUTS inputs ahead of the consumer, and closes a source left early', async () => {
    let taken = 0;
    let closed = false;
    function* source(): Generator<IngestInput> {
      try {
        for (let index = 0; index < 100; index++) {
          taken++;
          yield { kind: 'data', data: { index }, documentId: `d-${index}` };
        }
      } finally {
        closed = true;
      }
    }
    let consumed = 0;
    for await (const _input of readAhead(source())) {
      consumed++;
      expect(taken - consumed).toBeLessThanOrEqual(READ_AHEAD_INPUTS);
      if (consumed === 5) break;
    }
    expect(closed).toBe(true);
    expect(taken).toBeLessThan(100);
  });
});
