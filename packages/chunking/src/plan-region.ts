// Turns one region into a tree of blocks, deciding for every nested node whether it stays inline
// (as a `[relative.path]` section of this region) or becomes a region of its own. That decision is
// the strategy: `flat` cuts only what does not fit, `hierarchical` also cuts natural units and
// leaves a reference line in their place, `semantic` cuts meaning-dense units and keeps related
// keys together, `dimensional` cuts large arrays into row slices, `hybrid` routes each top-level
// section to the strategy that suits it.
import type { Budgets } from './budgets.js';
import type { ChunkingConfig } from './config.js';
import { type DocumentTree, estimateTokens, type JsonObject, type TreeNode } from './document-tree.js';
import { type PathSegment, relativePath } from './json-path.js';
import { labelOf } from './label.js';
import type { LeafOptions, LeafSite, Line, LineFactory } from './line.js';
import { type Block, createBlock, type Region, sealBlock } from './region.js';
import { groupBlocks, groupLines } from './semantic-groups.js';
import { tableRow } from './table-rows.js';
import type { ChunkingStrategy } from './types.js';

/** Sections nest at most this deep inside one region; deeper nodes start their own region. */
const maxRelativeDepth = 6;
/** Longest relative path of a section line, in characters. */
const maxRelativePathChars = 160;
/** Most text per character of compact JSON that sections may bring a node to (the README's bound). */
const duplicationBound = 1.6;
/** Keys listed in a hierarchical reference line. */
const referenceKeys = 6;
const referenceKeyChars = 24;

export interface PlanContext {
  readonly tree: DocumentTree;
  readonly factory: LineFactory;
  readonly budgets: Budgets;
  readonly config: ChunkingConfig;
  /** Registers a new region (cut from `parent`) and returns it. */
  readonly addRegion: (options: {
    root: TreeNode;
    /** Where it is cut from (a region, or the document) and the segments from there to its root. */
    from: { readonly segments: readonly PathSegment[]; readonly path: string };
    relative: readonly PathSegment[];
    planner: ChunkingStrategy;
    parent: Region | undefined;
  }) => Region;
  /** Hybrid: the strategy a top-level section should be chunked with. */
  readonly route: (node: TreeNode) => ChunkingStrategy;
}

/** Follows single-child nodes without lines of their own, which would only make empty chunks. */
export function skipPassThrough(node: TreeNode, segments: PathSegment[]): TreeNode {
  let current = node;
  while (current.ownEntries === 0 && current.children.length === 1) {
    current = current.children[0]!;
    segments.push(current.key!);
  }
  return current;
}

/** 0–1 share of meaning-bearing content in a subtree (README: "semantic score"). */
export function semanticScore(node: TreeNode): number {
  const stats = node.stats;
  if (stats.leaves === 0) return 0;
  const text = stats.valueChars > 0 ? Math.min(1, stats.naturalChars / stats.valueChars) : 0;
  const meaning = stats.meaning / stats.leaves;
  return 0.5 * text + 0.3 * meaning + 0.2 * Math.min(1, node.semanticKeys / 3);
}

function isLargeArray(node: TreeNode, config: ChunkingConfig): boolean {
  return node.isArray && (node.value as unknown[]).length >= config.thresholds.minArrayLength;
}

function isNaturalUnit(node: TreeNode, config: ChunkingConfig): boolean {
  if (estimateTokens(node) < config.thresholds.minUnitTokens) return false;
  if (node.isArray) return node.children.length >= 2;
  const keys = node.keys?.length ?? 0;
  return keys >= config.thresholds.minUnitKeys || (node.ownEntries >= 2 && node.children.length > 0);
}

export function planRegion(region: Region, context: PlanContext): Block {
  return region.sliced && region.columns !== undefined
    ? planTable(region, context)
    : planNode({ region, node: region.root, relative: [], elements: undefined, section: undefined, context });
}

interface NodeVisit {
  readonly region: Region;
  readonly node: TreeNode;
  /** Path of `node` relative to the region root. */
  readonly relative: readonly PathSegment[];
  readonly elements: readonly [number, number] | undefined;
  /** Section line text of the node (undefined for the region root and nodes without lines). */
  readonly section: string | undefined;
  readonly context: PlanContext;
}

/** `[targeting.geographic]`; a path that starts with an index is already bracketed: `[3].name`. */
export function sectionText(relative: readonly PathSegment[]): string {
  const path = relativePath(relative);
  return path.startsWith('[') ? path : `[${path}]`;
}

function sectionLine(visit: NodeVisit): Line {
  const last = visit.relative[visit.relative.length - 1];
  // Nodes without lines of their own get one when they hold reference lines.
  const text = visit.section ?? sectionText(visit.relative);
  return visit.context.factory.structural(text, typeof last === 'string' ? { keys: [last] } : {});
}

