// The entry point: validates options, analyses the document once, lets the decision engine pick a
// strategy when asked for `auto`, and builds the chunks. Pure and deterministic: no I/O, no clock,
// no randomness, and the input is only read.
import { createError } from '@dynamic-embeddings/core';
import { invalidEncoding, tokenCounter, tokenEncodings } from '@dynamic-embeddings/tokenizer';
import { budgetsFor } from './budgets.js';
import { buildChunks } from './build-chunks.js';
import { buildDocumentTree } from './build-document-tree.js';
import { type ChunkingConfig, resolveConfig } from './config.js';
import { decideForTree, documentFeatures, scoreStrategies } from './decide-strategy.js';
import { createLineFactory } from './line-factory.js';
import {
  type ChunkingStrategy,
  type ChunkOptions,
  type ChunkResult,
  type StrategyName,
  strategyNames,
} from './types.js';

const routable: readonly ChunkingStrategy[] = ['flat', 'hierarchical', 'semantic', 'dimensional'];

/** Smallest and largest `maxTokens`: below 128 a header plus one line no longer fits. */
export const maxTokensRange = { min: 128, max: 32_768 } as const;
/** Longest `documentId` (the `document_id` column is varchar(512)). */
export const maxDocumentIdLength = 512;

interface CheckedOptions {
  readonly config: ChunkingConfig;
  readonly strategy: StrategyName;
  readonly maxTokens: number;
  readonly encoding: 'cl100k_base' | 'o200k_base';
}

/** Validates everything but the document id (shared with the stream, which makes ids itself). */
export function checkChunkOptions(options: Omit<ChunkOptions, 'documentId'>): CheckedOptions {
  const config = resolveConfig(options.config);
  const strategy = options.strategy ?? 'auto';
  if (!strategyNames.includes(strategy)) {
    throw createError({
      code: 'INVALID_STRATEGY',
      message: `Unknown chunking strategy ${JSON.stringify(strategy)}; use one of ${strategyNames.join(', ')}.`,
      details: { strategy, allowed: strategyNames },
    });
  }
  const maxTokens = options.maxTokens ?? config.maxTokens;
  if (!Number.isInteger(maxTokens) || maxTokens < maxTokensRange.min || maxTokens > maxTokensRange.max) {
    throw createError({
      code: 'INVALID_MAX_TOKENS',
      message: `maxTokens must be an integer from ${maxTokensRange.min} to ${maxTokensRange.max} (got ${String(maxTokens)}); use the embedding model's input limit or less.`,
      details: { maxTokens, ...maxTokensRange },
    });
  }
  const encoding = options.encoding ?? config.encoding;
  if (!tokenEncodings.includes(encoding)) {
    throw invalidEncoding(encoding);
  }
  return { config, strategy, maxTokens, encoding };
}

export function checkDocumentId(documentId: unknown): string {
  if (typeof documentId !== 'string' || documentId.length === 0 || documentId.length > maxDocumentIdLength) {
    throw createError({
      code: 'INVALID_DOCUMENT_ID',
      message: `documentId must be a non-empty string of at most ${maxDocumentIdLength} characters (got ${typeof documentId === 'string' ? `${documentId.length} characters` : typeof documentId}).`,
      details: { maxLength: maxDocumentIdLength },
    });
  }
  return documentId;
}

/**
 * Chunks one JSON value. Deterministic (the same input and options give byte-identical output),
 * pure (no I/O) and never mutates `data`. Throws DjeError `INVALID_JSON_VALUE` for values JSON
 * cannot hold (undefined, NaN, functions, class instances, cycles), and `INVALID_*` for bad options.
 */
export function chunkJson(data: unknown, options: ChunkOptions): ChunkResult {
  const documentId = checkDocumentId(options.documentId);
  const checked = checkChunkOptions(options);
  const { config } = checked;
  const budgets = budgetsFor(checked.maxTokens, config.thresholds.inlineChars);
  const counter = tokenCounter(checked.encoding);
  const tree = buildDocumentTree(data, { config, inlineChars: budgets.inlineChars });
  const factory = createLineFactory({ budgets, counter, keywords: tree.keywords });

  let strategy: ChunkingStrategy;
  let confidence = 1;
  let scores: Readonly<Record<ChunkingStrategy, number>> | undefined;
  if (checked.strategy === 'auto') {
    const decision = decideForTree(tree, budgets);
    strategy = decision.strategy;
    confidence = decision.confidence;
    scores = decision.scores;
  } else {
    strategy = checked.strategy;
  }
  // Hybrid on a document without top-level sections routes the whole document.
  if (strategy === 'hybrid' && (tree.root === undefined || tree.root.isArray)) {
    strategy =
      tree.root === undefined
        ? 'flat'
        : scoreStrategies(documentFeatures(tree.root, { tree, budgets }), { config, allowed: routable })
            .strategy;
  }
  const chunks = buildChunks({
    tree,
    strategy,
    confidence,
    documentId,
    collectionName: options.collectionName,
    budgets,
    factory,
    route: (node) =>
      scoreStrategies(documentFeatures(node, { tree, budgets }), { config, allowed: routable }).strategy,
  });
  return scores === undefined
    ? { document_id: documentId, strategy, confidence, chunks }
    : { document_id: documentId, strategy, confidence, scores, chunks };
}
