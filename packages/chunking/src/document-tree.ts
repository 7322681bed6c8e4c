// First pass over a document: one iterative walk (no recursion, so 5,000 levels of nesting are
// fine) that validates the value, decides which nested values are small enough to render inline on
// their parent's line, and sums sizes and content statistics bottom-up so that no strategy ever
// re-measures a subtree. Sizes are estimates of the rendered text; exact token counts come later,
// once, for the lines that are actually rendered.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import type { ChunkingConfig } from './config.js';
import { jsonPath, type PathSegment } from './json-path.js';
import { isNaturalText, type KeywordIndex, keywordIndex, leafScore, semanticKey } from './keyword-index.js';

export type JsonObject = Record<string, unknown>;
export type Scalar = string | number | boolean | null;

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

/** A container that is rendered as its own section (everything not small enough to go inline). */
export interface TreeNode {
  readonly value: JsonObject | readonly unknown[];
  readonly isArray: boolean;
  readonly parent: TreeNode | undefined;
  /** Key or index in the parent; undefined for the root. */
  readonly key: PathSegment | undefined;
  /** Nesting depth: the root is 0. */
  readonly depth: number;
  /** Meaning class of the nearest object key (arrays inherit their key's). */
  readonly keyClass: number;
  /** Nested containers that are nodes themselves, in document order. */
  readonly children: TreeNode[];
  /** The object's keys, as the first pass read them (undefined for arrays). */
  readonly keys: readonly string[] | undefined;
  /** Entries rendered as lines of this node (scalars and inline containers). */
  ownEntries: number;
  /** Estimated rendered characters of the whole subtree (lines only, no section lines). */
  chars: number;
  /** Estimated compact JSON characters of the subtree. */
  jsonChars: number;
  /** Estimated characters of the node's own lines (its scalars and inline containers). */
  ownChars: number;
  /** Estimated JSON characters the node adds itself: its key, brackets, own entries, commas. */
  ownJson: number;
  /** Nodes in the subtree with lines of their own (each needs a section line when nested). */
  sections: number;
  /** Deepest nesting depth reached in the subtree. */
  maxDepth: number;
  /** Characters inside arrays of at least `minArrayLength` elements. */
  largeArrayChars: number;
  /** Keys in the subtree whose words are semantic keywords. */
  semanticKeys: number;
  readonly stats: ContentStats;
}

export interface DocumentTree {
  readonly config: ChunkingConfig;
  readonly keywords: KeywordIndex;
  /** The document's root node; undefined when the document is a scalar or an empty container. */
  readonly root: TreeNode | undefined;
  readonly rootValue: unknown;
  /** Up to 10,000 distinct object keys, for domain scoring. */
  readonly distinctKeys: ReadonlySet<string>;
}

const distinctKeyLimit = 10_000;
/** Inline renderings nest at most this deep (`{a: [1, {b: 2}]}` is depth 3). */
export const maxInlineDepth = 3;

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

function resetStats(stats: ContentStats): void {
  stats.leaves = 0;
  stats.numbers = 0;
  stats.meaning = 0;
  stats.naturalChars = 0;
  stats.valueChars = 0;
  stats.keys = 0;
  stats.arrays = 0;
}

/** Rendered length of a scalar without its statistics, or -1 if it is not a JSON scalar. */
function scalarChars(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length === 0 ? 2 : value.length;
    case 'number':
      return Number.isFinite(value) ? numberChars(value) : -1;
    case 'boolean':
      return value ? 4 : 5;
    default:
      return value === null ? 4 : -1;
  }
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

function unsupported(value: unknown, path: readonly PathSegment[], reason: string): DjeError {
  return createError({
    code: 'INVALID_JSON_VALUE',
    message: `The value at ${jsonPath(path)} is not JSON (${reason}); pass data from JSON.parse or plain objects, arrays, strings, finite numbers, booleans and null.`,
    details: { path: jsonPath(path), type: value === null ? 'null' : typeof value },
  });
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Segments from the root to a node (for error messages and paths). */
export function nodeSegments(node: TreeNode | undefined): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let current = node; current?.key !== undefined; current = current.parent) segments.push(current.key);
  return segments.reverse();
}

interface Frame {
  readonly node: TreeNode;
  readonly keys: readonly string[] | undefined;
  index: number;
  /** Whether the previous array element went into a run line (`3-9: a, b, …`) that this one joins. */
  inRun: boolean;
}

/**
 * Measures the leaves of a value for the statistics of the node that holds it, and validates it.
 * Returns its scalar rendering length.
 */
