import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { describe, expect, it } from 'vitest';
import { parseRankTable, rankTableBytes, rankTableFromBytes } from './rank-table.js';

const latin1 = (base64: string): string => Buffer.from(base64, 'base64').toString('latin1');

describe('parseRankTable', () => {
  it('finds every cl100k_base token at its rank, also as a span inside a longer string', () => {
    const table = parseRankTable(cl100k.bpe_ranks);
    let checked = 0;
    let longest = 0;
    const wrong: string[] = [];
    for (const line of cl100k.bpe_ranks.split('\n')) {
      const [, first, ...fields] = line.split(' ');
      if (first === undefined) continue;
      fields.forEach((field, offset) => {
        const bytes = latin1(field);
        longest = Math.max(longest, bytes.length);
        const rank = Number(first) + offset;
        if (table.rank(bytes, 0, bytes.length) !== rank) wrong.push(field);
        if (table.rank(`\u00ff${bytes}\u0000`, 1, bytes.length + 1) !== rank) wrong.push(`inside ${field}`);
        checked += 1;
      });
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(100_256);
    expect(table.longestToken).toBe(longest);
  });

  it('answers -1 for byte strings that are no token, and for spans longer than the longest token', () => {
    const table = parseRankTable(cl100k.bpe_ranks);
    expect(table.rank('qzxqzxqzx', 0, 9)).toBe(-1);
    expect(table.rank('a'.repeat(200), 0, 200)).toBe(-1);
    expect(table.rank('', 0, 0)).toBe(-1);
  });

  it('keeps the last rank of a token listed twice, and ranks consecutive within a line', () => {
    // a, b at 0 and 1; ab at 5; a again at 9.
    const table = parseRankTable('x 0 YQ== Yg==\nx 5 YWI=\nx 9 YQ==');
    expect(table.rank('a', 0, 1)).toBe(9);
    expect(table.rank('b', 0, 1)).toBe(1);
    expect(table.rank('xab', 1, 3)).toBe(5);
    expect(table.rank('ba', 0, 2)).toBe(-1);
    expect(table.longestToken).toBe(2);
  });
});

describe('rankTableBytes / rankTableFromBytes', () => {
  const small = 'x 0 YQ== Yg==\nx 5 YWI=\nx 9 YQ==';

  it('reads back a table that ranks every cl100k_base token as the parsed one does', () => {
    const parsed = parseRankTable(cl100k.bpe_ranks);
    const read = rankTableFromBytes(rankTableBytes(cl100k.bpe_ranks), cl100k.bpe_ranks);
    expect(read?.longestToken).toBe(parsed.longestToken);
    const wrong: string[] = [];
    for (const line of cl100k.bpe_ranks.split('\n')) {
      for (const field of line.split(' ').slice(2)) {
        const bytes = latin1(field);
        if (read?.rank(bytes, 0, bytes.length) !== parsed.rank(bytes, 0, bytes.length)) wrong.push(field);
      }
    }
    expect(wrong).toEqual([]);
    expect(read?.rank('qzxqzxqzx', 0, 9)).toBe(-1);
  });

  it('reads bytes that do not start on a 4-byte boundary', () => {
    const bytes = rankTableBytes(small);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const table = rankTableFromBytes(shifted.subarray(1), small);
    expect([table?.rank('a', 0, 1), table?.rank('b', 0, 1), table?.rank('ab', 0, 2)]).toEqual([9, 1, 5]);
  });

  it('refuses bytes written from other ranks, cut short, or not a table at all', () => {
    const bytes = rankTableBytes(small);
    // Same length, one token changed: only the digest tells them apart.
    expect(rankTableFromBytes(bytes, small.replace('Yg==', 'Yw=='))).toBeUndefined();
    expect(rankTableFromBytes(bytes, `${small}\nx 10 Yw==`)).toBeUndefined();
    expect(rankTableFromBytes(bytes.subarray(0, bytes.length - 1), small)).toBeUndefined();
    expect(rankTableFromBytes(new Uint8Array(bytes.length), small)).toBeUndefined();
    expect(rankTableFromBytes(new Uint8Array(3), small)).toBeUndefined();
  });
});
