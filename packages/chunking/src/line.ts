// Content lines: `key: value` text with its exact token count and the statistics of the leaves it
// holds. Anything too long for one line is split here, never dropped: long strings into parts
// (`notes (part 2/5): …`), long arrays into index ranges (`readings[0-99]: …`). This runs once per
// leaf, so it avoids per-leaf allocations beyond the line itself.
import type { Budgets } from './budgets.js';
import { type ContentStats, emptyStats, type Scalar } from './document-tree.js';
import { jsonPath, type PathSegment } from './json-path.js';
import { isNaturalText, type KeywordIndex, leafScore, semanticKey } from './keyword-index.js';
import { type InlineContext, renderInlineElement, renderScalar } from './render-value.js';
import type { TokenCounter } from './token-counter.js';

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
  /** A section, column or reference line. */
  structural(text: string, options?: StructuralLineOptions): Line;
  /** Lines of one value (scalar, or a container the first pass found small enough to go inline). */
  valueLines(value: unknown, leaf: LeafOptions, out: Line[]): void;
  /** Lines of consecutive array elements, split into index ranges when they do not fit one line. */
  rangeLines(options: RangeLineOptions, out: Line[]): void;
  /** A line with statistics already known (table rows). */
  contentLine(text: string, stats: ContentStats, elements: readonly [number, number] | undefined): Line;
}

const assumedCharsPerToken = 3.5;
const noElements: readonly [number, number] = [-1, -1];

function nextCut(text: string, start: number, target: number): number {
  if (target >= text.length) return text.length;
  // Prefer a break after whitespace in the last fifth of the window; never split a surrogate pair.
  const earliest = start + Math.floor((target - start) * 0.8);
  for (let at = target; at > earliest; at -= 1) {
    const code = text.charCodeAt(at - 1);
    if (code === 32 || code === 10) return at;
  }
  const code = text.charCodeAt(target - 1);
  return code >= 0xd800 && code <= 0xdbff && target - 1 > start ? target - 1 : target;
}