function measureScalar(value: unknown, keyClass: number, stats: ContentStats): number {
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

/**
 * Walks a document once. `inlineChars` is the longest inline rendering (see `Budgets.inlineChars`),
 * label included, so that an inline line always fits the line budget.
 */
export function buildDocumentTree(
  value: unknown,
  options: { config: ChunkingConfig; inlineChars: number },
): DocumentTree {
  const { config } = options;
  const keywords = keywordIndex(config);
  const distinctKeys = new Set<string>();
  const inlineLimit = options.inlineChars;
  const minArrayLength = config.thresholds.minArrayLength;
  const scratch = emptyStats();
  const onPath = new Set<object>();

  // Renders nothing: measures how long the inline rendering of a container would be, or -1 when it
  // is too long, too deep, or holds something that is not JSON (the node walk then reports it).
  // Statistics are left to `inlineStats`, run only for containers that do go inline.
  const measureInline = (container: object, depthLeft: number, budget: number): number => {
    if (Array.isArray(container)) {
      if (container.length === 0) return 2;
      if (depthLeft === 0) return -1;
      let chars = 2;
      for (const element of container) {
        const elementChars =
          typeof element === 'object' && element !== null
            ? measureInline(element, depthLeft - 1, budget - chars)
            : scalarChars(element);
        if (elementChars < 0) return -1;
        chars += elementChars + 2;
        if (chars > budget) return -1;
      }
      return chars;
    }
    if (!isPlainObject(container)) return -1;
    const keys = Object.keys(container);
    if (keys.length === 0) return 2;
    if (depthLeft === 0 || keys.length * 6 > budget) return -1;
    let chars = 2;
    for (const key of keys) {
      const element = (container as JsonObject)[key];
      const elementChars =
        typeof element === 'object' && element !== null
          ? measureInline(element, depthLeft - 1, budget - chars)
          : scalarChars(element);
      if (elementChars < 0) return -1;
      chars += keywords.info(key).label.length + elementChars + 4;
      if (chars > budget) return -1;
    }
    return chars;
  };

  // The statistics of a container `measureInline` accepted (so: valid, small, shallow).
  const inlineStats = (container: object, keyClass: number): void => {
    if (Array.isArray(container)) {
      if (container.length > 0) scratch.arrays += 1;
      for (const element of container) {
        if (typeof element === 'object' && element !== null) inlineStats(element, keyClass);
        else measureScalar(element, keyClass, scratch);
      }
      return;
    }
    for (const key of Object.keys(container)) {
      const element = (container as JsonObject)[key];
      const childClass = keywords.info(key).keyClass;
      scratch.keys += 1;
      if (typeof element === 'object' && element !== null) inlineStats(element, childClass);
      else measureScalar(element, childClass, scratch);
    }
  };

  // Arrays of scalars render inline however long they are (split into index ranges later).
  const measureScalarArray = (array: readonly unknown[], keyClass: number): number => {
    let chars = 0;
    for (const element of array) {
      if (typeof element === 'object' && element !== null) return -1;
      const elementChars = measureScalar(element, keyClass, scratch);
      if (elementChars < 0) return -1;
      chars += elementChars + 2;
    }
    scratch.arrays += 1;
    return chars;
  };

  const createNode = (options: {
    value: JsonObject | readonly unknown[];
    parent: TreeNode | undefined;
    key: PathSegment | undefined;
    keyClass: number;
    /** JSON characters of the node's key in its parent (`"key":`) and the comma before it. */
    keyJson: number;
  }): TreeNode => {
    const depth = options.parent === undefined ? 0 : options.parent.depth + 1;
    const isArray = Array.isArray(options.value);
    const stats = emptyStats();
    if (isArray) stats.arrays = 1;
    return {
      value: options.value,
      isArray,
      parent: options.parent,
      key: options.key,
      depth,
      keyClass: options.keyClass,
      children: [],
      keys: isArray ? undefined : Object.keys(options.value),
      ownEntries: 0,
      chars: 0,
      jsonChars: 2,
      ownChars: 0,
      ownJson: 2 + options.keyJson,
      sections: 0,
      maxDepth: depth,
      largeArrayChars: 0,
      semanticKeys: 0,
      stats,
    };
  };

  const enter = (node: TreeNode): Frame => {
    if (onPath.has(node.value)) throw unsupported(node.value, nodeSegments(node), 'it contains itself');
    onPath.add(node.value);
    return { node, keys: node.keys, index: 0, inRun: false };
  };

  if (typeof value !== 'object' || value === null) {
    if (measureScalar(value, 0, emptyStats()) < 0) throw unsupported(value, [], describeUnsupported(value));
    return { config, keywords, root: undefined, rootValue: value, distinctKeys };
  }
  if (!Array.isArray(value) && !isPlainObject(value)) throw unsupported(value, [], 'not a plain object');
  const isEmpty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  // An empty container, or an array short enough (or scalar enough) for one line, is one value.
  const isOneLine =
    isEmpty ||
    (Array.isArray(value) &&
      (measureScalarArray(value, 0) >= 0 || measureInline(value, maxInlineDepth, inlineLimit) >= 0));
  if (isOneLine) return { config, keywords, root: undefined, rootValue: value, distinctKeys };

  const root = createNode({
    value: value as JsonObject,
    parent: undefined,
    key: undefined,
    keyClass: 0,
    keyJson: 0,
  });
  const stack: Frame[] = [enter(root)];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const node = frame.node;
    const length = frame.keys === undefined ? (node.value as unknown[]).length : frame.keys.length;
    if (frame.index >= length) {
      stack.pop();
      onPath.delete(node.value);
      finishNode(node, minArrayLength);
      continue;
    }
    const index = frame.index;
    frame.index += 1;
    let key: PathSegment;
    let child: unknown;
    let childClass: number;
    let labelChars: number;
    let keyJson = 1;
    if (frame.keys === undefined) {
      key = index;
      child = (node.value as unknown[])[index];
      childClass = node.keyClass;
      // Elements join run lines: the first pays the `a-b: ` label, the others a `, `.
      labelChars = frame.inRun ? 0 : 2 * String(index).length + 3;
    } else {
      const name = frame.keys[index]!;
      const info = keywords.info(name);
      key = name;
      child = (node.value as JsonObject)[name];
      childClass = info.keyClass;
      labelChars = info.label.length + 2;
      node.stats.keys += 1;
      node.jsonChars += name.length + 3;
      keyJson += name.length + 3;
      if (childClass & semanticKey) node.semanticKeys += 1;
      if (distinctKeys.size < distinctKeyLimit) distinctKeys.add(name);
    }
    node.jsonChars += 1;

    if (typeof child !== 'object' || child === null) {
      resetStats(scratch);
      const chars = measureScalar(child, childClass, scratch);
      if (chars < 0) throw unsupported(child, [...nodeSegments(node), key], describeUnsupported(child));
      addStats(node.stats, scratch);
      node.ownEntries += 1;
      node.chars += labelChars + chars + 1;
      node.jsonChars += typeof child === 'string' ? chars + 2 : chars;
      node.ownChars += labelChars + chars + 1;
      node.ownJson += keyJson + (typeof child === 'string' ? chars + 2 : chars);
      frame.inRun = frame.keys === undefined;
      continue;
    }

    resetStats(scratch);
    let inlineChars = -1;
    if (Array.isArray(child)) {
      inlineChars = measureScalarArray(child, childClass);
      if (inlineChars < 0) {
        resetStats(scratch);
        inlineChars = measureInline(child, maxInlineDepth, inlineLimit - labelChars);
        if (inlineChars >= 0) inlineStats(child, childClass);
      } else if (child.length >= minArrayLength) {
        node.largeArrayChars += inlineChars;
      }
    } else if (isPlainObject(child)) {
      inlineChars = measureInline(child, maxInlineDepth, inlineLimit - labelChars);
      if (inlineChars >= 0) inlineStats(child, childClass);
    } else {
      throw unsupported(child, [...nodeSegments(node), key], 'not a plain object');
    }
    if (inlineChars >= 0 && !onPath.has(child)) {
      addStats(node.stats, scratch);
      node.ownEntries += 1;
      node.chars += labelChars + inlineChars + 1;
      node.jsonChars += inlineChars;
      node.ownChars += labelChars + inlineChars + 1;
      node.ownJson += keyJson + inlineChars;
      frame.inRun = frame.keys === undefined;
      continue;
    }
    frame.inRun = false;
    const childNode = createNode({
      value: child as JsonObject,
      parent: node,
      key,
      keyClass: childClass,
      keyJson,
    });
    node.children.push(childNode);
    stack.push(enter(childNode));
  }
  return { config, keywords, root, rootValue: value, distinctKeys };
}

function describeUnsupported(value: unknown): string {
  if (typeof value === 'number') return `${value} is not a finite number`;
  if (typeof value === 'object' && value !== null) return 'not a plain object';
  return `a ${typeof value}`;
}

function finishNode(node: TreeNode, minArrayLength: number): void {
  if (node.ownEntries > 0) node.sections += 1;
  if (node.isArray && (node.value as unknown[]).length >= minArrayLength) node.largeArrayChars = node.chars;
  const parent = node.parent;
  if (parent === undefined) return;
  parent.chars += node.chars;
  parent.jsonChars += node.jsonChars;
  parent.sections += node.sections;
  parent.semanticKeys += node.semanticKeys;
  parent.largeArrayChars += node.largeArrayChars;
  if (node.maxDepth > parent.maxDepth) parent.maxDepth = node.maxDepth;
  addStats(parent.stats, node.stats);
}

/** Tokens a subtree is expected to take when rendered inline (conservative: 3.2 chars per token). */
export function estimateTokens(node: TreeNode): number {
  return Math.ceil((node.chars + node.sections * 24) / 3.2);
}
