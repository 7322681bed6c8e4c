// From a document tree to finished chunks: plans regions depth-first (a region's chunks come right
// before the regions cut from it, so output follows the document), packs each region's blocks, and
// fills every column: ids, header + text, exact token counts, paths, hierarchy, statistics.
import type { Budgets } from './budgets.js';
import { chunkHeader } from './chunk-header.js';
import { chunkId, chunkIdOwner } from './chunk-id.js';
import { addStats, type ContentStats, emptyStats } from './content-stats.js';
import type { DocumentTree, TreeNode } from './document-tree.js';
import { appendPath, type PathSegment, storablePath } from './json-path.js';
import type { Line, LineFactory, StringPart } from './line.js';
import { type Draft, packBlocks } from './pack-blocks.js';
import { type PlanContext, planRegion, skipPassThrough } from './plan-region.js';
import { type Block, createBlock, type Region, sealBlock } from './region.js';
import { tableColumns } from './table-rows.js';
import type { Chunk, ChunkingStrategy } from './types.js';

export interface BuildOptions {
  readonly tree: DocumentTree;
  readonly strategy: ChunkingStrategy;
  readonly confidence: number;
  readonly documentId: string;
  readonly collectionName: string | undefined;
  readonly budgets: Budgets;
  readonly factory: LineFactory;
  /** Hybrid: strategy for one top-level section. */
  readonly route: (node: TreeNode) => ChunkingStrategy;
}

type MutableChunk = { -readonly [Key in keyof Chunk]: Chunk[Key] } & { metadata: Record<string, unknown> };

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
const maxListedChildren = 200;

// Only the chunks are kept per region: holding the drafts (every rendered line) until the whole
// document is done kept ~100 MB alive on a 5 MB document and made garbage collection a quarter of
// the time.
interface RegionOutput {
  readonly region: Region;
  readonly chunks: MutableChunk[];
}

function contentType(options: {
  region: Region | undefined;
  stats: ContentStats;
  references: number;
}): string {
  const { region, stats } = options;
  if (region === undefined) return stats.leaves === 0 ? 'empty' : 'scalar';
  if (region.sliced) return 'array_slice';
  if (stats.leaves === 0 && options.references > 0) return 'summary';
  if (stats.valueChars > 0 && stats.naturalChars / stats.valueChars >= 0.5) return 'text';
  if (stats.leaves >= 2 && stats.numbers / stats.leaves >= 0.6) return 'metrics';
  return region.root.isArray ? 'array' : 'object';
}

function suffixFor(options: {
  draft: Draft;
  region: Region | undefined;
  part: number;
  parts: number;
}): string {
  const { draft, region } = options;
  if (region?.root.isArray && draft.elementStart >= 0) {
    const total = (region.root.value as unknown[]).length;
    const covers = draft.elementStart > 0 || draft.elementEnd < total;
    if (covers || options.parts > 1) {
      const noun = region.sliced ? 'rows' : 'items';
      const last = Math.max(draft.elementStart, draft.elementEnd - 1);
      const range = last === draft.elementStart ? `${draft.elementStart}` : `${draft.elementStart}–${last}`;
      return ` · ${noun} ${range} of ${total}`;
    }
  }
  return options.parts > 1 ? ` · part ${options.part} of ${options.parts}` : '';
}

export function buildChunks(options: BuildOptions): Chunk[] {
  const { tree, budgets, factory } = options;
  const owner = chunkIdOwner({ collectionName: options.collectionName, documentId: options.documentId });
  if (tree.root === undefined) return valueChunks(options, owner);

  const regions: Region[] = [];
  const context: PlanContext = {
    tree,
    factory,
    budgets,
    config: tree.config,
    route: options.route,
    addRegion: ({ root, from, relative, planner, parent }) => {
      const sliced =
        planner === 'dimensional' &&
        root.isArray &&
        (root.value as unknown[]).length >= tree.config.thresholds.minArrayLength;
      const region: Region = {
        index: regions.length,
        root,
        segments: [...from.segments, ...relative],
        path: appendPath(from.path, relative),
        planner,
        parent,
        sliced,
        columns: sliced ? tableColumns(root, tree.config) : undefined,
        parentChunk: -1,
      };
      regions.push(region);
      return region;
    },
  };
  const rootSegments: PathSegment[] = [];
  const rootNode = skipPassThrough(tree.root, rootSegments);
  context.addRegion({
    root: rootNode,
    from: { segments: [], path: '$' },
    relative: rootSegments,
    planner: options.strategy,
    parent: undefined,
  });

  const counter = factory.counter;
  const outputs: RegionOutput[] = [];
  const byRegion = new Map<Region, RegionOutput>();
  const pending: Region[] = [regions[0]!];
  while (pending.length > 0) {
    const region = pending.pop()!;
    const before = regions.length;
    const block: Block = planRegion(region, context);
    const drafts = packBlocks(block, { budget: budgets.content, counter });
    drafts.forEach((draft, index) => {
      for (const line of draft.lines) if (line.reference >= 0) regions[line.reference]!.parentChunk = index;
    });
    const chunks = finishDrafts({ build: options, owner, region, drafts });
    const output: RegionOutput = { region, chunks };
    outputs.push(output);
    byRegion.set(region, output);
    for (let index = regions.length - 1; index >= before; index -= 1) pending.push(regions[index]!);
  }

  linkHierarchy(outputs, byRegion);
  return outputs.flatMap((output) => output.chunks);
}

