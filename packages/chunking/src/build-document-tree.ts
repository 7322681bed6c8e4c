// First pass over a document: one iterative walk (no recursion, so 5,000 levels of nesting are
// fine) that validates the value, decides which nested values are small enough to render inline on
// their parent's line, and sums sizes and content statistics bottom-up so that no strategy ever
// re-measures a subtree. Sizes are estimates of the rendered text; exact token counts come later,
// once, for the lines that are actually rendered.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import type { ChunkingConfig } from './config.js';
import { addStats, emptyStats, measureScalar, resetStats } from './content-stats.js';
import { type DocumentTree, type JsonObject, nodeSegments, type TreeNode } from './document-tree.js';
import { jsonPath, type PathSegment } from './json-path.js';
import { type KeywordIndex, keywordIndex, semanticKey } from './keyword-index.js';

const distinctKeyLimit = 10_000;
/** Inline renderings nest at most this deep (`{a: [1, {b: 2}]}` is depth 3). */
const maxInlineDepth = 3;

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

interface Frame {
  readonly node: TreeNode;
  readonly keys: readonly string[] | undefined;
  index: number;
  /** Whether the previous array element went into a run line (`3-9: a, b, …`) that this one joins. */
  inRun: boolean;
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
  const walk = new TreeWalk(config, options.inlineChars);
  const root = walk.rootNode(value);
  if (root !== undefined) walk.walk(root);
  return { config, keywords: walk.keywords, root, rootValue: value, distinctKeys: walk.distinctKeys };
}

/**
 * The state of one `buildDocumentTree` walk. The entry being read is held in fields (`key` to
 * `keyJson`) rather than passed around, so that measuring an entry allocates nothing.
 */
class TreeWalk {
  readonly keywords: KeywordIndex;
  readonly distinctKeys = new Set<string>();
  private readonly inlineLimit: number;
  private readonly minArrayLength: number;
  /** Statistics of the entry being measured, added to its node once it is a line of the node. */
  private readonly scratch = emptyStats();
  /** Containers from the root to the node being walked: meeting one again is a cycle. */
  private readonly onPath = new Set<object>();
  /** Key or index of the entry being read. */
  private key: PathSegment = 0;
  /** Meaning class of the entry's key (array elements inherit their array's). */
  private childClass = 0;
  /** Characters of the entry's label on its line. */
  private labelChars = 0;
  /** JSON characters of the entry's key (`"key":`) and the comma before it. */
  private keyJson = 0;

  constructor(config: ChunkingConfig, inlineChars: number) {
    this.keywords = keywordIndex(config);
    this.inlineLimit = inlineChars;
    this.minArrayLength = config.thresholds.minArrayLength;
  }

  /** Validates the document's top; undefined when it is one value (a scalar, or one short line). */
  rootNode(value: unknown): TreeNode | undefined {
    if (typeof value !== 'object' || value === null) {
      if (measureScalar(value, 0, emptyStats()) < 0) throw unsupported(value, [], describeUnsupported(value));
      return undefined;
    }
    if (!Array.isArray(value) && !isPlainObject(value)) throw unsupported(value, [], 'not a plain object');
    const isEmpty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    // An empty container, or an array short enough (or scalar enough) for one line, is one value.
    const isOneLine =
      isEmpty ||
      (Array.isArray(value) &&
        (this.measureScalarArray(value, 0) >= 0 ||
          this.measureInline(value, 0, maxInlineDepth, this.inlineLimit) >= 0));
    if (isOneLine) return undefined;
    return createNode({
      value: value as JsonObject,
      parent: undefined,
      key: undefined,
      keyClass: 0,
      keyJson: 0,
    });
  }

