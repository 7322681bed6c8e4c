import { tokenCounter } from '@dynamic-embeddings/tokenizer';
import { describe, expect, it } from 'vitest';
import { budgetsFor } from './budgets.js';
import { resolveConfig } from './config.js';
import { emptyStats } from './content-stats.js';
import { keywordIndex } from './keyword-index.js';
import { createLineFactory } from './line-factory.js';
import { referenceTokens } from './testing/support.js';

const config = resolveConfig('default');
const budgets = budgetsFor(512, config.thresholds.inlineChars);
const factory = createLineFactory({ budgets, counter: tokenCounter(), keywords: keywordIndex(config) });

describe('line factory: lines that must fit the line budget', () => {
  it('gives a fitting line its exact token count, the same as a content line', () => {
    const text = '3: 2024-01-05 | Ærøskøbing café | 12.5 | 0.0345 | 😀 done';
    const line = factory.fittingContentLine(text, emptyStats(), [3, 4]);
    expect(line?.tokens).toBe(referenceTokens(`${text}\n`));
    expect(line).toEqual(factory.contentLine(text, emptyStats(), [3, 4]));
  });

  it('drops a line over the budget, and counts it only past the budget', () => {
    const text = `7: ${'lorem ipsum dolor sit amet '.repeat(400)}`;
    expect(factory.fittingContentLine(text, emptyStats(), [7, 8])).toBeUndefined();
    const partial = factory.lineTokensUpTo(text);
    expect(partial).toBeGreaterThan(budgets.line);
    expect(partial).toBeLessThan(factory.lineTokens(text));
  });
});
