// Exact token counts for OpenAI's cl100k_base and o200k_base encodings, fast enough to count every
// chunk of a 30 MB/s chunker. The vocabularies and pre-tokenizer patterns are js-tiktoken's; the
// counting is ours because js-tiktoken's encoder runs at ~3 MB/s (it re-joins byte arrays into
// strings for every candidate merge and is quadratic on long pieces). Counts equal
// `new Tiktoken(ranks).encode(text, [], []).length`, which the tests check on random text.
import { createRequire } from 'node:module';
import { createError, type DjeError } from '@dynamic-embeddings/core';
import { mergeCount } from './byte-pair-merge.js';
import { countPieces, fnvOffset, fnvPrime, type PieceCounter } from './cl100k-pieces.js';

/** A tokenizer this package can count with. */
export type TokenEncoding = 'cl100k_base' | 'o200k_base';

/** The encodings `countTokens` accepts. */
export const tokenEncodings: readonly TokenEncoding[] = ['cl100k_base', 'o200k_base'];

interface RankFile {
  readonly pat_str: string;
  readonly bpe_ranks: string;
}

/** Counts tokens of one encoding; holds a bounded cache of recent pre-tokenized pieces. */
export interface TokenCounter {
  readonly encoding: TokenEncoding;
  /** Tokens of `text`; special-token strings such as `<|endoftext|>` count as ordinary text. */
  count(text: string): number;
  /** Tokens of `text + '\n'`, without building that string. */
  countLine(text: string): number;
  /**
   * Tokens of `text` when `lineTokens` is already `countLine(text)`: after an ASCII letter or digit
   * the newline is a piece of its own (one token) in both encodings, so nothing is counted again.
   */
  countWithoutNewline(text: string, lineTokens: number): number;
}

// Repeated pieces (keys, common words, short numbers) dominate JSON-derived text, so a cache of
// piece → count turns most of the work into one Map lookup. Cleared, not evicted, when full: cheap
// and deterministic.
const pieceCacheLimit = 100_000;
const cacheablePieceLength = 48;

const require = createRequire(import.meta.url);

function loadRankFile(encoding: TokenEncoding): RankFile {
  // The rank files are large JavaScript modules; `require` loads them lazily and synchronously so
  // that `countTokens` can stay synchronous like the rest of the chunker.
  const loaded = require(`js-tiktoken/ranks/${encoding}`) as { default?: RankFile } & RankFile;
  return loaded.default ?? loaded;
}

function parseRanks(file: RankFile): { ranks: Map<string, number>; longestToken: number } {
  // Format (js-tiktoken): lines of `<tag> <first rank> <base64 token> <base64 token> …`, ranks
  // consecutive within a line. Keys are the token bytes as a latin1 string.
  const ranks = new Map<string, number>();
  let longestToken = 1;
  for (const line of file.bpe_ranks.split('\n')) {
    if (line.length === 0) continue;
    const fields = line.split(' ');
    const firstRank = Number.parseInt(fields[1] ?? '', 10);
    for (let index = 2; index < fields.length; index += 1) {
      const bytes = Buffer.from(fields[index] ?? '', 'base64').toString('latin1');
      ranks.set(bytes, firstRank + index - 2);
      if (bytes.length > longestToken) longestToken = bytes.length;
    }
  }
  return { ranks, longestToken };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
const nonAscii = /[^\u0000-\u007f]/;

// Position `text.length` reads as the virtual newline of `countLine`.
function charAt(text: string, at: number): number {
  return at < text.length ? text.charCodeAt(at) : 10;
}

function pieceOf(text: string, start: number, end: number): string {
  return end > text.length ? `${text.slice(start)}\n` : text.slice(start, end);
}

/**
 * A fixed-size open-addressing table from piece text to token count, probed with the piece's
 * characters in place (no substring is created on a hit). Cleared when it fills up.
 */
function createPieceTable(countBytes: (bytes: string) => number): PieceCounter {
  const size = 1 << 16;
  const mask = size - 1;
  const keys: (string | undefined)[] = new Array(size);
  const hashes = new Int32Array(size);
  const counts = new Int32Array(size);
  let used = 0;
  const countUncached = (text: string, start: number, end: number): number => {
    const piece = pieceOf(text, start, end);
    return countBytes(nonAscii.test(piece) ? Buffer.from(piece, 'utf8').toString('latin1') : piece);
  };
  // `hash` covers the piece's characters, the virtual newline included.
  const lookup = (text: string, start: number, end: number, hash: number): number => {
    const length = end - start;
    if (length > cacheablePieceLength) return countUncached(text, start, end);
    // Pieces that take in the virtual newline are rare: only they pay for `charAt`'s check.
    const inText = end <= text.length;
    let slot = hash & mask;
    for (let key = keys[slot]; key !== undefined; key = keys[slot]) {
      if (hashes[slot] === hash && key.length === length) {
        let offset = 0;
        if (inText)
          while (offset < length && key.charCodeAt(offset) === text.charCodeAt(start + offset)) offset += 1;
        else while (offset < length && key.charCodeAt(offset) === charAt(text, start + offset)) offset += 1;
        if (offset === length) return counts[slot]!;
      }
      slot = (slot + 1) & mask;
    }
    const piece = pieceOf(text, start, end);
    const count = countBytes(nonAscii.test(piece) ? Buffer.from(piece, 'utf8').toString('latin1') : piece);
    if (used >= size * 0.6) {
      keys.fill(undefined);
      used = 0;
      slot = hash & mask;
    }
    keys[slot] = piece;
    hashes[slot] = hash;
    counts[slot] = count;
    used += 1;
    return count;
  };
  return {
    countHashed: lookup,
    count: (text, start, end) => {
      if (end - start > cacheablePieceLength) return countUncached(text, start, end);
      let hash = fnvOffset;
      if (end <= text.length)
        for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ text.charCodeAt(at), fnvPrime);
      else for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ charAt(text, at), fnvPrime);
      return lookup(text, start, end, hash);
    },
  };
}

