// Text → normalized words for the local provider. Part of the hashing scheme: any change here
// changes vectors and must bump the local model version.

const combiningDiacritics = /[\u0300-\u036f]/g;
// `clickThroughRate` → `click Through Rate`, `HTMLParser` → `HTML Parser`: JSON keys carry words.
const acronymBoundary = /(\p{Lu})(\p{Lu}\p{Ll})/gu;
const camelBoundary = /([\p{Ll}\p{N}])(\p{Lu})/gu;
const wordPattern = /[\p{L}\p{N}]+/gu;

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
  const words =
    text
      .normalize('NFKD')
      .replace(combiningDiacritics, '')
      .replace(acronymBoundary, '$1 $2')
      .replace(camelBoundary, '$1 $2')
      .toLowerCase()
      .match(wordPattern) ?? [];
  return words.filter((word) => !stopWords.has(word));
}
