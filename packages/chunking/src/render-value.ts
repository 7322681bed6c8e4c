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
  return text;
}

/**
 * Counts an element that `renderInlineElement` rendered as `text` already, as if it rendered it
 * again: a scalar is not formatted a second time (number formatting is a hot spot); a container is
 * (its keys are collected on the way, and inline containers are short).
 */
export function countInlineElement(options: {
  value: unknown;
  text: string;
  keyClass: number;
  context: InlineContext;
}): void {
  const { value, context } = options;
  if (typeof value === 'object' && value !== null) renderInline(value, options.keyClass, context);
  else countRenderedScalar(value as Scalar, options.text, options.keyClass, context.stats);
}

function countRenderedScalar(scalar: Scalar, text: string, keyClass: number, stats: ContentStats): void {
  countLeaf(scalar, keyClass, stats);
  if (scalar !== null) stats.valueChars += text.length;
}