/** The drafts of one region (or of a document that is one value), to be finished into chunks. */
interface RegionDrafts {
  readonly build: BuildOptions;
  /** The part of the document's chunk ids before `#` (see `chunkIdOwner`). */
  readonly owner: string;
  /** Undefined for a document that is one value (a scalar, or one short line). */
  readonly region: Region | undefined;
  readonly drafts: readonly Draft[];
}

/** The chunks of a document that is one value: its one line, or the parts of a long string. */
function valueChunks(build: BuildOptions, owner: string): MutableChunk[] {
  const { tree, budgets, factory } = build;
  const counter = factory.counter;
  const block = createBlock();
  const value = tree.rootValue;
  factory.valueLines(
    value,
    {
      label: 'value',
      key: undefined,
      related: undefined,
      keyClass: 0,
      site: { base: [], relative: [], elements: undefined },
    },
    block.lines,
  );
  const only = block.lines[0];
  // A lone scalar needs no label: `42` reads as well as `value: 42` and costs nothing extra.
  if (block.lines.length === 1 && only !== undefined && only.text.startsWith('value: ')) {
    block.lines[0] = factory.contentLine(only.text.slice('value: '.length), only, undefined);
  }
  const drafts = packBlocks(sealBlock(block), { budget: budgets.content, counter });
  const chunks = finishDrafts({ build, owner, region: undefined, drafts });
  // A bare value may start with whitespace or punctuation that joins the header's line break.
  for (const chunk of chunks) chunk.token_count = counter.count(chunk.text);
  return chunks;
}

function finishDrafts(packed: RegionDrafts): MutableChunk[] {
  return packed.drafts.map((_, index) => draftChunk(packed, index));
}

/** A chunk's text (header first) and what its lines hold. */
interface SummedLines {
  readonly text: string;
  readonly stats: ContentStats;
  readonly keys: ReadonlySet<string>;
  readonly stringParts: StringPart[];
  /** Reference lines among them. */
  readonly references: number;
}

// Its own function: a branch first taken on a late chunk (the first string part, say) deoptimizes
// only this loop. Inside draftChunk it threw that large function's optimized code away, and each
// recompile cost a one-shot `dje chunk` ~20 ms of TurboFan time.
function sumLines(header: string, lines: readonly Line[]): SummedLines {
  const stats = emptyStats();
  const keys = new Set<string>();
  const stringParts: StringPart[] = [];
  const texts: string[] = [header];
  let references = 0;
  for (const line of lines) {
    texts.push(line.text);
    addStats(stats, line);
    if (line.key !== undefined) keys.add(line.key);
    if (line.innerKeys !== undefined) for (const key of line.innerKeys) keys.add(key);
    if (line.stringPart !== undefined) stringParts.push(line.stringPart);
    if (line.reference >= 0) references += 1;
  }
  return { text: texts.join('\n'), stats, keys, stringParts, references };
}

