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
