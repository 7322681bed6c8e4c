// `numberText` must print exactly what `String` prints for every number, since chunk text is
// compared byte for byte across versions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberText } from './render-value.js';

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
