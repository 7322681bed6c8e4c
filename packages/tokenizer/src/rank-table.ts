// An encoding's vocabulary (token bytes → rank) as one open-addressing hash table over typed
// arrays. A Map of 100,000–200,000 latin1 strings made loading the ranks most of a fresh process's
// first count (~65 ms of parsing plus the garbage collection of its strings), and every merge step
// sliced a string to look a pair up; here the base64 file decodes straight into one byte pool and a
// lookup reads the span of the piece in place.

/** Token bytes → rank, read from a latin1 string (one char per byte) without slicing it. */
export interface RankTable {
  /** Rank of the bytes `bytes.slice(start, end)`, or -1 when they are not a token. */
  rank(bytes: string, start: number, end: number): number;
  /** Byte length of the longest token: longer spans cannot have a rank. */
  readonly longestToken: number;
}

import { createHash } from 'node:crypto';

const fnvOffset = 0x811c9dc5 | 0;
const fnvPrime = 0x01000193;

const base64Digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const base64Values = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 64; digit += 1) base64Values[base64Digits.charCodeAt(digit)] = digit;

/** Fields of the base64 file: an upper bound on its tokens and their bytes, found in one pass. */
function fieldBounds(text: string): { tokens: number; bytes: number } {
  let spaces = 0;
  for (let at = text.indexOf(' '); at >= 0; at = text.indexOf(' ', at + 1)) spaces += 1;
  return { tokens: spaces, bytes: Math.ceil((text.length * 3) / 4) };
}

/** A table's arrays; token `i` is `pool[starts[i]..starts[i + 1])`. */
interface TableParts {
  readonly pool: Uint8Array;
  readonly starts: Int32Array;
  readonly ranks: Int32Array;
  /** Token index + 1 per slot, 0 when empty; a power of two long. */
  readonly slots: Int32Array;
  /** The hash of each slot's token. */
  readonly hashes: Int32Array;
  readonly tokens: number;
  readonly longestToken: number;
}

/** The table: filled by `fill` (see `parseRankTable`), or over arrays read back by `rankTableFromBytes`. */
class TokenTable implements RankTable {
  longestToken: number;
  private readonly pool: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ranks: Int32Array;
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  private tokens: number;
  private poolEnd: number;

  constructor(parts: TableParts) {
    this.pool = parts.pool;
    this.starts = parts.starts;
    this.ranks = parts.ranks;
    this.slots = parts.slots;
    this.hashes = parts.hashes;
    this.mask = parts.slots.length - 1;
    this.tokens = parts.tokens;
    this.poolEnd = parts.starts[parts.tokens]!;
    this.longestToken = parts.longestToken;
  }

  /** An empty table with room for the fields of `text` (js-tiktoken's rank format). */
  static forText(text: string): TokenTable {
    const bounds = fieldBounds(text);
    let size = 1;
    while (size < bounds.tokens * 2) size *= 2;
    return new TokenTable({
      pool: new Uint8Array(bounds.bytes),
      starts: new Int32Array(bounds.tokens + 1),
      ranks: new Int32Array(bounds.tokens),
      slots: new Int32Array(size),
      hashes: new Int32Array(size),
      tokens: 0,
      longestToken: 1,
    });
  }

  /** The filled part of the arrays. */
  parts(): TableParts {
    const tokens = this.tokens;
    return {
      pool: this.pool.subarray(0, this.poolEnd),
      starts: this.starts.subarray(0, tokens + 1),
      ranks: this.ranks.subarray(0, tokens),
      slots: this.slots,
      hashes: this.hashes,
      tokens,
      longestToken: this.longestToken,
    };
  }

  /** Adds the tokens of `text`, lines of `<tag> <first rank> <base64 token> …`; returns this. */
  fill(text: string): TokenTable {
    for (let lineStart = 0; lineStart < text.length; ) {
      const newline = text.indexOf('\n', lineStart);
      const lineEnd = newline < 0 ? text.length : newline;
      const tagEnd = text.indexOf(' ', lineStart);
      if (tagEnd >= 0 && tagEnd < lineEnd) {
        const rankEnd = text.indexOf(' ', tagEnd + 1);
        const fieldsStart = rankEnd < 0 || rankEnd > lineEnd ? lineEnd : rankEnd;
        const rank = Number.parseInt(text.slice(tagEnd + 1, fieldsStart), 10);
        if (fieldsStart < lineEnd) this.addFields({ text, from: fieldsStart + 1, to: lineEnd, rank });
      }
      lineStart = lineEnd + 1;
    }
    return this;
  }

