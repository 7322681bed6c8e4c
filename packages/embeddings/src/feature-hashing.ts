// The local provider's vectorizer: signed feature hashing of words, word bigrams and character
// n-grams, each with sublinear term frequency, combined and L2-normalised. See README for the scheme.
import { FeatureCounts } from './feature-counts.js';
import { fnv1aByte, fnv1aCodePoint, fnv1aString, fnvOffsetBasis, mix32 } from './fnv1a.js';
import { lexicalWords } from './lexical-words.js';

/** Version of the scheme below; part of the model name so stored vectors reveal what made them. */
export const featureHashingVersion = 1;

// Called as `codePointAt.call(word, at)`, for the reason given in fnv1a.ts.
const codePointAt = String.prototype.codePointAt;
const minimumNgram = 3;
const maximumNgram = 5;
// Relative weight of each feature family in the final vector. Words carry meaning, n-grams catch
// plurals, inflections and compounds (banner/banners, click-through/clickthrough), bigrams phrases.
const wordWeight = 1;
const bigramWeight = 0.5;
const ngramWeight = 0.8;

// Each family hashes its features behind its own prefix (`w:`, `b:`, `c:`), so equal strings in
// different families land on unrelated dimensions.
const wordSeed = fnv1aString(fnvOffsetBasis, 'w:');
const bigramSeed = fnv1aString(fnvOffsetBasis, 'b:');
const ngramSeed = fnv1aString(fnvOffsetBasis, 'c:');
const fallbackSeed = fnv1aString(fnvOffsetBasis, 'x:');
const space = 0x20;
const wordStart = 0x3c; // '<'
const wordEnd = 0x3e; // '>'

// Scratch space reused by every call: hashEmbed is synchronous, so calls never interleave.
const words = new FeatureCounts();
const bigrams = new FeatureCounts();
const ngrams = new FeatureCounts();
let codePoints = new Int32Array(64);
// One family's vector and the running sum, resized when the dimensions change.
let family = new Float64Array(0);
let sum = new Float64Array(0);

/** Character n-grams of `<word>`, so prefixes and suffixes are features of their own. */
function addNgrams(word: string, features: FeatureCounts): void {
  // Code points of `<word>`; a word has at most one per UTF-16 unit, plus the two marks.
  if (codePoints.length < word.length + 2) codePoints = new Int32Array(word.length * 2 + 2);
  let length = 0;
  codePoints[length++] = wordStart;
  for (let position = 0; position < word.length; position++) {
    const codePoint = codePointAt.call(word, position) ?? 0;
    if (codePoint > 0xffff) position++;
    codePoints[length++] = codePoint;
  }
  codePoints[length++] = wordEnd;
  for (let start = 0; start + minimumNgram <= length; start++) {
    let hash = ngramSeed;
    const end = Math.min(start + maximumNgram, length);
    for (let position = start; position < end; position++) {
      hash = fnv1aCodePoint(hash, codePoints[position] ?? 0);
      if (position - start + 1 >= minimumNgram) features.add(hash);
    }
  }
}

/** Adds one feature family, with weight 1 + ln(count) per distinct feature, normalised to length `weight`. */
function addFamily(target: Float64Array, features: FeatureCounts, weight: number): void {
  if (features.size === 0) return;
  family.fill(0);
  features.forEach((hash, count) => {
    const mixed = mix32(hash);
    const dimension = (mixed & 0x7fffffff) % family.length;
    const magnitude = count === 1 ? 1 : 1 + Math.log(count);
    family[dimension] = (family[dimension] ?? 0) + (mixed & 0x80000000 ? -magnitude : magnitude);
  });
  let squares = 0;
  for (let dimension = 0; dimension < family.length; dimension++) {
    const value = family[dimension] ?? 0;
    squares += value * value;
  }
  if (squares === 0) return;
  const scale = weight / Math.sqrt(squares);
  for (let dimension = 0; dimension < target.length; dimension++) {
    target[dimension] = (target[dimension] ?? 0) + (family[dimension] ?? 0) * scale;
  }
}

/** A unit-length vector of `dimensions` for any non-empty text; the same text always gives the same bits. */
export function hashEmbed(text: string, dimensions: number): Float32Array {
  words.clear();
  bigrams.clear();
  ngrams.clear();
  let previous: number | undefined;
  for (const word of lexicalWords(text)) {
    words.add(fnv1aString(wordSeed, word));
    if (previous !== undefined) bigrams.add(fnv1aString(fnv1aByte(previous, space), word));
    previous = fnv1aString(bigramSeed, word);
    addNgrams(word, ngrams);
  }
  // Text without a single letter or digit ("!!!", "—") still deserves a stable unit vector.
  if (words.size === 0) words.add(fnv1aString(fallbackSeed, text));

  if (sum.length !== dimensions) {
    sum = new Float64Array(dimensions);
    family = new Float64Array(dimensions);
  }
  sum.fill(0);
  addFamily(sum, words, wordWeight);
  addFamily(sum, bigrams, bigramWeight);
  addFamily(sum, ngrams, ngramWeight);
  let squares = 0;
  for (let dimension = 0; dimension < dimensions; dimension++) {
    const value = sum[dimension] ?? 0;
    squares += value * value;
  }
  const vector = new Float32Array(dimensions);
  // Signed features can cancel each other out completely, in practice only in a tiny space.
  if (squares === 0) {
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(squares);
  for (let dimension = 0; dimension < dimensions; dimension++)
    vector[dimension] = (sum[dimension] ?? 0) * scale;
  return vector;
}