const primer = [
  "Spring Sale's 12 345 6789 ½ ٣٤ café NAÏVE 日本語 Ελληνικά they'LL we've I'd",
  'a_b-c.d/e: {x: [1, 2.5, -3e-7]}!!\n\n  \t indented   x\r\n end  ',
  `${'supercalifragilistic'.repeat(4)} ${'=-'.repeat(40)}.`,
  'trailing punctuation!?',
  'emoji 😀 goes to the pattern',
];

function endsWithAsciiAlphanumeric(text: string): boolean {
  const code = text.length === 0 ? 0 : text.charCodeAt(text.length - 1);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function createCounter(encoding: TokenEncoding): TokenCounter {
  const file = loadRankFile(encoding);
  const { ranks, longestToken } = parseRanks(file);
  const pattern = new RegExp(file.pat_str, 'gu');
  const cache = new Map<string, number>();

  const countBytes = (bytes: string): number =>
    bytes.length === 1 || ranks.has(bytes) ? 1 : mergeCount({ bytes, ranks, longestToken });
  const countPiece = (piece: string): number =>
    countBytes(nonAscii.test(piece) ? Buffer.from(piece, 'utf8').toString('latin1') : piece);

  const countWithPattern = (text: string): number => {
    let total = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const piece = match[0];
      if (piece.length > cacheablePieceLength) {
        total += countPiece(piece);
        continue;
      }
      let pieceCount = cache.get(piece);
      if (pieceCount === undefined) {
        pieceCount = countPiece(piece);
        if (cache.size >= pieceCacheLimit) cache.clear();
        cache.set(piece, pieceCount);
      }
      total += pieceCount;
    }
    return total;
  };

  // The hand-written scanner knows cl100k_base's pattern only; other encodings use the regex.
  const pieceTable = encoding === 'cl100k_base' ? createPieceTable(countBytes) : undefined;
  const count = (text: string, withNewline: boolean): number => {
    if (pieceTable !== undefined) {
      const fast = countPieces(text, withNewline, pieceTable);
      if (fast >= 0) return fast;
    }
    return countWithPattern(withNewline ? `${text}\n` : text);
  };

  // One text through every branch of the scanner, the cache and the merge before real text: V8
  // then optimizes the counter once, instead of compiling it again each time a document first
  // shows a branch (a non-ASCII letter, a whitespace run, a miss), which cost a cold 5 MB
  // document ~0.2 s. Counts are exact either way; only the piece cache holds a few more entries.
  // V8 collects type feedback only from a function's first few calls on, hence the rounds.
  // Each round brings new pieces too, so that cache misses (ASCII and not) run after that.
  for (let round = 0; round < 8; round += 1) {
    const fresh = `${'q'.repeat(round + 2)}z ${'é'.repeat(round + 1)}x ${'語'.repeat(round + 1)}`;
    for (const line of [...primer, fresh]) {
      count(line, true);
      count(line, false);
    }
  }
  return {
    encoding,
    count: (text) => count(text, false),
    countLine: (text) => count(text, true),
    countWithoutNewline: (text, lineTokens) =>
      endsWithAsciiAlphanumeric(text) ? lineTokens - 1 : count(text, false),
  };
}

export function invalidEncoding(encoding: unknown): DjeError {
  return createError({
    code: 'INVALID_ENCODING',
    message: `Unknown token encoding ${JSON.stringify(encoding)}; use one of ${tokenEncodings.join(', ')}.`,
    details: { encoding, allowed: tokenEncodings },
  });
}

const counters = new Map<TokenEncoding, TokenCounter>();

/** The shared counter of an encoding, built on first use (parsing the ranks takes ~0.3 s). */
export function tokenCounter(encoding: TokenEncoding = 'cl100k_base'): TokenCounter {
  if (!tokenEncodings.includes(encoding)) throw invalidEncoding(encoding);
  let counter = counters.get(encoding);
  if (counter === undefined) {
    counter = createCounter(encoding);
    counters.set(encoding, counter);
  }
  return counter;
}

/**
 * Tokens of `text` under `encoding` (default `cl100k_base`, the tokenizer of OpenAI's embedding
 * models). Special-token strings count as ordinary text.
 */
export function countTokens(text: string, encoding: TokenEncoding = 'cl100k_base'): number {
  return tokenCounter(encoding).count(text);
}