function wantsDetach(options: {
  visit: NodeVisit;
  child: TreeNode;
  relative: readonly PathSegment[];
  section: string | undefined;
}): boolean {
  const { visit, child, relative, section } = options;
  const { region, context } = visit;
  const { config, budgets } = context;
  if (relative.length > maxRelativeDepth) return true;
  if (section !== undefined) {
    if (section.length > maxRelativePathChars + 2) return true;
    // The section line must be paid for by the node's own content: its lines plus the section stay
    // within 1.6 × the JSON they render, or the node gets its own chunk (headers are free).
    if (section.length + 1 > duplicationBound * child.ownJson - child.ownChars) return true;
    if (section.length * 3 + 4 > budgets.section && context.factory.lineTokens(section) > budgets.section)
      return true;
  }
  // A node that is only a link in a chain (one big child, at most one line of its own) stays inline
  // even when it does not fit: cutting there would make a chunk per level of a deep chain.
  const fits =
    estimateTokens(child) <= budgets.content || (child.ownEntries <= 1 && child.children.length === 1);
  switch (region.planner) {
    case 'flat':
      return !fits;
    case 'hierarchical':
      return !fits || isNaturalUnit(child, config);
    case 'semantic':
      return (
        !fits ||
        (estimateTokens(child) >= config.thresholds.minUnitTokens &&
          semanticScore(child) >= config.thresholds.semanticScore)
      );
    case 'dimensional':
      return !fits || isLargeArray(child, config);
    case 'hybrid':
      return !fits || (child.depth === 1 && estimateTokens(child) >= config.thresholds.minSectionTokens);
  }
}

function referenceLine(options: {
  label: string;
  target: TreeNode;
  via: readonly PathSegment[];
  region: Region;
  factory: LineFactory;
  /** Characters the reference may take (see `planNode`). */
  affordable: number;
}): Line | undefined {
  const { target, factory } = options;
  const via = options.via.length > 0 ? `${relativePath(options.via)}: ` : '';
  let summary: string;
  if (target.isArray) {
    summary = `${(target.value as unknown[]).length} items`;
  } else {
    const keys = target.keys ?? [];
    const shown = keys
      .slice(0, referenceKeys)
      .map((key) => {
        const label = labelOf(key);
        return label.length > referenceKeyChars ? `${label.slice(0, referenceKeyChars - 1)}…` : label;
      })
      .join(', ');
    summary = `${keys.length} keys: ${shown}${keys.length > referenceKeys ? ', …' : ''}`;
  }
  const affordable = Math.min(factory.budgets.line * 3, options.affordable) - 1;
  const reference = { reference: options.region.index };
  const full = `${options.label}: → ${via}${summary}`;
  if (full.length <= affordable) {
    const line = factory.structural(full, reference);
    if (line.tokens <= factory.budgets.line) return line;
  }
  const short = `${options.label}: → (own chunk)`;
  return short.length <= affordable ? factory.structural(short, reference) : undefined;
}

/** What `planNode` collects for one node while it walks the node's entries. */
interface NodeState {
  readonly lines: Line[];
  readonly childBlocks: Block[];
  /** Characters the node can still spend on reference lines (computed at the first one). */
  slack: number | undefined;
}

/** A nested node: inline as a section of this region, or cut off as a region of its own. */
function planChild(options: { visit: NodeVisit; state: NodeState; child: TreeNode; key: PathSegment }): void {
  const { visit, state, child, key } = options;
  const { region, node, relative, context } = visit;
  const isRegionRoot = relative.length === 0;
  const childRelative = [...relative, key];
  const childElements =
    visit.elements ??
    (isRegionRoot && node.isArray ? ([key as number, (key as number) + 1] as const) : undefined);
  const section = child.ownEntries > 0 ? sectionText(childRelative) : undefined;
  if (!wantsDetach({ visit, child, relative: childRelative, section })) {
    state.childBlocks.push(
      planNode({ region, node: child, relative: childRelative, elements: childElements, section, context }),
    );
    return;
  }
  const via: PathSegment[] = [];
  const target = skipPassThrough(child, via);
  const planner = region.planner === 'hybrid' && child.depth === 1 ? context.route(child) : region.planner;
  const created = context.addRegion({
    root: target,
    from: region,
    relative: [...childRelative, ...via],
    planner,
    parent: region.planner === 'flat' ? undefined : region,
  });
  if (region.planner !== 'hierarchical') return;
  // A reference is paid for like a section line: by the slack the child's own content leaves
  // under the duplication bound (a cut-off child has no section line), topped up from the slack
  // of the node holding the reference, so that no node's slack is spent twice.
  if (state.slack === undefined) {
    const ownSection = isRegionRoot ? 0 : (visit.section ?? sectionText(relative)).length + 1;
    state.slack = duplicationBound * node.ownJson - node.ownChars - ownSection;
  }
  const childSlack = duplicationBound * target.ownJson - target.ownChars;
  const reference = referenceLine({
    label: typeof key === 'number' ? String(key) : labelOf(key),
    target,
    via,
    region: created,
    factory: context.factory,
    affordable: state.slack + childSlack,
  });
  if (reference !== undefined) {
    state.lines.push(reference);
    state.slack = Math.min(state.slack, state.slack + childSlack - reference.text.length - 1);
  }
}

