// cl100k_base's pre-tokenizer, written out by hand. The pattern
//   's|'t|'re|'ve|'m|'ll|'d (any case) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3}
//   | ' '?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// splits text into pieces that are byte-pair encoded independently. Run through the regex engine
// it allocates a match array and a string per piece, which made it most of the chunker's time;
// this scanner finds the same boundaries with no allocation, and the tests compare the two on
// random text. Outside the Basic Multilingual Plane the pattern sees one character where the
// text has a surrogate pair: when every such character is a symbol (emoji, the common case) the
// scanner reads its two halves as punctuation, which splits alike; text with a letter or digit
// there returns -1 so that the caller uses the regex.

import { bmpClassTable } from './unicode-classes.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(text, at)` in the hot loops. Read as
 * `text.charCodeAt`, the method is a property load whose feedback records the receiver's string
 * representation (flat or concatenated, one- or two-byte, sliced, internalized): chunk lines are
 * all of these, and once a load site has seen more than four, V8 compiles it as a megamorphic
 * lookup and a generic call per character. After the chunking bench's fixture documents, the
 * scanner then counted a mixed document's lines in ~116 ms instead of ~50 ms, every run. A call
 * through the function itself compiles to the character load whatever the string. Each module
 * keeps its own copy: V8 folds a module's own constant, not one imported from another.
 */
const charCodeAt = String.prototype.charCodeAt;

const letter = 1;
const digit = 2;
const space = 4;
const newline = 8;
const punctuation = 16;
const unsupported = 32;
/** A surrogate read as punctuation (`PieceScan.symbols`). */
const surrogate = 64;

/**
 * Counts the pieces of a text. `count` receives a piece `[start, end)` (end may be `text.length + 1`:
 * the virtual newline); `countHashed` receives a letter piece together with its FNV-1a hash, which
 * the scanner computes while it finds the piece's end, so the cache lookup reads the piece once.
 */
export interface PieceCounter {
  count(text: string, start: number, end: number): number;
  countHashed(text: string, start: number, end: number, hash: number): number;
}

/** FNV-1a over UTF-16 code units: the hash of the piece cache. */
export const fnvOffset = 0x811c9dc5 | 0;
export const fnvPrime = 0x01000193;

let classes: Uint8Array | undefined;
let symbolClasses: Uint8Array | undefined;

/**
 * Character classes of the pattern for every UTF-16 code unit, with the regex's own Unicode
 * properties; everything in none of them (surrogates aside) is punctuation.
 */
function characterClasses(): Uint8Array {
  if (classes !== undefined) return classes;
  const table = bmpClassTable([
    [/\p{L}/u, letter],
    [/\p{N}/u, digit],
    [/\s/u, space],
  ]);
  for (let code = 0; code < table.length; code += 1) if (table[code] === 0) table[code] = punctuation;
  table[10] = space | newline;
  table[13] = space | newline;
  table.fill(unsupported, 0xd800, 0xe000);
  classes = table;
  return table;
}

