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

/** Sum of the `tokens` of lines or blocks. */
function sumTokens(items: readonly { readonly tokens: number }[]): number {
  let tokens = 0;
  for (let index = 0; index < items.length; index += 1) tokens += items[index]!.tokens;
  return tokens;
}

/** Sets `tokens` from the block's parts (children must be final). */
export function sealBlock(block: Block): Block {
  const { section, lines, children } = block;
  // Children summed by the same function as lines: written out inline (as a `for…of` or an indexed
  // loop), V8 optimized this function before any block had children and then bailed out of it at
  // every block that had some, without recompiling (1,087 times on the varied bench document, 40%
  // of its time).
  block.tokens =
    (section !== undefined && lines.length > 0 ? section.tokens : 0) +
    sumTokens(lines) +
    (children.length > 0 ? sumTokens(children) : 0);
  return block;
}
