// Content lines: `key: value` text with its exact token count and the statistics of the leaves it
// holds. Lines are built here and only here, so that every line has the same shape; the line
// factory (line-factory.ts) renders values into them, and what is too long for one line is split
// (split-lines.ts), never dropped.

import type { TokenCounter } from '@dynamic-embeddings/tokenizer';
import type { Budgets } from './budgets.js';
import type { ContentStats } from './content-stats.js';
import type { PathSegment } from './json-path.js';
import type { KeywordIndex } from './keyword-index.js';
import type { InlineContext } from './render-value.js';

/** Where a line's text is one part of a long string leaf. */
export interface StringPart {
  /** JSONPath of the string leaf. */
  readonly path: string;
  /** 1-based part number. */
  readonly part: number;
  readonly parts: number;
  /** The part is `value.slice(start, end)` (UTF-16 offsets). */
  readonly start: number;
  readonly end: number;
}

/** One line of chunk text and what it holds; the statistics are zero for structural lines. */
export interface Line extends Readonly<ContentStats> {
  readonly text: string;
  /** Tokens of `text + '\n'`: exact inside a chunk because no line starts with whitespace. */
  readonly tokens: number;
  /** The object key the line starts with, if any. */
  readonly key: string | undefined;
  /** Relatedness of that key (`ctr_reasoning` → `ctr`), for semantic grouping. */
  readonly related: string | undefined;
  /** Other object keys the line shows (inside inline objects, a table's columns). */
  readonly innerKeys: readonly string[] | undefined;
  /** First array element covered when the line belongs to an array chunk root; -1 otherwise. */
  readonly elementStart: number;
  /** One past the last element covered; -1 otherwise. */
  readonly elementEnd: number;
  readonly stringPart: StringPart | undefined;
  /** Index of the region a reference line points to; -1 otherwise. */
  readonly reference: number;
}

/** The container whose entries are being rendered. */
export interface LeafSite {
  /** Absolute path of the container, in two parts (joined only to name split strings). */
  readonly base: readonly PathSegment[];
  readonly relative: readonly PathSegment[];
  /** Element range every line of the site belongs to, inside an array chunk root. */
  readonly elements: readonly [number, number] | undefined;
}

/** One value to render; callers reuse one object per container and change the fields per entry. */
export interface LeafOptions {
  label: string;
  /** Object key of the value (undefined for array elements). */
  key: string | undefined;
  /** Relatedness of the key (see `KeyInfo.related`). */
  related: string | undefined;
  keyClass: number;
  /** Index of the value inside the array under `key`, when it is one element of it. */
  index?: number;
  site: LeafSite;
}

export interface RangeLineOptions {
  readonly values: readonly unknown[];
  /** Index of `values[0]` in its array. */
  readonly offset: number;
  /** Label when the whole range fits on one line (`tags`); undefined to always label by range. */
  readonly wholeLabel: string | undefined;
  /**
   * Label of a sub-range (inclusive) is `<prefix>[3-9]`, or `3-9` without a prefix (inside an
   * array's own section).
   */
  readonly rangePrefix: string | undefined;
  /** Key, key class and site of the array (the key is undefined for an array's own elements). */
  readonly leaf: LeafOptions;
  /** Record element ranges on the lines (elements of an array chunk root). */
  readonly trackElements: boolean;
}

export interface StructuralLineOptions {
  readonly reference?: number;
  readonly keys?: readonly string[];
}

export interface LineFactory {
  readonly budgets: Budgets;
  readonly counter: TokenCounter;
  readonly keywords: KeywordIndex;
  /** Tokens of one line inside a chunk (`text + '\n'`). */
  lineTokens(text: string): number;
  /**
   * `lineTokens(text)` when it is at most the line budget, otherwise some number above it, found
   * without counting the rest: for lines that are dropped or split when they do not fit.
   */
  lineTokensUpTo(text: string): number;
  /** A section, column or reference line. */
  structural(text: string, options?: StructuralLineOptions): Line;
  /** Lines of one value (scalar, or a container the first pass found small enough to go inline). */
  valueLines(value: unknown, leaf: LeafOptions, out: Line[]): void;
  /** Lines of consecutive array elements, split into index ranges when they do not fit one line. */
  rangeLines(options: RangeLineOptions, out: Line[]): void;
  /** A line with statistics already known. */
  contentLine(text: string, stats: ContentStats, elements: readonly [number, number] | undefined): Line;
  /** `contentLine` when the line fits the line budget, else undefined (table rows). */
  fittingContentLine(
    text: string,
    stats: ContentStats,
    elements: readonly [number, number],
  ): Line | undefined;
}

/** Element range of lines outside array chunk roots. */
export const noElements: readonly [number, number] = [-1, -1];

/** The element range every line of a leaf's site belongs to. */
export function leafElements(leaf: LeafOptions): readonly [number, number] {
  return leaf.site.elements ?? noElements;
}

/** A line's own fields, with its counts given as one `stats` (none: all zero). */
type LineFields = Omit<Line, keyof ContentStats> & { readonly stats: ContentStats | undefined };

/** The one place lines are built, so that every line has the same shape. */
export function makeLine(fields: LineFields): Line {
  const stats = fields.stats;
  return {
    text: fields.text,
    tokens: fields.tokens,
    leaves: stats === undefined ? 0 : stats.leaves,
    numbers: stats === undefined ? 0 : stats.numbers,
    meaning: stats === undefined ? 0 : stats.meaning,
    naturalChars: stats === undefined ? 0 : stats.naturalChars,
    valueChars: stats === undefined ? 0 : stats.valueChars,
    keys: stats === undefined ? 0 : stats.keys,
    arrays: stats === undefined ? 0 : stats.arrays,
    key: fields.key,
    related: fields.related,
    innerKeys: fields.innerKeys,
    elementStart: fields.elementStart,
    elementEnd: fields.elementEnd,
    stringPart: fields.stringPart,
    reference: fields.reference,
  };
}

/**
 * A line of inline-rendered elements (one value, or a range of an array's), with the statistics
 * and inner keys their rendering collected in `context`. Positional: it runs once per line.
 */
export function renderedLine(
  text: string,
  tokens: number,
  context: InlineContext,
  leaf: LeafOptions,
  elements: readonly [number, number],
): Line {
  return makeLine({
    text,
    tokens,
    stats: context.stats,
    key: leaf.key,
    related: leaf.related,
    innerKeys: context.keys.length > 0 ? context.keys : undefined,
    elementStart: elements[0],
    elementEnd: elements[1],
    stringPart: undefined,
    reference: -1,
  });
}
