// Renders values into lines: a scalar as `key: value`, a container the first pass found small
// enough inline on one line, an array of scalars on one line or in index ranges. This runs once per
// leaf, so it avoids per-leaf allocations beyond the line itself.

import type { TokenCounter } from '@dynamic-embeddings/tokenizer';
import type { Budgets } from './budgets.js';
import { type ContentStats, emptyStats } from './content-stats.js';
import type { Scalar } from './document-tree.js';
import { isNaturalText, type KeywordIndex, leafScore, semanticKey } from './keyword-index.js';
import {
  type LeafOptions,
  type Line,
  type LineFactory,
  leafElements,
  makeLine,
  type RangeLineOptions,
  renderedLine,
  type StructuralLineOptions,
} from './line.js';
import { type InlineContext, renderInlineElement, renderScalar } from './render-value.js';
import { rangeLines, stringPartLines } from './split-lines.js';

export function createLineFactory(options: {
  budgets: Budgets;
  counter: TokenCounter;
  keywords: KeywordIndex;
}): LineFactory {
  return new ValueLineFactory(options);
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

class ValueLineFactory implements LineFactory {
  readonly budgets: Budgets;
  readonly counter: TokenCounter;
  readonly keywords: KeywordIndex;
  private readonly labelBudget: number;
  /** One scratch accumulator for scalar lines: its values are copied into the line. */
  private readonly scratch = emptyStats();

  constructor(options: { budgets: Budgets; counter: TokenCounter; keywords: KeywordIndex }) {
    this.budgets = options.budgets;
    this.counter = options.counter;
    this.keywords = options.keywords;
    this.labelBudget = Math.floor(options.budgets.line / 4);
  }

  lineTokens(text: string): number {
    return this.counter.countLine(text);
  }

  lineTokensUpTo(text: string): number {
    return this.counter.countLineUpTo(text, this.budgets.line);
  }

  structural(text: string, structural: StructuralLineOptions = {}): Line {
    return makeLine({
      text,
      tokens: this.lineTokens(text),
      stats: undefined,
      key: undefined,
      related: undefined,
      innerKeys: structural.keys,
      elementStart: -1,
      elementEnd: -1,
      stringPart: undefined,
      reference: structural.reference ?? -1,
    });
  }

  valueLines(value: unknown, leaf: LeafOptions, out: Line[]): void {
    if (typeof value === 'object' && value !== null) this.inlineLine(value, leaf, out);
    else this.scalarLine(value as Scalar, leaf, out);
  }

  rangeLines(range: RangeLineOptions, out: Line[]): void {
    rangeLines(this, range, out);
  }

  contentLine(text: string, stats: ContentStats, elements: readonly [number, number] | undefined): Line {
    return this.statsLine(text, this.lineTokens(text), stats, elements);
  }

  fittingContentLine(
    text: string,
    stats: ContentStats,
    elements: readonly [number, number],
  ): Line | undefined {
    const tokens = this.lineTokensUpTo(text);
    return tokens <= this.budgets.line ? this.statsLine(text, tokens, stats, elements) : undefined;
  }

  private statsLine(
    text: string,
    tokens: number,
    stats: ContentStats,
    elements: readonly [number, number] | undefined,
  ): Line {
    return makeLine({
      text,
      tokens,
      stats,
      key: undefined,
      related: undefined,
      innerKeys: undefined,
      elementStart: elements?.[0] ?? -1,
      elementEnd: elements?.[1] ?? -1,
      stringPart: undefined,
      reference: -1,
    });
  }

  private fitLabel(label: string): string {
    if (label.length * 3 <= this.labelBudget || this.counter.count(label) <= this.labelBudget) return label;
    let cut = Math.max(1, Math.floor(this.labelBudget / 3) - 1);
    const code = label.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    return `${label.slice(0, cut)}…`;
  }

  private scalarStats(value: Scalar, leaf: LeafOptions, rendered: string): ContentStats {
    const scratch = this.scratch;
    scratch.leaves = 1;
    scratch.numbers = typeof value === 'number' ? 1 : 0;
    scratch.meaning = leafScore(value, leaf.keyClass);
    scratch.naturalChars =
      typeof value === 'string' && (leaf.keyClass & semanticKey || isNaturalText(value)) ? value.length : 0;
    scratch.valueChars = value === null ? 0 : rendered.length;
    scratch.keys = leaf.key === undefined ? 0 : 1;
    scratch.arrays = 0;
    return scratch;
  }

  private scalarLine(value: Scalar, leaf: LeafOptions, out: Line[]): void {
    const label = this.fitLabel(leaf.label);
    const rendered = renderScalar(value);
    const text = `${label}: ${rendered}`;
    // A string too long for a line is split, so how far past the budget it goes does not matter.
    const tokens = typeof value === 'string' ? this.lineTokensUpTo(text) : this.lineTokens(text);
    if (tokens > this.budgets.line && typeof value === 'string') {
      stringPartLines(this, { value, leaf, label, stats: this.scalarStats(value, leaf, value) }, out);
      return;
    }
    const [elementStart, elementEnd] = leafElements(leaf);
    out.push(
      makeLine({
        text,
        tokens,
        stats: this.scalarStats(value, leaf, rendered),
        key: leaf.key,
        related: leaf.related,
        innerKeys: undefined,
        elementStart,
        elementEnd,
        stringPart: undefined,
        reference: -1,
      }),
    );
  }

  private inlineLine(value: object, leaf: LeafOptions, out: Line[]): void {
    const isScalarArray = Array.isArray(value) && value.length > 0 && !value.some(isContainer);
    const label = this.fitLabel(leaf.label);
    if (isScalarArray) {
      const range = {
        values: value,
        offset: 0,
        wholeLabel: label,
        rangePrefix: label,
        leaf,
        trackElements: false,
      };
      rangeLines(this, range, out);
      return;
    }
    const context: InlineContext = { keywords: this.keywords, stats: emptyStats(), keys: [] };
    if (leaf.key !== undefined) context.stats.keys = 1;
    let rendered: string;
    if (Array.isArray(value) && value.length > 0) {
      context.stats.arrays += 1;
      rendered = '';
      for (let index = 0; index < value.length; index += 1) {
        rendered += `${index === 0 ? '' : ', '}${renderInlineElement(value[index], leaf.keyClass, context)}`;
      }
    } else {
      rendered = renderInlineElement(value, leaf.keyClass, context);
    }
    const text = `${label}: ${rendered}`;
    out.push(renderedLine(text, this.lineTokens(text), context, leaf, leafElements(leaf)));
  }
}
