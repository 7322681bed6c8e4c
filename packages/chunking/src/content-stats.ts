// Content statistics: the counts every subtree, line and chunk carries (leaves, numbers, meaning,
// characters, keys, arrays), and the measuring of scalar leaves that feeds them. The first pass
// measures without rendering, so rendered lengths here are computed, not produced.
import { isNaturalText, leafScore, semanticKey } from './keyword-index.js';

/** Content statistics of a subtree (or of one chunk's lines). */
export interface ContentStats {
  /** Scalar leaves. */
  leaves: number;
  /** Leaves that are numbers. */
  numbers: number;
  /** Sum of the leaves' meaning scores (see `leafScore`). */
  meaning: number;
  /** Characters of prose strings and of strings under semantic keys. */
  naturalChars: number;
  /** Characters of all rendered values. */
  valueChars: number;
  /** Object keys. */
  keys: number;
  /** Arrays. */
  arrays: number;
}

export function emptyStats(): ContentStats {
  return { leaves: 0, numbers: 0, meaning: 0, naturalChars: 0, valueChars: 0, keys: 0, arrays: 0 };
}

export function addStats(target: ContentStats, source: Readonly<ContentStats>): void {
  target.leaves += source.leaves;
  target.numbers += source.numbers;
  target.meaning += source.meaning;
  target.naturalChars += source.naturalChars;
  target.valueChars += source.valueChars;
  target.keys += source.keys;
  target.arrays += source.arrays;
}

export function resetStats(stats: ContentStats): void {
  stats.leaves = 0;
  stats.numbers = 0;
  stats.meaning = 0;
  stats.naturalChars = 0;
  stats.valueChars = 0;
  stats.keys = 0;
  stats.arrays = 0;
}

/** Rendered length of a number without formatting it (exact for integers, a typical width otherwise). */
function numberChars(value: number): number {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) {
    let digits = value < 0 ? 2 : 1;
    for (let rest = Math.abs(value); rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
    return digits;
  }
  return 8;
}

/**
 * Measures the leaves of a value for the statistics of the node that holds it, and validates it.
 * Returns its scalar rendering length.
 */
export function measureScalar(value: unknown, keyClass: number, stats: ContentStats): number {
  switch (typeof value) {
    case 'string': {
      stats.leaves += 1;
      stats.meaning += leafScore(value, keyClass);
      if (keyClass & semanticKey || isNaturalText(value)) stats.naturalChars += value.length;
      const chars = value.length === 0 ? 2 : value.length;
      stats.valueChars += chars;
      return chars;
    }
    case 'number': {
      if (!Number.isFinite(value)) return -1;
      stats.leaves += 1;
      stats.numbers += 1;
      stats.meaning += leafScore(value, keyClass);
      const chars = numberChars(value);
      stats.valueChars += chars;
      return chars;
    }
    case 'boolean':
      stats.leaves += 1;
      stats.meaning += 0.4;
      stats.valueChars += value ? 4 : 5;
      return value ? 4 : 5;
    default:
      if (value === null) {
        stats.leaves += 1;
        stats.valueChars += 4;
        return 4;
      }
      return -1;
  }
}