/** One options object for every entry of a node, updated per entry. */
function nodeLeaf(visit: NodeVisit): LeafOptions {
  const site: LeafSite = { base: visit.region.segments, relative: visit.relative, elements: visit.elements };
  return { label: '', key: undefined, related: undefined, keyClass: visit.node.keyClass, site };
}

/** An array node's elements: runs of small elements go on `3-9: …` lines, nested nodes are planned. */
function planArrayEntries(visit: NodeVisit, state: NodeState): void {
  const { node, relative, context } = visit;
  const leaf = nodeLeaf(visit);
  const array = node.value as readonly unknown[];
  const children = node.children;
  let next = 0;
  let runStart = -1;
  for (let index = 0; index <= array.length; index += 1) {
    const child = children[next];
    const isNode = index < array.length && child !== undefined && child.key === index;
    if ((isNode || index === array.length) && runStart >= 0) {
      const range = {
        values: array.slice(runStart, index),
        offset: runStart,
        wholeLabel: undefined,
        rangePrefix: undefined,
        leaf,
        trackElements: relative.length === 0,
      };
      context.factory.rangeLines(range, state.lines);
      runStart = -1;
    }
    if (isNode) {
      next += 1;
      planChild({ visit, state, child, key: index });
    } else if (index < array.length && runStart < 0) {
      runStart = index;
    }
  }
}

/** An object node's entries: values as lines, nested nodes planned. */
function planObjectEntries(visit: NodeVisit, state: NodeState): void {
  const { node, context } = visit;
  const leaf = nodeLeaf(visit);
  const object = node.value as JsonObject;
  const children = node.children;
  let next = 0;
  for (const key of node.keys!) {
    const child = children[next];
    if (child !== undefined && child.key === key) {
      next += 1;
      planChild({ visit, state, child, key });
      continue;
    }
    const info = context.tree.keywords.info(key);
    leaf.label = info.label;
    leaf.key = key;
    leaf.related = info.related;
    leaf.keyClass = info.keyClass;
    context.factory.valueLines(object[key], leaf, state.lines);
  }
}

function planNode(visit: NodeVisit): Block {
  const { region, node, relative, context } = visit;
  const isRegionRoot = relative.length === 0;
  const state: NodeState = { lines: [], childBlocks: [], slack: undefined };
  // Arrays and objects in functions of their own: in one, a document that shows its first array
  // node late (or its first object) threw away the optimized code of both loops, and a one-shot
  // `dje chunk` paid TurboFan ~15 ms for each recompile.
  if (node.isArray) planArrayEntries(visit, state);
  else planObjectEntries(visit, state);

  const { lines, childBlocks } = state;
  const block = createBlock({
    section: isRegionRoot || lines.length === 0 ? undefined : sectionLine(visit),
    elements: visit.elements,
    key: isRegionRoot ? undefined : relative[relative.length - 1],
    lines: region.planner === 'semantic' ? groupLines(lines) : lines,
    children: region.planner === 'semantic' ? groupBlocks(childBlocks, context.tree.keywords) : childBlocks,
  });
  return sealBlock(block);
}

/**
 * Dimensional slices of an array of records: a column line, repeated at the top of every chunk,
 * and one `index: cell | cell | …` line per row. Rows with large nested values fall back to
 * sections, and the column line comes back after them.
 */
function planTable(region: Region, context: PlanContext): Block {
  const { factory } = context;
  const node = region.root;
  const array = node.value as readonly unknown[];
  const columns = region.columns!;
  const header = factory.structural(`columns: ${columns.map(labelOf).join(' | ')}`, { keys: columns });
  const root = createBlock();
  let rows = createBlock({ section: header });
  const flushRows = (): void => {
    if (rows.lines.length === 0) return;
    root.children.push(sealBlock(rows));
    rows = createBlock({ section: header });
  };
  let next = 0;
  for (let index = 0; index < array.length; index += 1) {
    const element = array[index];
    const child = node.children[next];
    const isNode = child !== undefined && child.key === index;
    if (isNode) next += 1;
    const isRecord = typeof element === 'object' && element !== null && !Array.isArray(element);
    if (isRecord && (!isNode || child.children.length === 0)) {
      const row = tableRow({ element: element as JsonObject, index, columns, context });
      if (row !== undefined) {
        rows.lines.push(row);
        continue;
      }
    }
    if (isNode) {
      flushRows();
      root.children.push(
        planNode({
          region,
          node: child,
          relative: [index],
          elements: [index, index + 1],
          section: child.ownEntries > 0 ? sectionText([index]) : undefined,
          context,
        }),
      );
      continue;
    }
    factory.rangeLines(
      {
        values: [element],
        offset: index,
        wholeLabel: undefined,
        rangePrefix: undefined,
        leaf: {
          label: '',
          key: undefined,
          related: undefined,
          keyClass: node.keyClass,
          site: { base: region.segments, relative: [], elements: undefined },
        },
        trackElements: true,
      },
      rows.lines,
    );
  }
  flushRows();
  return sealBlock(root);
}
