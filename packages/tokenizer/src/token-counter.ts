// Exact token counts for OpenAI's cl100k_base and o200k_base encodings, fast enough to count every
// chunk of a 30 MB/s chunker. The vocabularies and pre-tokenizer patterns are js-tiktoken's; the
// counting is ours because js-tiktoken's encoder runs at ~3 MB/s (it re-joins byte arrays into
// strings for every candidate merge and is quadratic on long pieces). Counts equal
// `new Tiktoken(ranks).encode(text, [], []).length`, which the tests check on random text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createError, type DjeError } from '@dynamic-embeddings/core';
import { mergeCount } from './byte-pair-merge.js';
import {
  cl100kTailStart,
  countPieces,
  fnvOffset,
  fnvPrime,
  onlySymbolsOutsideBmp,
  type PieceCounter,
} from './cl100k-pieces.js';
import { parseRankTable, type RankTable, rankTableFromBytes } from './rank-table.js';

/** A tokenizer this package can count with. */
export type TokenEncoding = 'cl100k_base' | 'o200k_base';

/** The encodings `countTokens` accepts. */
export const tokenEncodings: readonly TokenEncoding[] = ['cl100k_base', 'o200k_base'];

export interface RankFile {
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
   * Tokens of `text + '\n'` when they are at most `limit`; otherwise some number above `limit`,
   * found without counting the rest of the text (a long string only has to be known too long).
   */
  countLineUpTo(text: string, limit: number): number;
  /**
   * Tokens of `text` when `lineTokens` is already `countLine(text)`: only the text after its last
   * letter or digit is counted again (see `tailStart`, `cl100kTailStart`).
   */
  countWithoutNewline(text: string, lineTokens: number): number;
}

// Repeated pieces (keys, common words, short numbers) dominate JSON-derived text, so a cache of
// piece → count turns most of the work into one Map lookup. Cleared, not evicted, when full: cheap
// and deterministic.
const pieceCacheLimit = 100_000;
const cacheablePieceLength = 48;

const require = createRequire(import.meta.url);

/** Where the build writes an encoding's parsed table (`write-rank-files.ts`): beside this module. */
export function rankTableFile(encoding: TokenEncoding): URL {
  return new URL(`./${encoding}.ranks`, import.meta.url);
}

/** The table the build wrote when there is one for these ranks, else the ranks parsed. */
function loadRankTable(encoding: TokenEncoding, source: string): RankTable {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileSync(rankTableFile(encoding));
  } catch {
    // Running from source (tests, `--conditions=source`), or a build without the files.
  }
  return (bytes === undefined ? undefined : rankTableFromBytes(bytes, source)) ?? parseRankTable(source);
}

