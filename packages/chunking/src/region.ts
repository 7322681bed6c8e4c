// Regions and blocks: the shapes between planning and packing. A region is a subtree that starts
// its own chunks (its path goes into their header); a block is a group of lines that should stay in
// one chunk when it fits (one object's keys, one nested section, one related group).
import type { TreeNode } from './document-tree.js';
import type { PathSegment } from './json-path.js';
import type { Line } from './line.js';
import type { ChunkingStrategy } from './types.js';

export interface Region {
  /** Creation order; reference lines point at regions by this index. */
  readonly index: number;
  readonly root: TreeNode;
  /** Absolute path of the root, as segments and as a JSONPath (built incrementally: deep documents). */
  readonly segments: readonly PathSegment[];
  readonly path: string;
  /** The planner that decides what is inline and what becomes a region below this one. */
  readonly planner: ChunkingStrategy;
  /** The region this one was cut from (undefined for the top region and in `flat`). */
  readonly parent: Region | undefined;
  /** Whether the region renders as row-range slices of a large array (dimensional). */
  readonly sliced: boolean;
  /** Table column keys, when the slices render as a table. */
  columns: readonly string[] | undefined;
  /** Index (within the parent's chunks) of the chunk holding this region's reference line. */
  parentChunk: number;
}

export interface Block {
  /** Printed before the block's own lines, again at the top of every chunk it continues in. */
  readonly section: Line | undefined;
  readonly lines: Line[];
  readonly children: Block[];
  /** Array elements `[start, end)` the block belongs to, in an array region. */
  readonly elements: readonly [number, number] | undefined;
  /** Key or index of the node the block renders, if it renders one. */
  readonly key: PathSegment | undefined;
  /** Tokens of the whole block: section (if it has lines), lines, children. */
  tokens: number;
}

export function createBlock(
  options: {
    section?: Line | undefined;
    elements?: readonly [number, number] | undefined;
    key?: PathSegment | undefined;
    lines?: Line[];
    children?: Block[];
  } = {},
): Block {
  return {
    section: options.section,
    lines: options.lines ?? [],
    children: options.children ?? [],
    elements: options.elements,
    key: options.key,
    tokens: 0,
  };
}

/** Sets `tokens` from the block's parts (children must be final). */
export function sealBlock(block: Block): Block {
  let tokens = block.section !== undefined && block.lines.length > 0 ? block.section.tokens : 0;
  for (const line of block.lines) tokens += line.tokens;
  for (const child of block.children) tokens += child.tokens;
  block.tokens = tokens;
  return block;
}
