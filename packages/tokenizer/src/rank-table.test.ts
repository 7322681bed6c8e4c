import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { describe, expect, it } from 'vitest';
import { parseRankTable } from './rank-table.js';

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
