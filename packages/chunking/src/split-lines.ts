// Values too long for one line, split across lines and never dropped: long strings into parts
// (`notes (part 2/5): …`), long arrays into index ranges (`readings[0-99]: …`). Token counts are
// exact; a chars-per-token estimate from the previous line only picks where to try the next cut.
import { type ContentStats, emptyStats } from './content-stats.js';
import { jsonPath, type PathSegment } from './json-path.js';
import {
  type LeafOptions,
  type Line,
  type LineFactory,
  leafElements,
  makeLine,
  noElements,
  type RangeLineOptions,
  renderedLine,
} from './line.js';
import { countInline, type InlineContext, renderInlineElement } from './render-value.js';

const assumedCharsPerToken = 3.5;

/** A string leaf too long for one line. */
export interface LongString {
  readonly value: string;
  readonly leaf: LeafOptions;
  /** The leaf's label, already fitted to the label budget. */
  readonly label: string;
  /** Statistics of the whole leaf (copied: the caller may reuse the object). */
  readonly stats: Readonly<ContentStats>;
}

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

/** Lines of the parts of a long string, each within the line budget with its `(part i/n)` label. */
export function stringPartLines(factory: LineFactory, long: LongString, out: Line[]): void {
  const { value, leaf, label } = long;
  const counter = factory.counter;
  // A part's line is `<head> <piece>`. The head ends in `:` and a space follows, where every
  // pre-tokenizer piece ends, so the line's tokens are the head's plus those of ` <piece>\n`: the
  // piece is counted once, while its cut is sought, and not again under its final `i/n` head.
  const head = (part: number, parts?: number): string =>
    parts === undefined ? `${label} (part ${part}):` : `${label} (part ${part}/${parts}):`;
  // Room for a `/parts` suffix of up to 5 digits.
  const partBudget = factory.budgets.line - 6;
  const cuts: number[] = [];
  const pieceTokens: number[] = [];
  let charsPerToken = assumedCharsPerToken;
  for (let start = 0; start < value.length; ) {
    const searchHead = head(cuts.length + 1);
    let end = nextCut(value, start, start + Math.max(1, Math.floor(partBudget * charsPerToken * 0.9)));
    let tokens = factory.lineTokens(`${searchHead} ${value.slice(start, end)}`);
    while (tokens > partBudget && end - start > 1) {
      const shrunk = start + Math.max(1, Math.floor(((end - start) * partBudget * 0.9) / tokens));
      end = nextCut(value, start, Math.min(shrunk, end - 1));
      if (end <= start) end = start + 1;
      tokens = factory.lineTokens(`${searchHead} ${value.slice(start, end)}`);
    }
    charsPerToken = Math.min(8, Math.max(1, (end - start) / Math.max(1, tokens)));
    cuts.push(end);
    pieceTokens.push(tokens - counter.count(searchHead));
    start = end;
  }
  const path = leafPath(leaf);
  const leafStats = { ...long.stats };
  const natural = leafStats.naturalChars > 0;
  const [elementStart, elementEnd] = leafElements(leaf);
  let start = 0;
  cuts.forEach((end, index) => {
    const piece = value.slice(start, end);
    const partHead = head(index + 1, cuts.length);
    const text = `${partHead} ${piece}`;
    // The leaf and its key count once, on the first part; every part carries its characters.
    const stats = index === 0 ? { ...leafStats } : emptyStats();
    stats.naturalChars = natural ? piece.length : 0;
    stats.valueChars = piece.length;
    out.push(
      makeLine({
        text,
        tokens: counter.count(partHead) + pieceTokens[index]!,
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
}

/** Lines of consecutive array elements: one line when they fit it, else index ranges. */
export function rangeLines(factory: LineFactory, range: RangeLineOptions, out: Line[]): void {
  const { values, leaf } = range;
  const rendered: string[] = new Array(values.length);
  const lengths: number[] = [];
  // Where each element's scalars start in `lengths`, for counting a range again (`countInline`).
  const starts: number[] = new Array(values.length);
  const whole: InlineContext = { keywords: factory.keywords, stats: emptyStats(), keys: [], lengths };
  let chars = 0;
  for (let index = 0; index < values.length; index += 1) {
    starts[index] = lengths.length;
    const text = renderInlineElement(values[index], leaf.keyClass, whole);
    rendered[index] = text;
    chars += text.length + 2;
  }
  if (range.wholeLabel !== undefined && chars <= factory.budgets.line * 8) {
    const text = `${range.wholeLabel}: ${rendered.join(', ')}`;
    // Up to the budget only: a range that does not fit is split, whatever its count.
    const tokens = factory.lineTokensUpTo(text);
    if (tokens <= factory.budgets.line) {
      whole.stats.arrays += 1;
      whole.stats.keys += leaf.key === undefined ? 0 : 1;
      out.push(renderedLine(text, tokens, whole, leaf, rangeElements(range, 0, values.length - 1)));
      return;
    }
  }
  splitRange(factory, range, { texts: rendered, lengths, starts }, out);
}

/** The elements of a range as `rangeLines` rendered them, and their scalars' lengths. */
interface RenderedElements {
  readonly texts: readonly string[];
  readonly lengths: readonly number[];
  readonly starts: readonly number[];
}

/** Index-range lines of elements (rendered already), each as many as fit the line budget. */
function splitRange(
  factory: LineFactory,
  range: RangeLineOptions,
  elements: RenderedElements,
  out: Line[],
): void {
  const { values, leaf } = range;
  const rendered = elements.texts;
  const keyed = leaf.key === undefined ? 0 : 1;
  let charsPerToken = assumedCharsPerToken;
  for (let first = 0; first < values.length; ) {
    const targetChars = factory.budgets.line * charsPerToken * 0.85;
    let last = first;
    let rangeChars = rendered[first]!.length;
    while (last + 1 < values.length && rangeChars + rendered[last + 1]!.length + 2 <= targetChars) {
      last += 1;
      rangeChars += rendered[last]!.length + 2;
    }
    for (;;) {
      const label = rangeLabel(range.rangePrefix, range.offset + first, range.offset + last);
      const text = `${label}: ${rendered.slice(first, last + 1).join(', ')}`;
      // Up to the budget only: a range that does not fit is halved, whatever its count.
      const tokens = factory.lineTokensUpTo(text);
      if (tokens <= factory.budgets.line) {
        // Statistics of just this range, counted again into a fresh accumulator.
        const context: InlineContext = { keywords: factory.keywords, stats: emptyStats(), keys: [] };
        const recorded = { lengths: elements.lengths, cursor: elements.starts[first]! };
        for (let index = first; index <= last; index += 1)
          countInline(values[index], leaf.keyClass, context, recorded);
        context.stats.arrays += 1;
        context.stats.keys += keyed;
        out.push(renderedLine(text, tokens, context, leaf, rangeElements(range, first, last)));
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
      factory.valueLines(values[first], elementLeaf, out);
      break;
    }
    first = last + 1;
  }
}
