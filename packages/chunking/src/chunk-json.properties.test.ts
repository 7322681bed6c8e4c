// The guarantees, checked on random JSON for every strategy: nothing is lost, text is not
// duplicated beyond the bound, output is deterministic, input is never written, and every column is
// filled within its limits (token counts agree with js-tiktoken).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkJson } from './chunk-json.js';
import {
  columnProblems,
  compactJsonLength,
  contentLength,
  frozenCopy,
  missingLeaves,
} from './testing/support.js';
import { strategyNames } from './types.js';

// A fixed seed keeps the suite deterministic; change it to explore other inputs.
fc.configureGlobal({ seed: 20_241_128 });

// Keys and strings from a small alphabet (so related keys and long repeats happen), plus the
// awkward characters: quotes, brackets, dots, newlines, spaces, emoji, `: `.
const awkward = fc.constantFrom(
  'a',
  'b',
  'id',
  'x',
  ' ',
  '.',
  '[',
  '"',
  ': ',
  '\n',
  '#',
  '%',
  '/',
  'é',
  '😀',
  '$',
  '0',
);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.array(awkward, { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.lorem({ maxCount: 60 }) },
);
const key = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('id', 'name', 'ctr', 'ctr_reasoning', 'period1', 'period2', 'value', 'items'),
  },
  { weight: 2, arbitrary: text },
);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 25 }),
    fc.dictionary(key, tie('json'), { maxKeys: 12 }),
  ),
}));

describe.each(strategyNames)('chunkJson with strategy %s on random JSON', (strategy) => {
  it('keeps every leaf, bounds duplication and token counts, fills every column', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(128, 512), (input, maxTokens) => {
        const result = chunkJson(input, { documentId: 'doc', strategy, maxTokens });
        expect(missingLeaves(input, result.chunks)).toEqual([]);
        expect(contentLength(result.chunks)).toBeLessThanOrEqual(1.6 * compactJsonLength(input));
        expect(columnProblems(result, { maxTokens })).toEqual([]);
        expect(result.chunks.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic and never writes to its input', () => {
    fc.assert(
      fc.property(json, (input) => {
        const frozen = frozenCopy(input);
        const first = chunkJson(frozen, { documentId: 'doc', strategy, maxTokens: 128 });
        const second = chunkJson(structuredClone(input), { documentId: 'doc', strategy, maxTokens: 128 });
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
        expect(frozen).toEqual(input);
      }),
      { numRuns: 30 },
    );
  });
});