export function loadRankFile(encoding: TokenEncoding): RankFile {
  // The rank files are large JavaScript modules; `require` loads them lazily and synchronously so
  // that `countTokens` can stay synchronous like the rest of the chunker.
  const loaded = require(`js-tiktoken/ranks/${encoding}`) as { default?: RankFile } & RankFile;
  return loaded.default ?? loaded;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
const nonAscii = /[^\u0000-\u007f]/;

// Called as `charCodeAt.call(text, at)`: see the constant of the same name in cl100k-pieces.ts.
const charCodeAt = String.prototype.charCodeAt;

// Position `text.length` reads as the virtual newline of `countLine`.
function charAt(text: string, at: number): number {
  return at < text.length ? charCodeAt.call(text, at) : 10;
}

function pieceOf(text: string, start: number, end: number): string {
  return end > text.length ? `${text.slice(start)}\n` : text.slice(start, end);
}

/**
 * A fixed-size open-addressing table from piece text to token count, probed with the piece's
 * characters in place (no substring is created on a hit). Cleared when it fills up.
 */
function createPieceTable(countPiece: (piece: string) => number): PieceCounter {
  const size = 1 << 16;
  const mask = size - 1;
  const keys: (string | undefined)[] = new Array(size);
  const hashes = new Int32Array(size);
  // Kept apart from the keys for the same reason as `charCodeAt`: `key.length` is a property load
  // on pieces of every string representation.
  const lengths = new Int32Array(size);
  const counts = new Int32Array(size);
  let used = 0;
  const countUncached = (text: string, start: number, end: number): number =>
    countPiece(pieceOf(text, start, end));
  // A miss, in a function of its own: inlined into `lookup` (and so into the scanner), the byte-pair
  // merge made the hit path's optimized code slower (counting a mixed document's lines took 1.5x
  // as long with no primer).
  const store = (text: string, start: number, end: number, hash: number): number => {
    const piece = pieceOf(text, start, end);
    const count = countPiece(piece);
    let slot = hash & mask;
    if (used >= size * 0.6) {
      keys.fill(undefined);
      used = 0;
    }
    while (keys[slot] !== undefined) slot = (slot + 1) & mask;
    keys[slot] = piece;
    hashes[slot] = hash;
    lengths[slot] = end - start;
    counts[slot] = count;
    used += 1;
    return count;
  };
  // `hash` covers the piece's characters, the virtual newline included.
  const lookup = (text: string, start: number, end: number, hash: number): number => {
    const length = end - start;
    if (length > cacheablePieceLength) return countUncached(text, start, end);
    // Pieces that take in the virtual newline are rare: only they pay for `charAt`'s check.
    const inText = end <= text.length;
    let slot = hash & mask;
    for (let key = keys[slot]; key !== undefined; key = keys[slot]) {
      if (hashes[slot] === hash && lengths[slot] === length) {
        let offset = 0;
        if (inText)
          while (offset < length && charCodeAt.call(key, offset) === charCodeAt.call(text, start + offset))
            offset += 1;
        else
          while (offset < length && charCodeAt.call(key, offset) === charAt(text, start + offset))
            offset += 1;
        if (offset === length) return counts[slot]!;
      }
      slot = (slot + 1) & mask;
    }
    return store(text, start, end, hash);
  };
  return {
    countHashed: lookup,
    count: (text, start, end) => {
      if (end - start > cacheablePieceLength) return countUncached(text, start, end);
      let hash = fnvOffset;
      if (end <= text.length)
        for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ charCodeAt.call(text, at), fnvPrime);
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
  // Letters outside the BMP (which take the regex) are left out: compiling that regex is ~15 ms
  // that only text holding such letters should pay.
  'emoji 😀🚀x and 👩‍👩‍👧 take the second pass',
];

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Where the ASCII tail after a text's last ASCII letter or digit starts, or -1 when the text has
 * no such letter or digit or the tail holds non-ASCII. In both encodings a piece holding a letter
 * or digit never takes in a following ASCII character that is neither (letter pieces add at most
 * a contraction, and that needs a letter), so pieces break there: the text's pieces before that
 * point are the same with or without the newline, and only the tail needs counting again.
 */
function tailStart(text: string): number {
  for (let at = text.length - 1; at >= 0; at -= 1) {
    const code = charCodeAt.call(text, at);
    if (code >= 128) return -1;
    if (isAsciiAlphanumeric(code)) return at + 1;
  }
  return -1;
}

/**
 * Counting by the encoding's own regular expression (encodings other than cl100k_base, and text
 * the hand-written scanner gives up on), with pieces' counts cached.
 */
function patternCounter(pattern: RegExp, countPiece: (piece: string) => number): (text: string) => number {
  const cache = new Map<string, number>();
  return (text) => {
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
}

function createCounter(encoding: TokenEncoding): TokenCounter {
  const file = loadRankFile(encoding);
  const ranks = loadRankTable(encoding, file.bpe_ranks);

  const countBytes = (bytes: string): number =>
    bytes.length === 1 || ranks.rank(bytes, 0, bytes.length) >= 0 ? 1 : mergeCount({ bytes, ranks });
  const countPiece = (piece: string): number =>
    countBytes(nonAscii.test(piece) ? Buffer.from(piece, 'utf8').toString('latin1') : piece);

  const countWithPattern = patternCounter(new RegExp(file.pat_str, 'gu'), countPiece);

  // The hand-written scanner knows cl100k_base's pattern only; other encodings use the regex.
  const pieceTable = encoding === 'cl100k_base' ? createPieceTable(countPiece) : undefined;
  // One scan object, refilled per call: counting is synchronous, and this is the hottest call.
  const scan = {
    withNewline: false,
    limit: Number.POSITIVE_INFINITY,
    symbols: false,
    from: 0,
    sumBefore: 0,
    resumeAt: 0,
    resumeSum: 0,
  };
  const count = (text: string, withNewline: boolean, limit = Number.POSITIVE_INFINITY): number => {
    if (pieceTable !== undefined) {
      scan.withNewline = withNewline;
      scan.limit = limit;
      scan.symbols = false;
      scan.from = 0;
      scan.sumBefore = 0;
      const fast = countPieces(text, scan, pieceTable);
      if (fast >= 0) return fast;
      // Emoji and other symbols outside the BMP: the scan goes on, still hand-written, from just
      // before the first one (text before it holds none, so the check starts there too).
      if (onlySymbolsOutsideBmp(text, scan.resumeAt)) {
        scan.symbols = true;
        scan.from = scan.resumeAt;
        scan.sumBefore = scan.resumeSum;
        return countPieces(text, scan, pieceTable);
      }
    }
    return countWithPattern(withNewline ? `${text}\n` : text);
  };

  // One text through every branch of the scanner, the cache and the merge before real text: V8
  // then optimizes the counter once, instead of compiling it again each time a document first
  // shows a branch (a non-ASCII letter, a whitespace run, a miss), which cost a cold 5 MB
  // document ~0.2 s. Counts are exact either way; only the piece cache holds a few more entries.
  // V8 collects type feedback only from a function's first few calls on, hence the rounds. Only
  // the first round misses the cache: new pieces in every round (a CJK one most of all) left the
  // optimized scanner 2.6x slower on hits, the common case (mixed document's lines: 43 ms with
  // misses in round one only, 114 ms with misses in every round).
  for (let round = 0; round < 8; round += 1) {
    for (const line of primer) {
      count(line, true);
      count(line, false);
    }
  }
  return {
    encoding,
    count: (text) => count(text, false),
    countLine: (text) => count(text, true),
    countLineUpTo: (text, limit) => count(text, true, limit),
    countWithoutNewline: (text, lineTokens) => {
      // Text that ends in non-ASCII (prose in other scripts, emoji) would be counted again in full
      // without the cl100k classes: a third of a multi-script document's counted characters.
      const start = pieceTable !== undefined ? cl100kTailStart(text) : tailStart(text);
      // After a letter or digit the newline is a piece of its own: one token in both encodings.
      if (start === text.length) return lineTokens - 1;
      if (start < 0) return count(text, false);
      const tail = text.slice(start);
      return lineTokens - count(tail, true) + count(tail, false);
    },
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

/** The shared counter of an encoding, built on first use (loading the ranks and priming: ~40 ms). */
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