/** One chunk: header and text, paths, statistics and metadata (the hierarchy comes later). */
function draftChunk(packed: RegionDrafts, index: number): MutableChunk {
  const { build, region, drafts } = packed;
  const draft = drafts[index]!;
  const segments = region?.segments ?? [];
  const regionPath = region?.path ?? '$';
  const parts = drafts.length;
  const header = chunkHeader({
    documentId: build.documentId,
    segments,
    suffix: suffixFor({ draft, region, part: index + 1, parts }),
    budget: build.budgets.header,
    counter: build.factory.counter,
  });
  const { text, stats, keys, stringParts, references } = sumLines(header.text, draft.lines);
  const total = region?.root.isArray ? (region.root.value as unknown[]).length : 0;
  // Both comparisons on every call: one reached only on a later chunk made V8 throw away
  // draftChunk's optimized code (see `sumLines`).
  const startsInside = draft.elementStart > 0;
  const endsInside = draft.elementEnd < total;
  const sliceOf = region?.root.isArray && draft.elementStart >= 0 && (startsInside || endsInside);
  const fullPath = sliceOf ? `${regionPath}[${draft.elementStart}:${draft.elementEnd}]` : regionPath;
  const path = storablePath(fullPath);
  const originalKeys = [...keys];
  return {
    chunk_id: chunkId(packed.owner, parts > 1 ? `${regionPath}~${index + 1}` : regionPath),
    document_id: build.documentId,
    text,
    strategy: build.strategy,
    content_type: contentType({ region, stats, references }),
    path,
    parent_chunk_id: null,
    depth_level: segments.length,
    hierarchy_level: 0,
    semantic_density: stats.leaves > 0 ? round(stats.meaning / stats.leaves) : 0,
    confidence: build.confidence,
    chunk_size: Buffer.byteLength(text, 'utf8'),
    token_count: header.tokens + draft.tokens,
    key_count: stats.keys,
    contains_arrays: stats.arrays > 0 || region?.root.isArray === true,
    is_leaf: true,
    domain_tags: build.tree.keywords.domainTags(originalKeys),
    original_keys: originalKeys,
    metadata: draftMetadata({
      packed,
      index,
      headerLength: header.text.length + 1,
      total,
      stringParts,
      paths: { path, fullPath },
    }),
  };
}

/** A chunk's metadata; `child_chunk_ids` comes with the hierarchy. */
function draftMetadata(options: {
  packed: RegionDrafts;
  index: number;
  headerLength: number;
  /** Elements of the region's root array (0 when it is not an array). */
  total: number;
  stringParts: readonly StringPart[];
  /** The chunk's stored path and the full path it shortens (the same when short enough). */
  paths: { readonly path: string; readonly fullPath: string };
}): Record<string, unknown> {
  const { packed, index, total, stringParts, paths } = options;
  const { region, drafts } = packed;
  const draft = drafts[index]!;
  const metadata: Record<string, unknown> = { header_length: options.headerLength };
  if (drafts.length > 1) {
    metadata.part = index + 1;
    metadata.parts = drafts.length;
  }
  if (region?.root.isArray && draft.elementStart >= 0) {
    metadata.elements = { start: draft.elementStart, end: draft.elementEnd, total };
  }
  if (region?.columns !== undefined) metadata.columns = region.columns;
  if (stringParts.length > 0) metadata.string_parts = stringParts;
  if (paths.path !== paths.fullPath) metadata.full_path = paths.fullPath;
  if (packed.build.strategy === 'hybrid' && region !== undefined)
    metadata.routed_strategy = region.planner === 'hybrid' ? 'flat' : region.planner;
  return metadata;
}

/** Parent ids, hierarchy levels, `is_leaf` and the parents' child lists. */
function linkHierarchy(outputs: readonly RegionOutput[], byRegion: ReadonlyMap<Region, RegionOutput>): void {
  const levels = new Map<Region, number>();
  const childrenOf = new Map<string, string[]>();
  for (const output of outputs) {
    let parent = output.region.parent;
    let parentChunk = output.region.parentChunk;
    while (parent !== undefined && (byRegion.get(parent)?.chunks.length ?? 0) === 0) {
      parentChunk = parent.parentChunk;
      parent = parent.parent;
    }
    const parentOutput = parent === undefined ? undefined : byRegion.get(parent);
    const parentId = parentOutput?.chunks[Math.max(0, parentChunk)]?.chunk_id ?? null;
    const level = parent === undefined ? 0 : (levels.get(parent) ?? 0) + 1;
    levels.set(output.region, level);
    for (const chunk of output.chunks) {
      chunk.parent_chunk_id = parentId;
      chunk.hierarchy_level = level;
      if (parentId !== null) {
        const siblings = childrenOf.get(parentId);
        if (siblings === undefined) childrenOf.set(parentId, [chunk.chunk_id]);
        else siblings.push(chunk.chunk_id);
      }
    }
  }
  for (const output of outputs) {
    for (const chunk of output.chunks) {
      const children = childrenOf.get(chunk.chunk_id);
      if (children === undefined) continue;
      chunk.is_leaf = false;
      chunk.metadata.child_chunk_ids = children.slice(0, maxListedChildren);
      if (children.length > maxListedChildren) chunk.metadata.child_chunk_count = children.length;
    }
  }
}