  rank(bytes: string, start: number, end: number): number {
    const length = end - start;
    if (length > this.longestToken) return -1;
    let hash = fnvOffset;
    for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ bytes.charCodeAt(at), fnvPrime);
    const { pool, starts, slots, hashes, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      if (hashes[slot] !== hash) continue;
      const tokenStart = starts[entry - 1]!;
      if (starts[entry]! - tokenStart !== length) continue;
      let offset = 0;
      while (offset < length && pool[tokenStart + offset] === bytes.charCodeAt(start + offset)) offset += 1;
      if (offset === length) return this.ranks[entry - 1]!;
    }
  }

  /**
   * Adds the space-separated base64 fields of `text[from..to)` (padding ignored), ranked from
   * `rank` on. One loop over the characters, no call per character: in a fresh process this runs
   * before V8 optimizes anything, and the file holds ~100,000 fields.
   */
  private addFields(options: { text: string; from: number; to: number; rank: number }): void {
    const { text, to } = options;
    const pool = this.pool;
    let rank = options.rank;
    let hash = fnvOffset;
    let bits = 0;
    let buffer = 0;
    let padded = false;
    for (let at = options.from; at <= to; at += 1) {
      const code = at < to ? text.charCodeAt(at) : 32;
      if (code === 32) {
        this.insert(rank, hash);
        rank += 1;
        hash = fnvOffset;
        bits = 0;
        buffer = 0;
        padded = false;
        continue;
      }
      const value = code < 128 ? base64Values[code]! : -1;
      if (value < 0) padded = true;
      if (padded) continue;
      buffer = ((buffer << 6) | value) & 0xffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        const byte = (buffer >> bits) & 0xff;
        pool[this.poolEnd++] = byte;
        hash = Math.imul(hash ^ byte, fnvPrime);
      }
    }
  }

  /** Adds the token just decoded to `pool[starts[tokens]..poolEnd)`, whose bytes hash to `hash`. */
  private insert(rank: number, hash: number): void {
    const { pool, starts, slots, hashes, mask } = this;
    const start = starts[this.tokens]!;
    const length = this.poolEnd - start;
    let slot = hash & mask;
    for (let entry = slots[slot]!; entry !== 0; entry = slots[slot]!) {
      const other = starts[entry - 1]!;
      if (hashes[slot] === hash && starts[entry]! - other === length) {
        let offset = 0;
        while (offset < length && pool[other + offset] === pool[start + offset]) offset += 1;
        if (offset === length) {
          this.ranks[entry - 1] = rank;
          this.poolEnd = start;
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    slots[slot] = this.tokens + 1;
    hashes[slot] = hash;
    this.ranks[this.tokens] = rank;
    this.tokens += 1;
    starts[this.tokens] = this.poolEnd;
    if (length > this.longestToken) this.longestToken = length;
  }
}

/**
 * Parses js-tiktoken's rank format: lines of `<tag> <first rank> <base64 token> <base64 token> …`,
 * ranks consecutive within a line. A token listed twice keeps its last rank, as a Map would.
 */
export function parseRankTable(text: string): RankTable {
  return TokenTable.forText(text).fill(text);
}

// The parsed table as bytes, written beside the built code (see `write-rank-files.ts`): a fresh
// process reads them in place instead of decoding ~1 MB of base64, which took ~35 ms while V8 still
// interprets. The source's length and SHA-1 are kept so that a file written from another
// js-tiktoken version is never used. Words are in the platform's byte order; a file from a machine
// of the other order fails the magic check and the text is parsed instead.
const magic = 0x4b4e4152;
const format = 1;
const headerWords = 12;
const digestAt = 7;

function sourceDigest(source: string): Int32Array {
  const digest = createHash('sha1').update(source, 'latin1').digest();
  return new Int32Array(digest.buffer.slice(digest.byteOffset, digest.byteOffset + 20));
}

/** `parseRankTable(source)` as bytes that `rankTableFromBytes` reads back. */
export function rankTableBytes(source: string): Uint8Array {
  const parts = TokenTable.forText(source).fill(source).parts();
  const header = new Int32Array(headerWords);
  header.set([
    magic,
    format,
    parts.tokens,
    parts.pool.length,
    parts.slots.length,
    parts.longestToken,
    source.length,
  ]);
  header.set(sourceDigest(source), digestAt);
  const sections = [header, parts.starts, parts.ranks, parts.slots, parts.hashes];
  const words = sections.reduce((total, section) => total + section.length, 0);
  const bytes = new Uint8Array(words * 4 + parts.pool.length);
  const view = new Int32Array(bytes.buffer, 0, words);
  let at = 0;
  for (const section of sections) {
    view.set(section, at);
    at += section.length;
  }
  bytes.set(parts.pool, words * 4);
  return bytes;
}

/**
 * The table that `rankTableBytes(source)` wrote, its arrays viewing `bytes` in place; undefined
 * when the bytes are not such a table or were written from another source.
 */
export function rankTableFromBytes(bytes: Uint8Array, source: string): RankTable | undefined {
  if (bytes.byteLength < headerWords * 4) return undefined;
  // Int32Array views need 4-byte alignment, which a buffer from Node's shared pool may lack.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const header = new Int32Array(aligned.buffer, aligned.byteOffset, headerWords);
  const [fileMagic, fileFormat, tokens = 0, poolBytes = 0, slotCount = 0, longestToken = 0, length] = header;
  if (fileMagic !== magic || fileFormat !== format || length !== source.length) return undefined;
  if (slotCount < 1 || (slotCount & (slotCount - 1)) !== 0) return undefined;
  const words = headerWords + 2 * tokens + 1 + 2 * slotCount;
  if (aligned.byteLength !== words * 4 + poolBytes) return undefined;
  const digest = sourceDigest(source);
  if (digest.some((word, index) => header[digestAt + index] !== word)) return undefined;
  let at = aligned.byteOffset + headerWords * 4;
  const next = (count: number): Int32Array => {
    const section = new Int32Array(aligned.buffer, at, count);
    at += count * 4;
    return section;
  };
  const starts = next(tokens + 1);
  const ranks = next(tokens);
  const slots = next(slotCount);
  const hashes = next(slotCount);
  const pool = new Uint8Array(aligned.buffer, at, poolBytes);
  return new TokenTable({ pool, starts, ranks, slots, hashes, tokens, longestToken });
}