/** Elements `[start, end)` of a range line: its own indexes in an array chunk root, else the site's. */
function rangeElements(range: RangeLineOptions, first: number, last: number): readonly [number, number] {
  if (range.trackElements) return [range.offset + first, range.offset + last + 1];
  return range.leaf.site.elements ?? noElements;
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function rangeLabel(prefix: string | undefined, first: number, last: number): string {
  const range = first === last ? String(first) : `${first}-${last}`;
  return prefix === undefined ? range : `${prefix}[${range}]`;
}

function leafPath(leaf: LeafOptions): string {
  const segments: PathSegment[] = [...leaf.site.base, ...leaf.site.relative];
  if (leaf.key !== undefined) segments.push(leaf.key);
  if (leaf.index !== undefined) segments.push(leaf.index);
  return jsonPath(segments);
}

/** A line's own fields, with its counts given as one `stats` (none: all zero). */
type LineFields = Omit<Line, keyof ContentStats> & { readonly stats: ContentStats | undefined };

/** The one place lines are built, so that every line has the same shape. */
function makeLine(fields: LineFields): Line {
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

export function createLineFactory(options: {
  budgets: Budgets;
  counter: TokenCounter;
  keywords: KeywordIndex;
}): LineFactory {
  const { budgets, counter, keywords } = options;
  const lineTokens = (text: string): number => counter.countLine(text);
  const labelBudget = Math.floor(budgets.line / 4);
  // One scratch accumulator for scalar lines: its values are copied into the line.
  const scratch = emptyStats();

  const fitLabel = (label: string): string => {
    if (label.length * 3 <= labelBudget || counter.count(label) <= labelBudget) return label;
    let cut = Math.max(1, Math.floor(labelBudget / 3) - 1);
    const code = label.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    return `${label.slice(0, cut)}…`;
  };

  const elementsOf = (leaf: LeafOptions): readonly [number, number] => leaf.site.elements ?? noElements;

  const scalarStats = (value: Scalar, leaf: LeafOptions, rendered: string): ContentStats => {
    scratch.leaves = 1;
    scratch.numbers = typeof value === 'number' ? 1 : 0;
    scratch.meaning = leafScore(value, leaf.keyClass);
    scratch.naturalChars =
      typeof value === 'string' && (leaf.keyClass & semanticKey || isNaturalText(value)) ? value.length : 0;
    scratch.valueChars = value === null ? 0 : rendered.length;
    scratch.keys = leaf.key === undefined ? 0 : 1;
    scratch.arrays = 0;
    return scratch;
  };

  const stringPartLines = (value: string, leaf: LeafOptions, label: string, out: Line[]): void => {
    const prefix = (part: number, parts?: number): string =>
      parts === undefined ? `${label} (part ${part}): ` : `${label} (part ${part}/${parts}): `;
    // Room for a `/parts` suffix of up to 5 digits.
    const partBudget = budgets.line - 6;
    const cuts: number[] = [];
    let charsPerToken = assumedCharsPerToken;
    for (let start = 0; start < value.length; ) {
      let end = nextCut(value, start, start + Math.max(1, Math.floor(partBudget * charsPerToken * 0.9)));
      let tokens = lineTokens(prefix(cuts.length + 1) + value.slice(start, end));
      while (tokens > partBudget && end - start > 1) {
        const shrunk = start + Math.max(1, Math.floor(((end - start) * partBudget * 0.9) / tokens));
        end = nextCut(value, start, Math.min(shrunk, end - 1));
        if (end <= start) end = start + 1;
        tokens = lineTokens(prefix(cuts.length + 1) + value.slice(start, end));
      }
      charsPerToken = Math.min(8, Math.max(1, (end - start) / Math.max(1, tokens)));
      cuts.push(end);
      start = end;
    }
    const path = leafPath(leaf);
    const leafStats = { ...scalarStats(value, leaf, value) };
    const natural = leafStats.naturalChars > 0;
    const [elementStart, elementEnd] = elementsOf(leaf);
    let start = 0;
    cuts.forEach((end, index) => {
      const piece = value.slice(start, end);
      const text = prefix(index + 1, cuts.length) + piece;
      // The leaf and its key count once, on the first part; every part carries its characters.
      const stats = index === 0 ? { ...leafStats } : emptyStats();
      stats.naturalChars = natural ? piece.length : 0;
      stats.valueChars = piece.length;
      out.push(
        makeLine({
          text,
          tokens: lineTokens(text),
          stats,
          key: leaf.key,
          related: leaf.related,
          innerKeys: undefined,
          elementStart,
          elementEnd,
          stringPart: { path, part: index + 1, parts: cuts.length, start, end },
          reference: -1,
        }),
      );
      start = end;
    });
  };

  const scalarLine = (value: Scalar, leaf: LeafOptions, out: Line[]): void => {
    const label = fitLabel(leaf.label);
    const rendered = renderScalar(value);
    const text = `${label}: ${rendered}`;
    const tokens = lineTokens(text);
    if (tokens > budgets.line && typeof value === 'string') {
      stringPartLines(value, leaf, label, out);
      return;
    }
    const [elementStart, elementEnd] = elementsOf(leaf);
    out.push(
      makeLine({
        text,
        tokens,
        stats: scalarStats(value, leaf, rendered),
        key: leaf.key,
        related: leaf.related,
        innerKeys: undefined,
        elementStart,
        elementEnd,
        stringPart: undefined,
        reference: -1,
      }),
    );
  };

  const inlineLine = (value: object, leaf: LeafOptions, out: Line[]): void => {
    const isScalarArray = Array.isArray(value) && value.length > 0 && !value.some(isContainer);
    const label = fitLabel(leaf.label);
    if (isScalarArray) {
      rangeLines(
        {
          values: value,
          offset: 0,
          wholeLabel: label,
          rangePrefix: label,
          leaf,
          trackElements: false,
        },
        out,
      );
      return;
    }
    const context: InlineContext = { keywords, stats: emptyStats(), keys: [] };
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
    const [elementStart, elementEnd] = elementsOf(leaf);
    out.push(
      makeLine({
        text,
        tokens: lineTokens(text),
        stats: context.stats,
        key: leaf.key,
        related: leaf.related,
        innerKeys: context.keys.length > 0 ? context.keys : undefined,
        elementStart,
        elementEnd,
        stringPart: undefined,
        reference: -1,
      }),
    );
  };

  const rangeLines = (range: RangeLineOptions, out: Line[]): void => {
    const { values, leaf } = range;
    const rendered: string[] = new Array(values.length);
    const whole: InlineContext = { keywords, stats: emptyStats(), keys: [] };
    let chars = 0;
    for (let index = 0; index < values.length; index += 1) {
      const text = renderInlineElement(values[index], leaf.keyClass, whole);
      rendered[index] = text;
      chars += text.length + 2;
    }
    const keyed = leaf.key === undefined ? 0 : 1;
    if (range.wholeLabel !== undefined && chars <= budgets.line * 8) {
      const text = `${range.wholeLabel}: ${rendered.join(', ')}`;
      const tokens = lineTokens(text);
      if (tokens <= budgets.line) {
        whole.stats.arrays += 1;
        whole.stats.keys += keyed;
        const [elementStart, elementEnd] = rangeElements(range, 0, values.length - 1);
        out.push(
          makeLine({
            text,
            tokens,
            stats: whole.stats,
            key: leaf.key,
            related: leaf.related,
            innerKeys: whole.keys.length > 0 ? whole.keys : undefined,
            elementStart,
            elementEnd,
            stringPart: undefined,
            reference: -1,
          }),
        );
        return;
      }
    }
    let charsPerToken = assumedCharsPerToken;
    for (let first = 0; first < values.length; ) {
      const targetChars = budgets.line * charsPerToken * 0.85;
      let last = first;
      let rangeChars = rendered[first]!.length;
      while (last + 1 < values.length && rangeChars + rendered[last + 1]!.length + 2 <= targetChars) {
        last += 1;
        rangeChars += rendered[last]!.length + 2;
      }
      for (;;) {
        const label = rangeLabel(range.rangePrefix, range.offset + first, range.offset + last);
        const text = `${label}: ${rendered.slice(first, last + 1).join(', ')}`;
        const tokens = lineTokens(text);
        if (tokens <= budgets.line) {
          // Statistics of just this range: render its elements again into a fresh accumulator.
          const context: InlineContext = { keywords, stats: emptyStats(), keys: [] };
          for (let index = first; index <= last; index += 1)
            renderInlineElement(values[index], leaf.keyClass, context);
          context.stats.arrays += 1;
          context.stats.keys += keyed;
          const [elementStart, elementEnd] = rangeElements(range, first, last);
          out.push(
            makeLine({
              text,
              tokens,
              stats: context.stats,
              key: leaf.key,
              related: leaf.related,
              innerKeys: context.keys.length > 0 ? context.keys : undefined,
              elementStart,
              elementEnd,
              stringPart: undefined,
              reference: -1,
            }),
          );
          charsPerToken = Math.min(8, Math.max(1, text.length / tokens));
          break;
        }
        if (last > first) {
          last = first + Math.floor((last - first) / 2);
          continue;
        }
        // One element too long for a line: only a long string can be (inline containers are short).
        const index = range.offset + first;
        const elementLeaf: LeafOptions = {
          label: rangeLabel(range.rangePrefix, index, index),
          key: leaf.key,
          related: leaf.related,
          keyClass: leaf.keyClass,
          index,
          site: range.trackElements ? { ...leaf.site, elements: [index, index + 1] } : leaf.site,
        };
        const element = values[first];
        if (typeof element === 'object' && element !== null) inlineLine(element, elementLeaf, out);
        else scalarLine(element as Scalar, elementLeaf, out);
        break;
      }
      first = last + 1;
    }
  };

  return {
    budgets,
    counter,
    keywords,
    lineTokens,
    structural: (text, structural = {}) =>
      makeLine({
        text,
        tokens: lineTokens(text),
        stats: undefined,
        key: undefined,
        related: undefined,
        innerKeys: structural.keys,
        elementStart: -1,
        elementEnd: -1,
        stringPart: undefined,
        reference: structural.reference ?? -1,
      }),
    valueLines: (value, leaf, out) => {
      if (typeof value === 'object' && value !== null) inlineLine(value, leaf, out);
      else scalarLine(value as Scalar, leaf, out);
    },
    rangeLines,
    contentLine: (text, stats, elements) =>
      makeLine({
        text,
        tokens: lineTokens(text),
        stats,
        key: undefined,
        related: undefined,
        innerKeys: undefined,
        elementStart: elements?.[0] ?? -1,
        elementEnd: elements?.[1] ?? -1,
        stringPart: undefined,
        reference: -1,
      }),
  };
}
