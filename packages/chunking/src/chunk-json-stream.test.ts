import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkJson } from './chunk-json.js';
import { chunkJsonStream, defaultDocumentId } from './chunk-json-stream.js';
import type { ChunkResult } from './types.js';

// A fixed seed keeps the suite deterministic; change it to explore other inputs.
fc.configureGlobal({ seed: 20_241_128 });

async function* pieces(parts: readonly (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

async function collect(stream: AsyncIterable<ChunkResult>): Promise<ChunkResult[]> {
  const results: ChunkResult[] = [];
  for await (const result of stream) results.push(result);
  return results;
}

async function failure(
  stream: AsyncIterable<ChunkResult>,
): Promise<{ results: ChunkResult[]; error: unknown }> {
  const results: ChunkResult[] = [];
  try {
    for await (const result of stream) results.push(result);
  } catch (error) {
    return { results, error };
  }
  throw new Error('expected the stream to fail');
}

/** Splits bytes at the given fractions, so multi-byte characters can be cut in half. */
function splitBytes(text: string, cuts: readonly number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const positions = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const position of [...positions, bytes.length]) {
    parts.push(bytes.slice(start, position));
    start = position;
  }
  return parts;
}

describe('chunkJsonStream', () => {
  const documents = [
    { id: 'cmp-1', name: 'Spring', budget: { total: 1000 } },
    { _id: 77, name: 'Summer, "hot"', tags: ['a]', '{b'] },
    { document_id: 'doc-x', text: 'line\nbreak \\ and ]' },
    { name: 'no id here' },
    'a bare string',
    [1, [2, [3]]],
  ];

  it('reads NDJSON, one result per line, with default document ids', async () => {
    const ndjson = `${documents.map((document) => JSON.stringify(document)).join('\n')}\n\n`;
    const results = await collect(chunkJsonStream(pieces([ndjson])));
    expect(results.map((result) => result.document_id)).toEqual([
      'cmp-1',
      '77',
      'doc-x',
      'doc-3',
      'doc-4',
      'doc-5',
    ]);
    results.forEach((result, index) => {
      expect(result).toEqual(chunkJson(documents[index], { documentId: result.document_id }));
    });
  });

  it('reads a pretty-printed top-level array element by element', async () => {
    const text = `\uFEFF  ${JSON.stringify(documents, null, 2)}\n`;
    const results = await collect(chunkJsonStream(pieces([text]), { strategy: 'flat' }));
    expect(results).toHaveLength(documents.length);
    results.forEach((result, index) => {
      expect(result).toEqual(
        chunkJson(documents[index], { documentId: result.document_id, strategy: 'flat' }),
      );
    });
  });

  it('gives the same results however the bytes are split, for arrays and NDJSON', async () => {
    const document = fc.oneof(
      fc.record({ id: fc.string({ minLength: 1 }), value: fc.jsonValue({ maxDepth: 3 }) }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(document, { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        fc.boolean(),
        async (batch, cuts, asArray) => {
          const text = asArray
            ? JSON.stringify(batch, null, 1)
            : batch.map((item) => JSON.stringify(item)).join('\r\n');
          // Explicit format: NDJSON whose first document is an array would read as one array.
          const format = asArray ? 'array' : 'ndjson';
          const results = await collect(
            chunkJsonStream(pieces(splitBytes(text, cuts)), { maxTokens: 256, format }),
          );
          expect(results.map((result) => result.document_id)).toEqual(
            batch.map((item, index) => defaultDocumentId(item, index)),
          );
          results.forEach((result, index) => {
            expect(result).toEqual(
              chunkJson(batch[index], { documentId: result.document_id, maxTokens: 256 }),
            );
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('yields each document before reading the rest of the input', async () => {
    let pulled = 0;
    async function* lazy(): AsyncGenerator<string> {
      yield '[';
      for (let index = 0; index < 1000; index += 1) {
        pulled += 1;
        yield `${index === 0 ? '' : ','}{"id":"d${index}","value":${index}}`;
      }
      yield ']';
    }
    const stream = chunkJsonStream(lazy());
    const first = await stream.next();
    expect(first.done).toBe(false);
    expect((first.value as ChunkResult).document_id).toBe('d0');
    expect(pulled).toBeLessThanOrEqual(2);
    await stream.return(undefined);
  });

  it('uses a custom document id function and validates what it returns', async () => {
    const ids = await collect(
      chunkJsonStream(pieces(['{"a":1}\n{"a":2}']), { documentId: (_document, index) => `row-${index + 1}` }),
    );
    expect(ids.map((result) => result.document_id)).toEqual(['row-1', 'row-2']);
    const { error } = await failure(chunkJsonStream(pieces(['{"a":1}']), { documentId: () => '' }));
    expect(error).toMatchObject({ code: 'INVALID_DOCUMENT_ID' });
  });

  it('reports the line of a bad NDJSON document after yielding the good ones', async () => {
    const { results, error } = await failure(
      chunkJsonStream(pieces(['{"id":"a"}\n{"id":"b"}\n', '{"id": "c", oops}\n{"id":"d"}\n']), {
        source: 'events.ndjson',
      }),
    );
    expect(results.map((result) => result.document_id)).toEqual(['a', 'b']);
    expect(error).toMatchObject({
      code: 'INVALID_JSON',
      details: { line: 3, column: 13, source: 'events.ndjson' },
    });
    expect((error as Error).message).toContain('in events.ndjson at line 3, column 13');
  });

  it('reports the line and column of a bad array element in the whole stream', async () => {
    const text = '[\n  {"id": "a"},\n  {"id": "b",\n   "x": tru}\n]';
    const { results, error } = await failure(chunkJsonStream(pieces([text])));
    expect(results).toHaveLength(1);
    expect(error).toMatchObject({ code: 'INVALID_JSON', details: { line: 4, column: 12 } });
  });

  it.each([
    ['an unclosed array', '[{"a":1}', /ended before the array was closed/],
    ['an unclosed array after a scalar', '[1, 2', /missing '\]'/],
    ['text after the array', '[1] [2]', /after the end of the array/],
    ['a missing comma', '[{"a":1} {"b":2}]', /expected ',' or '\]'/],
    ['a trailing comma', '[1,]', /expected an array element/],
  ])('rejects %s with INVALID_JSON', async (_name, text, reason) => {
    const { error } = await failure(chunkJsonStream(pieces([text])));
    expect(error).toMatchObject({ code: 'INVALID_JSON', kind: 'validation' });
    expect((error as Error).message).toMatch(reason);
  });

  it('treats empty input as no documents, and honours an explicit format', async () => {
    expect(await collect(chunkJsonStream(pieces([])))).toEqual([]);
    expect(await collect(chunkJsonStream(pieces([' \n ', '\n'])))).toEqual([]);
    expect(await collect(chunkJsonStream(pieces(['[ ]'])))).toEqual([]);
    const asLines = await collect(chunkJsonStream(pieces(['[1,2]\n[3]']), { format: 'ndjson' }));
    expect(asLines.map((result) => result.chunks[0]?.text.split('\n')[1])).toEqual(['1, 2', '3']);
    const { error } = await failure(chunkJsonStream(pieces(['{"a":1}']), { format: 'array' }));
    expect(error).toMatchObject({ code: 'INVALID_JSON' });
  });

  it('validates options before reading', async () => {
    let read = false;
    async function* source(): AsyncGenerator<string> {
      read = true;
      yield '{}';
    }
    const { error } = await failure(chunkJsonStream(source(), { strategy: 'fast' as 'flat' }));
    expect(error).toMatchObject({ code: 'INVALID_STRATEGY' });
    expect(read).toBe(false);
  });
});
