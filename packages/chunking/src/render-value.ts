// How JSON values read in chunk text. Leaves are written so that a test can find them: strings
// verbatim (the empty string as `""`), numbers as `String(n)`, booleans `true`/`false`, null `null`.
// Small containers go inline: arrays as `a, b, c` (nested `[a, b]`), objects as `{key: value}`.
import type { ContentStats } from './content-stats.js';
import type { JsonObject, Scalar } from './document-tree.js';
import { isNaturalText, type KeywordIndex, leafScore, semanticKey } from './keyword-index.js';

/** The rendering of one scalar leaf. */
export function renderScalar(value: Scalar): string {
  if (typeof value === 'string') return value.length === 0 ? '""' : value;
  return typeof value === 'number' ? numberText(value) : String(value);
}

const powersOfTen = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/**
 * `String(value)` for a number, about 3× faster for the decimals data is full of (`23.45`,
 * `0.0254`): the shortest decimal with up to 6 places that reads back as the same double is what
 * `String` prints, and below 10⁹ with at most 6 places (15 significant digits) that decimal is
 * unique, so it is found with one multiplication and one division per place. Everything else
 * (integers, exponents, long fractions) goes to `String`.
 */
export function numberText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const magnitude = value < 0 ? -value : value;
  if (magnitude >= 1e-6 && magnitude < 1e9) {
    for (let places = 1; places < powersOfTen.length; places += 1) {
      const power = powersOfTen[places]!;
      const scaled = Math.round(magnitude * power);
      if (scaled / power !== magnitude) continue;
      const whole = Math.floor(scaled / power);
      const fraction = String(scaled - whole * power).padStart(places, '0');
      return value < 0 ? `-${whole}.${fraction}` : `${whole}.${fraction}`;
    }
  }
  return String(value);
}

/** Adds one leaf to a statistics accumulator. */
export function countLeaf(value: Scalar, keyClass: number, stats: ContentStats): void {
  stats.leaves += 1;
  if (value === null) {
    stats.valueChars += 4;
    return;
  }
  stats.meaning += leafScore(value, keyClass);
  if (typeof value === 'number') {
    stats.numbers += 1;
  } else if (typeof value === 'string') {
    if (keyClass & semanticKey || isNaturalText(value)) stats.naturalChars += value.length;
  }
}

export interface InlineContext {
  readonly keywords: KeywordIndex;
  readonly stats: ContentStats;
  /** Object keys met inside the value, appended in order. */
  readonly keys: string[];
  /** When present, the rendered length of every scalar, appended in order (see `countInline`). */
  readonly lengths?: number[];
}

/** Inline rendering of a container that the first pass found small enough. */
export function renderInline(value: object, keyClass: number, context: InlineContext): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    context.stats.arrays += 1;
    let text = '';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) text += ', ';
      text += renderInlineElement(value[index], keyClass, context);
    }
    return `[${text}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  let text = '{';
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    if (index > 0) text += ', ';
    const info = context.keywords.info(key);
    context.stats.keys += 1;
    context.keys.push(key);
    text += `${info.label}: ${renderInlineElement((value as JsonObject)[key], info.keyClass, context)}`;
  }
  return `${text}}`;
}

/** One element of an inline rendering (scalar or nested container), counted into the stats. */
export function renderInlineElement(value: unknown, keyClass: number, context: InlineContext): string {
  if (typeof value === 'object' && value !== null) return renderInline(value, keyClass, context);
  const text = renderScalar(value as Scalar);
  countRenderedScalar(value as Scalar, text, keyClass, context.stats);
  context.lengths?.push(text.length);
  return text;
}

/** Where `countInline` reads the lengths a rendering with `lengths` recorded. */
export interface RecordedLengths {
  readonly lengths: readonly number[];
  /** Index in `lengths` of the value's first scalar. */
  cursor: number;
}

/**
 * Counts a value that `renderInlineElement` rendered already, into `context`, exactly as rendering
 * it again would (same statistics, added in the same order) but without formatting anything: the
 * scalars' lengths come from the first rendering. Re-rendering the rows of a matrix split into
 * index ranges was a fifth of its chunking time.
 */
export function countInline(
  value: unknown,
  keyClass: number,
  context: InlineContext,
  recorded: RecordedLengths,
): void {
  if (typeof value !== 'object' || value === null) {
    countLeaf(value as Scalar, keyClass, context.stats);
    if (value !== null) context.stats.valueChars += recorded.lengths[recorded.cursor]!;
    recorded.cursor += 1;
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    context.stats.arrays += 1;
    for (let index = 0; index < value.length; index += 1)
      countInline(value[index], keyClass, context, recorded);
    return;
  }
  const keys = Object.keys(value);
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    const info = context.keywords.info(key);
    context.stats.keys += 1;
    context.keys.push(key);
    countInline((value as JsonObject)[key], info.keyClass, context, recorded);
  }
}

function countRenderedScalar(scalar: Scalar, text: string, keyClass: number, stats: ContentStats): void {
  countLeaf(scalar, keyClass, stats);
  if (scalar !== null) stats.valueChars += text.length;
}