  walk(root: TreeNode): void {
    const stack: Frame[] = [this.enter(root)];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const node = frame.node;
      const length = frame.keys === undefined ? (node.value as unknown[]).length : frame.keys.length;
      if (frame.index >= length) {
        stack.pop();
        this.onPath.delete(node.value);
        finishNode(node, this.minArrayLength);
        continue;
      }
      const child = this.readEntry(frame);
      if (typeof child !== 'object' || child === null) this.addScalar(frame, child);
      else if (!this.addInline(frame, child)) stack.push(this.enterChild(frame, child));
    }
  }

  private enter(node: TreeNode): Frame {
    if (this.onPath.has(node.value)) throw unsupported(node.value, nodeSegments(node), 'it contains itself');
    this.onPath.add(node.value);
    return { node, keys: node.keys, index: 0, inRun: false };
  }

  /** Moves a frame to its next entry: sets the entry fields, counts the key, returns the value. */
  private readEntry(frame: Frame): unknown {
    const node = frame.node;
    const index = frame.index;
    frame.index += 1;
    node.jsonChars += 1;
    this.keyJson = 1;
    if (frame.keys === undefined) {
      this.key = index;
      this.childClass = node.keyClass;
      // Elements join run lines: the first pays the `a-b: ` label, the others a `, `.
      this.labelChars = frame.inRun ? 0 : 2 * String(index).length + 3;
      return (node.value as unknown[])[index];
    }
    const name = frame.keys[index]!;
    const info = this.keywords.info(name);
    this.key = name;
    this.childClass = info.keyClass;
    this.labelChars = info.label.length + 2;
    node.stats.keys += 1;
    node.jsonChars += name.length + 3;
    this.keyJson += name.length + 3;
    if (info.keyClass & semanticKey) node.semanticKeys += 1;
    if (this.distinctKeys.size < distinctKeyLimit) this.distinctKeys.add(name);
    return (node.value as JsonObject)[name];
  }

  private addScalar(frame: Frame, child: unknown): void {
    resetStats(this.scratch);
    const chars = measureScalar(child, this.childClass, this.scratch);
    if (chars < 0)
      throw unsupported(child, [...nodeSegments(frame.node), this.key], describeUnsupported(child));
    this.addLine(frame, chars, typeof child === 'string' ? chars + 2 : chars);
  }

  /** Adds a container entry as a line of its node when it is small enough; false when it is not. */
  private addInline(frame: Frame, child: object): boolean {
    resetStats(this.scratch);
    let inlineChars = -1;
    if (Array.isArray(child)) {
      inlineChars = this.measureScalarArray(child, this.childClass);
      if (inlineChars < 0) {
        resetStats(this.scratch);
        inlineChars = this.measureInline(
          child,
          this.childClass,
          maxInlineDepth,
          this.inlineLimit - this.labelChars,
        );
      } else if (child.length >= this.minArrayLength) {
        frame.node.largeArrayChars += inlineChars;
      }
    } else if (isPlainObject(child)) {
      inlineChars = this.measureInline(
        child,
        this.childClass,
        maxInlineDepth,
        this.inlineLimit - this.labelChars,
      );
    } else {
      throw unsupported(child, [...nodeSegments(frame.node), this.key], 'not a plain object');
    }
    if (inlineChars < 0 || this.onPath.has(child)) return false;
    this.addLine(frame, inlineChars, inlineChars);
    return true;
  }

  /** Adds the entry just measured (its statistics in `scratch`) as one line of its node. */
  private addLine(frame: Frame, chars: number, json: number): void {
    const node = frame.node;
    addStats(node.stats, this.scratch);
    node.ownEntries += 1;
    node.chars += this.labelChars + chars + 1;
    node.jsonChars += json;
    node.ownChars += this.labelChars + chars + 1;
    node.ownJson += this.keyJson + json;
    frame.inRun = frame.keys === undefined;
  }

  /** Makes the entry a node of its own, whose frame is walked next. */
  private enterChild(frame: Frame, child: object): Frame {
    frame.inRun = false;
    const childNode = createNode({
      value: child as JsonObject,
      parent: frame.node,
      key: this.key,
      keyClass: this.childClass,
      keyJson: this.keyJson,
    });
    frame.node.children.push(childNode);
    return this.enter(childNode);
  }

  // Renders nothing: measures how long the inline rendering of a container would be, or -1 when it
  // is too long, too deep, or holds something that is not JSON (the node walk then reports it). Its
  // statistics go into `scratch` on the way, in the order rendering meets the leaves; a container
  // found too long leaves partial ones there, which the caller drops (it becomes a node). One pass:
  // measuring first and counting the accepted containers again read every inline object twice and
  // asked for its keys twice (an array each time), a tenth of a mixed document's allocation.
  private measureInline(container: object, keyClass: number, depthLeft: number, budget: number): number {
    const scratch = this.scratch;
    if (Array.isArray(container)) {
      if (container.length === 0) return 2;
      if (depthLeft === 0) return -1;
      scratch.arrays += 1;
      let chars = 2;
      for (const element of container) {
        const elementChars =
          typeof element === 'object' && element !== null
            ? this.measureInline(element, keyClass, depthLeft - 1, budget - chars)
            : measureScalar(element, keyClass, scratch);
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
      const info = this.keywords.info(key);
      scratch.keys += 1;
      const elementChars =
        typeof element === 'object' && element !== null
          ? this.measureInline(element, info.keyClass, depthLeft - 1, budget - chars)
          : measureScalar(element, info.keyClass, scratch);
      if (elementChars < 0) return -1;
      chars += info.label.length + elementChars + 4;
      if (chars > budget) return -1;
    }
    return chars;
  }

  // Arrays of scalars render inline however long they are (split into index ranges later).
  private measureScalarArray(array: readonly unknown[], keyClass: number): number {
    let chars = 0;
    for (const element of array) {
      if (typeof element === 'object' && element !== null) return -1;
      const elementChars = measureScalar(element, keyClass, this.scratch);
      if (elementChars < 0) return -1;
      chars += elementChars + 2;
    }
    this.scratch.arrays += 1;
    return chars;
  }
}

function createNode(options: {
  value: JsonObject | readonly unknown[];
  parent: TreeNode | undefined;
  key: PathSegment | undefined;
  keyClass: number;
  /** JSON characters of the node's key in its parent (`"key":`) and the comma before it. */
  keyJson: number;
}): TreeNode {
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
