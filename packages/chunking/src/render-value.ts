// How JSON values read in chunk text. Leaves are written so that a test can find them: strings
// verbatim (the empty string as `""`), numbers as `String(n)`, booleans `true`/`false`, null `null`.
// Small containers go inline: arrays as `a, b, c` (nested `[a, b]`), objects as `{key: value}`.
import type { ContentStats } from './content-stats.js';
import type { JsonObject, Scalar } from './document-tree.js';
import { isNaturalText, type KeywordIndex, leafScore, semanticKey } from './keyword-index.js';

/** The rendering of one scalar leaf. */
export function renderScalar(value: Scalar): string {
  if (typeof value === 'string') return value.length === 0 ? '""' : value;
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
  const scalar = value as Scalar;
  const text = renderScalar(scalar);
  countLeaf(scalar, keyClass, context.stats);
  if (scalar !== null) context.stats.valueChars += text.length;
  return text;
}