/** The same classes, with surrogates read as punctuation (text whose pairs are all symbols). */
function symbolPairClasses(): Uint8Array {
  if (symbolClasses !== undefined) return symbolClasses;
  const table = characterClasses().slice();
  table.fill(punctuation | surrogate, 0xd800, 0xe000);
  symbolClasses = table;
  return table;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
const letterOrNumber = /[\p{L}\p{N}]/u;
const astralLetterOrNumber = new Map<number, boolean>();

/**
 * Whether every character of `text` outside the Basic Multilingual Plane is neither a letter nor a
 * number (emoji, symbols); lone surrogates count as symbols too, as they do for the pattern.
 */
export function onlySymbolsOutsideBmp(text: string, from = 0): boolean {
  for (let at = from; at < text.length; at += 1) {
    const code = charCodeAt.call(text, at);
    if (!isHighSurrogate(code) || at + 1 >= text.length) continue;
    const low = charCodeAt.call(text, at + 1);
    if (!isLowSurrogate(low)) continue;
    const point = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
    let known = astralLetterOrNumber.get(point);
    if (known === undefined) {
      known = letterOrNumber.test(String.fromCodePoint(point));
      astralLetterOrNumber.set(point, known);
    }
    if (known) return false;
    at += 1;
  }
  return true;
}

/**
 * `tailStart` for cl100k_base: where the text after its last letter or digit (any script, by the
 * pattern's classes) starts, or -1 when it has none or the tail holds a letter or number outside
 * the BMP. Every cl100k piece holding a letter or digit ends with one (letter runs, contractions,
 * digit triples), and the next piece starts at the character after it with no look back, so the
 * pieces before that point are the same with or without a trailing newline.
 */
export function cl100kTailStart(text: string): number {
  const table = characterClasses();
  let surrogates = false;
  for (let at = text.length - 1; at >= 0; at -= 1) {
    const kind = table[charCodeAt.call(text, at)]!;
    if (kind & (letter | digit)) return surrogates && !onlySymbolsOutsideBmp(text, at + 1) ? -1 : at + 1;
    if (kind & unsupported) surrogates = true;
  }
  return -1;
}

const isContractionLetter = (code: number): boolean =>
  code === 115 ||
  code === 83 ||
  code === 116 ||
  code === 84 ||
  code === 109 ||
  code === 77 ||
  code === 100 ||
  code === 68;

function contractionEnd(text: string, at: number): number {
  if (at + 1 >= text.length) return -1;
  const first = charCodeAt.call(text, at + 1);
  if (isContractionLetter(first)) return at + 2;
  if (at + 2 >= text.length) return -1;
  const second = charCodeAt.call(text, at + 2) | 32;
  const lower = first | 32;
  if ((lower === 114 || lower === 118) && second === 101) return at + 3;
  if (lower === 108 && second === 108) return at + 3;
  return -1;
}

/** How `countPieces` reads its text. */
export interface PieceScan {
  /** Whether the text is followed by a (virtual) newline. */
  readonly withNewline: boolean;
  /** Stop as soon as the sum passes this: the caller only needs to know the text is too long. */
  readonly limit: number;
  /** The text's characters outside the BMP are all symbols (`onlySymbolsOutsideBmp`). */
  readonly symbols: boolean;
  /** Where the scan starts: a piece boundary (0, or the `resumeAt` of a scan that returned -1). */
  readonly from: number;
  /** The count of the pieces before `from`. */
  readonly sumBefore: number;
  /**
   * Set when the scan returns -1: a piece boundary before the surrogate and the count of the
   * pieces before it. The pieces before that boundary never read the surrogate's class as
   * punctuation (the one test where the two tables differ), so a scan with `symbols` can go on
   * from there instead of reading the whole text again.
   */
  resumeAt: number;
  resumeSum: number;
}

/**
 * Sums `countPiece` over the pieces of `text` from `from` on (followed by a newline when
 * `withNewline`) until the sum passes `limit`, or returns -1 (setting `resumeAt`) as soon as a
 * character outside the Basic Multilingual Plane shows up, unless `symbols` says they are all
 * symbols. Position `text.length` is the virtual newline: it can only extend a punctuation run's
 * line breaks or a whitespace run, or stand alone. Every loop stops at a surrogate, whose class matches nothing. One function on
 * purpose: this is the innermost loop of the chunker.
 */
export function countPieces(text: string, scan: PieceScan, counter: PieceCounter): number {
  const { withNewline, limit } = scan;
  const table = scan.symbols ? symbolPairClasses() : characterClasses();
  const length = text.length;
  let sum = scan.sumBefore;
  let at = scan.from;
  // The previous piece's start and the sum before it: only that piece can have read the surrogate.
  let pieceStart = at;
  let pieceSum = sum;
  while (at < length && sum <= limit) {
    const current = charCodeAt.call(text, at);
    const kind = table[current]!;
    if (kind & unsupported) {
      scan.resumeAt = pieceStart;
      scan.resumeSum = pieceSum;
      return -1;
    }
    pieceStart = at;
    pieceSum = sum;
    let end = at + 1;
    if (kind & digit) {
      // \p{N}{1,3}: every string of one to three ASCII digits is a single token.
      let ascii = current < 128;
      for (; end < length && end < at + 3; end += 1) {
        const code = charCodeAt.call(text, end);
        if (!(table[code]! & digit)) break;
        if (code >= 128) ascii = false;
      }
      sum += ascii ? 1 : counter.count(text, at, end);
      at = end;
      continue;
    }
    // A surrogate pair is one character of the pattern's, a symbol here (see `symbols`).
    if (
      kind & surrogate &&
      isHighSurrogate(current) &&
      end < length &&
      isLowSurrogate(charCodeAt.call(text, end))
    )
      end += 1;
    const contraction = current === 39 ? contractionEnd(text, at) : -1;
    if (contraction > 0) {
      end = contraction;
    } else if (
      kind & letter ||
      (!(kind & newline) && end < length && table[charCodeAt.call(text, end)]! & letter)
    ) {
      // A letter run, or one other character and a letter run: the most common piece by far.
      let hash = Math.imul(fnvOffset ^ current, fnvPrime);
      if (end > at + 1) hash = Math.imul(hash ^ charCodeAt.call(text, at + 1), fnvPrime);
      for (; end < length; end += 1) {
        const code = charCodeAt.call(text, end);
        if (!(table[code]! & letter)) break;
        hash = Math.imul(hash ^ code, fnvPrime);
      }
      sum += end - at === 1 && current < 128 ? 1 : counter.countHashed(text, at, end, hash);
      at = end;
      continue;
    } else if (
      kind & punctuation ||
      (current === 32 && end < length && table[charCodeAt.call(text, end)]! & punctuation)
    ) {
      if (!(kind & punctuation)) end += 1;
      while (end < length && table[charCodeAt.call(text, end)]! & punctuation) end += 1;
      while (end < length && table[charCodeAt.call(text, end)]! & newline) end += 1;
      if (end === length && withNewline) end = length + 1;
    } else {
      // A whitespace run: up to its last line break if it has one, else all but its last
      // character (which then prefixes the next piece) unless the text ends there.
      while (end < length && table[charCodeAt.call(text, end)]! & space) end += 1;
      if (end === length && withNewline) {
        end = length + 1;
      } else {
        let lastBreak = -1;
        for (let back = end - 1; back >= at && lastBreak < 0; back -= 1) {
          if (table[charCodeAt.call(text, back)]! & newline) lastBreak = back;
        }
        if (lastBreak >= 0) end = lastBreak + 1;
        else if (end < length && end - at > 1) end -= 1;
      }
    }
    // A single ASCII character is one token.
    sum += end - at === 1 && current < 128 ? 1 : counter.count(text, at, end);
    at = end;
  }
  // The virtual newline on its own, when no piece took it in.
  if (withNewline && at === length) sum += 1;
  return sum;
}
