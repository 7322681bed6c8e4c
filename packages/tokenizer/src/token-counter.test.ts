// Token counts must equal js-tiktoken's, which is what `token_count` promises. The hand-written
// ASCII pre-tokenizer and the heap-based merge are checked against js-tiktoken on random text.
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { countTokens, tokenCounter } from './token-counter.js';

// A fixed seed keeps the suite deterministic; change it to explore other inputs.
fc.configureGlobal({ seed: 20_241_128 });

const references = { cl100k_base: new Tiktoken(cl100k), o200k_base: new Tiktoken(o200k) };
const reference = (text: string, encoding: keyof typeof references = 'cl100k_base'): number =>
  references[encoding].encode(text, [], []).length;

// Fragments that exercise every branch of the pre-tokenizer: contractions, letter runs with and
// without a leading space or punctuation, digit runs, punctuation runs with trailing newlines,
// whitespace runs with and without newlines, tabs and vertical tabs, and some non-ASCII.
const fragment = fc.constantFrom(
  'a',
  'Zebra',
  ' the',
  '  ',
  '   x',
  '\n',
  '\r\n',
  '\t',
  '\u000b',
  "'s",
  "'LL",
  "'re",
  "'Ve",
  "don't",
  '1',
  '23',
  '4567',
  '3.14',
  '.',
  ',',
  ': ',
  '{',
  '}]',
  '"',
  '\\',
  '!!\n',
  ' (',
  '-_-',
  '$',
  '/',
  '\n\n',
  ' \n ',
  'é',
  '日本',
  '😀',
  '🚀a',
  ' 🇳🇴',
  '👩‍👩‍👧',
  '𝐀b',
  '𝟙2',
  '\ud83d',
  '\ude80',
  'ñandú',
  '<|endoftext|>',
);
const text = fc.oneof(
  fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('countTokens', () => {
  it('equals js-tiktoken for cl100k_base, with and without a trailing newline', () => {
    const counter = tokenCounter('cl100k_base');
    fc.assert(
      fc.property(text, (sample) => {
        expect(counter.count(sample)).toBe(reference(sample));
        expect(counter.countLine(sample)).toBe(reference(`${sample}\n`));
      }),
      { numRuns: 3000 },
    );
  });

  it('equals js-tiktoken for o200k_base', () => {
    fc.assert(
      fc.property(text, (sample) => {
        expect(countTokens(sample, 'o200k_base')).toBe(reference(sample, 'o200k_base'));
      }),
      { numRuns: 1000 },
    );
  });

  it('counts a text from its line count exactly (countWithoutNewline), in both encodings', () => {
    const endings = fc.constantFrom(
      '',
      'a',
      'Z',
      '7',
      '.',
      ' ',
      '\t',
      'é',
      '😀',
      '\u0010',
      '\u0019',
      '_',
      "'",
      "x's.",
      '1.)',
      'a  ',
      'b:\n',
      '!?\r\n ',
      '...é',
      // Tails after a non-ASCII letter or digit (cl100kTailStart): symbols, emoji, astral letters.
      '日本!',
      'é 😀🇳🇴 ',
      '½…',
      'a𝐀.',
      'ж 𝟙',
      '\ud83d',
    );
    for (const encoding of ['cl100k_base', 'o200k_base'] as const) {
      const counter = tokenCounter(encoding);
      fc.assert(
        fc.property(text, endings, (sample, ending) => {
          const line = `${sample}${ending}`;
          expect(counter.countWithoutNewline(line, counter.countLine(line))).toBe(reference(line, encoding));
        }),
        { numRuns: 1500 },
      );
    }
  });

  it('counts a line exactly up to a limit and stops past it (countLineUpTo), in both encodings', () => {
    for (const encoding of ['cl100k_base', 'o200k_base'] as const) {
      const counter = tokenCounter(encoding);
      fc.assert(
        fc.property(text, fc.integer({ min: 0, max: 40 }), (sample, limit) => {
          const exact = reference(`${sample}\n`, encoding);
          const counted = counter.countLineUpTo(sample, limit);
          if (exact <= limit) expect(counted).toBe(exact);
          else expect(counted).toBeGreaterThan(limit);
        }),
        { numRuns: 1500 },
      );
    }
    // A long text is known to be too long after about `limit` tokens, not after all of them.
    const long = 'word '.repeat(20_000);
    expect(tokenCounter().countLineUpTo(long, 100)).toBeLessThan(200);
  });

  it('counts long single pieces (where the merge switches to a heap) exactly', () => {
    for (const sample of [
      'a'.repeat(700),
      'abcdefghij'.repeat(60),
      `${'=-'.repeat(200)}\n`,
      ' '.repeat(500),
    ]) {
      expect(countTokens(sample)).toBe(reference(sample));
    }
  });

  it('treats special-token text as ordinary text instead of failing', () => {
    expect(countTokens('<|endoftext|> done')).toBe(reference('<|endoftext|> done'));
    expect(countTokens('<|endoftext|> done')).toBeGreaterThan(3);
  });

  it('sums per line exactly when lines do not start with whitespace', () => {
    const lines = [
      'name: Spring Sale',
      '[targeting.geographic]',
      'countries: Norway, Sweden',
      'ctr: 0.0254',
      'notes: done.',
    ];
    const counter = tokenCounter();
    const joined = lines.join('\n');
    const summed =
      lines.slice(0, -1).reduce((sum, line) => sum + counter.countLine(line), 0) +
      counter.count(lines.at(-1)!);
    expect(summed).toBe(reference(joined));
  });

  it('rejects an unknown encoding with INVALID_ENCODING', () => {
    expect(() => countTokens('x', 'p50k_base' as 'cl100k_base')).toThrowError(
      expect.objectContaining({ code: 'INVALID_ENCODING', kind: 'validation' }),
    );
  });
});
