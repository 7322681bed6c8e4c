// lexicalWords is part of the local provider's hashing scheme: its scanners must split exactly as
// the regular expressions that define the scheme, or stored vectors stop matching new ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexicalWords } from './lexical-words.js';

fc.configureGlobal({ seed: 20_261_207 });

const stopWords = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were which with'.split(
    ' ',
  ),
);

/** The scheme as written in regular expressions (local-hash-v1). */
function reference(text: string): string[] {
  const words =
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
      .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => !stopWords.has(word));
}

// Pieces that exercise every class and boundary: capitals and small letters of several scripts,
// digits of several systems, letters and digits outside the BMP, lone surrogates, combining marks,
// characters whose lower case is longer (İ) or depends on context (Σ), stop words, punctuation.
const fragment = fc.constantFrom(
  'HTMLParser',
  'clickThroughRate',
  'ABc',
  'ABCd',
  'aBCDe',
  'AAAb',
  'aB',
  '1A',
  'XMLHttp2Request',
  'ΟΔΟΣ',
  'Σa',
  'aΣ.',
  'İstanbul',
  'ǅemal',
  'Ⅻ',
  '٣٤',
  '𝐀𝐁𝐜',
  '𝐚𝐁',
  '𝟙A',
  '😀A',
  '\ud800',
  '\udc00x',
  'é',
  'e\u0301',
  'ﬁ',
  '日本語',
  'مرحبا',
  'the',
  'And',
  ' ',
  '-',
  '_',
  "'",
  '\n',
  'ß',
  'ẞ',
);

const text = fc.oneof(
  fc.array(fragment, { maxLength: 12 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

describe('lexicalWords', () => {
  it('splits exactly as the regular expressions of the scheme', () => {
    fc.assert(
      fc.property(text, (sample) => {
        expect(lexicalWords(sample)).toEqual(reference(sample));
      }),
      { numRuns: 4000 },
    );
  });

  it('splits acronyms and camelCase, drops accents and stop words', () => {
    expect(lexicalWords('The HTMLParser of clickThroughRate in Café')).toEqual([
      'html',
      'parser',
      'click',
      'through',
      'rate',
      'cafe',
    ]);
    expect(lexicalWords('!!! —')).toEqual([]);
  });
});
