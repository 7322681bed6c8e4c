// The first pass's result: the nodes of a document that render as sections of their own (every
// container not small enough to go inline), with sizes and content statistics summed bottom-up so
// that no strategy ever re-measures a subtree. `buildDocumentTree` builds it.
import type { ChunkingConfig } from './config.js';
import type { ContentStats } from './content-stats.js';
import type { PathSegment } from './json-path.js';
import type { KeywordIndex } from './keyword-index.js';

export type JsonObject = Record<string, unknown>;
export type Scalar = string | number | boolean | null;

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

/** Segments from the root to a node (for error messages and paths). */
export function nodeSegments(node: TreeNode | undefined): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let current = node; current?.key !== undefined; current = current.parent) segments.push(current.key);
  return segments.reverse();
}

/** Tokens a subtree is expected to take when rendered inline (conservative: 3.2 chars per token). */
export function estimateTokens(node: TreeNode): number {
  return Math.ceil((node.chars + node.sections * 24) / 3.2);
}
