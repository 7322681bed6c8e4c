// FNV-1a (32-bit) over UTF-8 bytes, fed incrementally so feature hashes need no string building.
// Written out here because the local provider's vectors must be identical on every machine and in
// every future release of a given model version; a dependency could change under us.

// Called as `charCodeAt.call(text, at)`: `text.charCodeAt` is a property load that V8 compiles as a
// megamorphic lookup once it has seen strings of many representations (see the tokenizer's
// cl100k-pieces.ts, where that doubled the counting time).
const charCodeAt = String.prototype.charCodeAt;
const codePointAt = String.prototype.codePointAt;

export const fnvOffsetBasis = 0x811c9dc5;
const fnvPrime = 0x01000193;

export function fnv1aByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, fnvPrime) >>> 0;
}

/** Continues `hash` with the UTF-8 encoding of one Unicode code point. */
export function fnv1aCodePoint(hash: number, codePoint: number): number {
  if (codePoint < 0x80) return fnv1aByte(hash, codePoint);
  if (codePoint < 0x800) {
    return fnv1aByte(fnv1aByte(hash, 0xc0 | (codePoint >> 6)), 0x80 | (codePoint & 0x3f));
  }
  if (codePoint < 0x10000) {
    const first = fnv1aByte(hash, 0xe0 | (codePoint >> 12));
    return fnv1aByte(fnv1aByte(first, 0x80 | ((codePoint >> 6) & 0x3f)), 0x80 | (codePoint & 0x3f));
  }
  const first = fnv1aByte(fnv1aByte(hash, 0xf0 | (codePoint >> 18)), 0x80 | ((codePoint >> 12) & 0x3f));
  return fnv1aByte(fnv1aByte(first, 0x80 | ((codePoint >> 6) & 0x3f)), 0x80 | (codePoint & 0x3f));
}

/** Continues `hash` with the UTF-8 bytes of `text` (lone surrogates hash as U+FFFD would encode). */
export function fnv1aString(hash: number, text: string): number {
  let result = hash;
  for (let position = 0; position < text.length; position++) {
    let codePoint = charCodeAt.call(text, position);
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      codePoint = codePointAt.call(text, position) ?? 0xfffd;
      if (codePoint > 0xffff) position++;
      else codePoint = 0xfffd;
    }
    result = fnv1aCodePoint(result, codePoint);
  }
  return result;
}

/** MurmurHash3's 32-bit finalizer: spreads FNV's weak low bits before they pick a dimension. */
export function mix32(hash: number): number {
  let result = hash ^ (hash >>> 16);
  result = Math.imul(result, 0x85ebca6b);
  result ^= result >>> 13;
  result = Math.imul(result, 0xc2b2ae35);
  return (result ^ (result >>> 16)) >>> 0;
}
