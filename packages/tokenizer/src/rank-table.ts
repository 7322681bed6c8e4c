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

/** The table's arrays, filled by `parseRankTable`; token `i` is `pool[starts[i]..starts[i + 1])`. */
class TokenTable implements RankTable {
  longestToken = 1;
  private readonly pool: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ranks: Int32Array;
  /** Token index + 1 per slot; 0 is empty. */
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  private tokens = 0;
  private poolEnd = 0;

  constructor(bounds: { tokens: number; bytes: number }) {
    this.pool = new Uint8Array(bounds.bytes);
    this.starts = new Int32Array(bounds.tokens + 1);
    this.ranks = new Int32Array(bounds.tokens);
    let size = 1;
    while (size < bounds.tokens * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
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
  addFields(options: { text: string; from: number; to: number; rank: number }): void {
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
  const table = new TokenTable(fieldBounds(text));
  for (let lineStart = 0; lineStart < text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const tagEnd = text.indexOf(' ', lineStart);
    if (tagEnd >= 0 && tagEnd < lineEnd) {
      const rankEnd = text.indexOf(' ', tagEnd + 1);
      const fieldsStart = rankEnd < 0 || rankEnd > lineEnd ? lineEnd : rankEnd;
      const rank = Number.parseInt(text.slice(tagEnd + 1, fieldsStart), 10);
      if (fieldsStart < lineEnd) table.addFields({ text, from: fieldsStart + 1, to: lineEnd, rank });
    }
    lineStart = lineEnd + 1;
  }
  return table;
}
