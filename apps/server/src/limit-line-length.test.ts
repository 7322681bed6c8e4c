import { describe, expect, it } from 'vitest';
import { limitLineLength } from './limit-line-length.js';

const encoder = new TextEncoder();

async function collect(chunks: string[], maxLineBytes: number): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of limitLineLength(
    chunks.map((chunk) => encoder.encode(chunk)),
    { maxLineBytes },
  )) {
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}

describe('limitLineLength', () => {
  it('passes the bytes through unchanged when every line fits, across chunk boundaries', async () => {
    const chunks = ['{"a":1}\n{"b"', ':2}\n', '{"c":3}', '\n'];
    expect(await collect(chunks, 7)).toBe(chunks.join(''));
  });

  it('fails on the first line over the limit with its 1-based number, even when split across chunks', async () => {
    await expect(collect(['{"a":1}\n{"bb', 'bb":2}\n'], 8)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      kind: 'payload_too_large',
      details: { line: 2, limit_bytes: 8 },
    });
    await expect(collect(['123456789'], 8)).rejects.toMatchObject({ details: { line: 1 } });
  });

  it('counts bytes, not characters', async () => {
    // "é" is two bytes in UTF-8: four of them are 8 bytes.
    expect(await collect(['éééé\n'], 8)).toBe('éééé\n');
    await expect(collect(['ééééé\n'], 8)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});
