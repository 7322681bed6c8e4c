// The decision engine behind `auto` (and hybrid's per-section routing): eight document features in
// 0–1, one linear score per strategy with the config's weights, and a confidence that says how
// clearly the best strategy beat the runner-up.
import { type Budgets, budgetsFor } from './budgets.js';
import { buildDocumentTree } from './build-document-tree.js';
import { type ChunkingConfig, resolveConfig } from './config.js';
import { type DocumentTree, estimateTokens, type TreeNode } from './document-tree.js';
import { type ChunkingStrategy, chunkingStrategies } from './types.js';

/** What the decision engine looks at, each in 0–1 (README: "How `auto` decides"). */
export interface DocumentFeatures {
  /** log₂ of the document's estimated tokens over one chunk's budget, /6 (0 = fits one chunk). */
  readonly size: number;
  /** Nesting below the root: (levels − 1) / 6. */
  readonly depth: number;
  /** Keys per object: log₁₀(1 + keys per section) / 2. */
  readonly breadth: number;
  /** Share of the content inside large arrays (≥ `minArrayLength` elements). */
  readonly arrays: number;
  /** Share of value characters that are prose or under semantic keys. */
  readonly text: number;
  /** Share of leaves that are numbers. */
  readonly numeric: number;
  /** How different the top-level sections are from each other (table, prose, nested, flat). */
  readonly heterogeneity: number;
  /** Strength of the best-matching domain rule of the config over the document's keys. */
  readonly domain: number;
}

export interface StrategyDecision {
  readonly strategy: ChunkingStrategy;
  /** best / (best + runner-up), in 0.5–1; 1 when only one strategy scores above zero. */
  readonly confidence: number;
  readonly scores: Readonly<Record<ChunkingStrategy, number>>;
  readonly features: DocumentFeatures;
}

const clamp = (value: number): number => (value < 0 ? 0 : Math.min(value, 1));
const round = (value: number): number => Math.round(value * 10_000) / 10_000;

type SectionKind = 'table' | 'text' | 'nested' | 'flat';

function sectionKind(node: TreeNode): SectionKind {
  if (node.chars > 0 && node.largeArrayChars / node.chars >= 0.5) return 'table';
  if (node.stats.valueChars > 0 && node.stats.naturalChars / node.stats.valueChars >= 0.4) return 'text';
  return node.maxDepth - node.depth >= 2 ? 'nested' : 'flat';
}

function heterogeneity(node: TreeNode): number {
  if (node.depth !== 0 || node.isArray) return 0;
  const kinds = new Set<SectionKind>();
  for (const child of node.children) if (child.chars >= node.chars * 0.1) kinds.add(sectionKind(child));
  return clamp((kinds.size - 1) / 2);
}

/** Features of a subtree (the whole document, or one top-level section for hybrid). */
export function documentFeatures(
  node: TreeNode,
  context: { tree: DocumentTree; budgets: Budgets },
): DocumentFeatures {
  const stats = node.stats;
  const tokens = estimateTokens(node);
  return {
    size: round(clamp(Math.log2(Math.max(1, tokens / context.budgets.content)) / 6)),
    depth: round(clamp((node.maxDepth - node.depth - 1) / 6)),
    breadth: round(clamp(Math.log10(1 + stats.keys / Math.max(1, node.sections)) / 2)),
    arrays: round(node.chars > 0 ? clamp(node.largeArrayChars / node.chars) : 0),
    text: round(stats.valueChars > 0 ? clamp(stats.naturalChars / stats.valueChars) : 0),
    numeric: round(stats.leaves > 0 ? stats.numbers / stats.leaves : 0),
    heterogeneity: round(heterogeneity(node)),
    domain: round(context.tree.keywords.domainStrength(context.tree.distinctKeys)),
  };
}

/** Scores every strategy for the features; `allowed` limits the candidates (hybrid never routes to itself). */
export function scoreStrategies(
  features: DocumentFeatures,
  options: { config: ChunkingConfig; allowed?: readonly ChunkingStrategy[] },
): StrategyDecision {
  const weights = options.config.decision.weights;
  const scores = {} as Record<ChunkingStrategy, number>;
  for (const strategy of chunkingStrategies) {
    const weight = weights[strategy];
    const score =
      weight.bias +
      weight.size * features.size +
      weight.depth * features.depth +
      weight.breadth * features.breadth +
      weight.arrays * features.arrays +
      weight.text * features.text +
      weight.numeric * features.numeric +
      weight.heterogeneity * features.heterogeneity +
      weight.domain * features.domain;
    scores[strategy] = round(Math.max(0, score));
  }
  const candidates = options.allowed ?? chunkingStrategies;
  let best = candidates[0] ?? 'flat';
  for (const strategy of candidates) if (scores[strategy] > scores[best]) best = strategy;
  let runnerUp = 0;
  for (const strategy of candidates) if (strategy !== best) runnerUp = Math.max(runnerUp, scores[strategy]);
  const top = scores[best];
  const confidence = top === 0 ? 0.5 : runnerUp === 0 ? 1 : round(top / (top + runnerUp));
  return { strategy: best, confidence, scores, features };
}

/** A document that is a scalar or an empty container: nothing to decide, one flat chunk. */
const trivialFeatures: DocumentFeatures = {
  size: 0,
  depth: 0,
  breadth: 0,
  arrays: 0,
  text: 0,
  numeric: 0,
  heterogeneity: 0,
  domain: 0,
};

export function decideForTree(tree: DocumentTree, budgets: Budgets): StrategyDecision {
  if (tree.root === undefined) {
    const scores = { flat: 1, hierarchical: 0, semantic: 0, dimensional: 0, hybrid: 0 };
    return { strategy: 'flat', confidence: 1, scores, features: trivialFeatures };
  }
  return scoreStrategies(documentFeatures(tree.root, { tree, budgets }), { config: tree.config });
}

/**
 * What `auto` would pick for a document, with the scores of every strategy and the features they
 * came from. `config` is a config name or object (default `default`).
 */
export function decideStrategy(data: unknown, config?: string | ChunkingConfig): StrategyDecision {
  const resolved = resolveConfig(config);
  const budgets = budgetsFor(resolved.maxTokens, resolved.thresholds.inlineChars);
  return decideForTree(
    buildDocumentTree(data, { config: resolved, inlineChars: budgets.inlineChars }),
    budgets,
  );
}
