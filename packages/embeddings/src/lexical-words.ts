// Text → normalized words for the local provider. Part of the hashing scheme: any change here
// changes vectors and must bump the local model version.

import { bmpClassTable } from '@dynamic-embeddings/tokenizer';

const combiningDiacritics = /[\u0300-\u036f]/g;

// The scheme, as regular expressions (the tests check the scanners below against them):
//   acronyms  /(\p{Lu})(\p{Lu}\p{Ll})/gu → '$1 $2'   `HTMLParser` → `HTML Parser`
//   camelCase /([\p{Ll}\p{N}])(\p{Lu})/gu → '$1 $2'  `clickThroughRate` → `click Through Rate`
//   words     /[\p{L}\p{N}]+/gu, after lower-casing the whole text
// JSON keys carry words. Run as regular expressions these were a third of the local provider's
// time (Unicode property classes are slow to match in V8's engine: ~230 ms for 4.7 M characters of
// chunk text); the scanners read a table of the classes instead, with the same results.
const upper = 1;
const lower = 2;
const number = 4;
const letterOrNumber = 8;

let bmpClasses: Uint8Array | undefined;
const astralClasses = new Map<number, number>();
// Called as `charCodeAt.call(text, at)`, for the reason given in fnv1a.ts.
const charCodeAt = String.prototype.charCodeAt;

/** The classes, each a pattern of one code point: for the BMP table and for code points past it. */
const classPatterns: readonly (readonly [RegExp, number])[] = [
  [/\p{Lu}/u, upper],
  [/\p{Ll}/u, lower],
  [/\p{N}/u, number],
  [/[\p{L}\p{N}]/u, letterOrNumber],
];

/** The classes of every BMP code point. */
function classTable(): Uint8Array {
  bmpClasses ??= bmpClassTable(classPatterns);
  return bmpClasses;
}

function astralClass(codePoint: number): number {
  let kind = astralClasses.get(codePoint);
  if (kind === undefined) {
    const character = String.fromCodePoint(codePoint);
    kind = 0;
    for (const [pattern, bit] of classPatterns) if (pattern.test(character)) kind |= bit;
    astralClasses.set(codePoint, kind);
  }
  return kind;
}

/** Set in `pointAt`'s result for a surrogate pair: a code point of two units. */
const pair = 16;

/**
 * The classes of the code point at `at`, as the `u` flag reads it (a valid surrogate pair is one
 * code point, marked `pair`; a lone surrogate is one of its own, in no class).
 */
function pointAt(text: string, at: number, table: Uint8Array): number {
  const code = charCodeAt.call(text, at);
  if (code < 0xd800 || code > 0xdbff || at + 1 >= text.length) return table[code]!;
  const low = charCodeAt.call(text, at + 1);
  if (low < 0xdc00 || low > 0xdfff) return table[code]!;
  return astralClass((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000) | pair;
}

/**
 * The two boundary replaces in one pass: `text.replace(acronyms, '$1 $2').replace(camelCase,
 * '$1 $2')`. An acronym boundary falls between two capitals and a camelCase one after a small
 * letter or digit, so neither replace's spaces can make or break a match of the other; and no
 * match of either pattern can overlap another of the same pattern (a match's second code point
 * cannot start one), so each is found at every place it fits. Text with no boundary is returned
 * as it is.
 */
function splitBoundaries(text: string, table: Uint8Array): string {
  const length = text.length;
  let pieces: string[] | undefined;
  let copied = 0;
  let at = 0;
  let kind = length > 0 ? pointAt(text, 0, table) : 0;
  while (at < length) {
    const next = at + (kind & pair ? 2 : 1);
    const nextKind = next < length ? pointAt(text, next, table) : 0;
    let boundary = false;
    if (nextKind & upper) {
      if (kind & upper) {
        const third = next + (nextKind & pair ? 2 : 1);
        boundary = third < length && (pointAt(text, third, table) & lower) !== 0;
      } else {
        boundary = (kind & (lower | number)) !== 0;
      }
    }
    if (boundary) {
      pieces ??= [];
      pieces.push(text.slice(copied, next), ' ');
      copied = next;
    }
    at = next;
    kind = nextKind;
  }
  if (pieces === undefined) return text;
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** `text.match(/[\p{L}\p{N}]+/gu)`, English stop words left out. */
function words(text: string, table: Uint8Array): string[] {
  const found: string[] = [];
  const length = text.length;
  let start = -1;
  let at = 0;
  // One step past the end, read as no class: it ends a word running to the end of the text.
  while (at <= length) {
    const kind = at < length ? pointAt(text, at, table) : 0;
    if (kind & letterOrNumber) {
      if (start < 0) start = at;
    } else if (start >= 0) {
      const word = text.slice(start, at);
      if (!stopWords.has(word)) found.push(word);
      start = -1;
    }
    at += kind & pair ? 2 : 1;
  }
  return found;
}

// Function words only add noise to a lexical vector; without corpus statistics (no IDF) a short
// English list is the cheap substitute. Other languages keep all their words.
const stopWords = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'has',
  'have',
  'in',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'that',
  'the',
  'this',
  'to',
  'was',
  'were',
  'which',
  'with',
]);

/**
 * Lower-cased words without accents (é → e), split at camelCase and at anything that is not a
 * letter or digit, English stop words removed.
 */
export function lexicalWords(text: string): string[] {
  const table = classTable();
  const plain = text.normalize('NFKD').replace(combiningDiacritics, '');
  const split = splitBoundaries(plain, table);
  return words(split.toLowerCase(), table);
}
