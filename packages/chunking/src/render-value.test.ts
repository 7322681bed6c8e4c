// `numberText` must print exactly what `String` prints for every number, since chunk text is
// compared byte for byte across versions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { emptyStats } from './content-stats.js';
import { keywordIndex } from './keyword-index.js';
import { countInline, type InlineContext, numberText, renderInlineElement } from './render-value.js';

fc.configureGlobal({ seed: 20_261_206 });

describe('numberText', () => {
  it('equals String(value) for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (value) => {
        expect(numberText(value)).toBe(String(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('equals String(value) for decimals of 1 to 7 places, as data holds them', () => {
    const decimal = fc
      .tuple(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), fc.integer({ min: 1, max: 7 }))
      .map(([units, places]) => units / 10 ** places);
    fc.assert(
      fc.property(decimal, (value) => {
        expect(numberText(value)).toBe(String(value));
      }),
      { numRuns: 50_000 },
    );
  });

  it('prints signs, zeros and edges as String does', () => {
    for (const value of [
      -0,
      0.1,
      -0.5,
      0.000001,
      0.0000015,
      1e-7,
      999_999_999.5,
      1e9 + 0.5,
      0.1 + 0.2,
      1e21,
    ]) {
      expect(numberText(value)).toBe(String(value));
    }
  });
});

describe('countInline', () => {
  const keywords = keywordIndex(resolveConfig('analytics'));
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
      ),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom('revenue', 'id', 'name', 'notes', 'x y', ''), tie('value'), {
        maxKeys: 4,
      }),
    ),
  })).value;

  it('counts what rendering again would count, in the same order, from the recorded lengths', () => {
    fc.assert(
      fc.property(
        fc.array(json, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 7 }),
        (values, keyClass) => {
          const lengths: number[] = [];
          const starts: number[] = [];
          const first: InlineContext = { keywords, stats: emptyStats(), keys: [], lengths };
          for (const value of values) {
            starts.push(lengths.length);
            renderInlineElement(value, keyClass, first);
          }
          // The elements after the first, counted again: once rendered, once from the lengths.
          const rendered: InlineContext = { keywords, stats: emptyStats(), keys: [] };
          const counted: InlineContext = { keywords, stats: emptyStats(), keys: [] };
          const recorded = { lengths, cursor: starts[1] ?? lengths.length };
          for (const value of values.slice(1)) {
            renderInlineElement(value, keyClass, rendered);
            countInline(value, keyClass, counted, recorded);
          }
          expect(counted.stats).toEqual(rendered.stats);
          expect(counted.keys).toEqual(rendered.keys);
          expect(recorded.cursor).toBe(lengths.length);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
