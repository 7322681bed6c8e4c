// The chunking contract: what `chunkJson` returns is exactly what the namespace table stores
// (minus collection_name and embedding), with the table's snake_case column names.

import type { ChunkingConfig } from './config.js';

/** The concrete chunking strategies: the one list the CLI, the server and the benchmarks offer too. */
export const chunkingStrategies = ['flat', 'hierarchical', 'semantic', 'dimensional', 'hybrid'] as const;

/** A concrete chunking strategy. */
export type ChunkingStrategy = (typeof chunkingStrategies)[number];

/** Every strategy a caller can ask for: `auto` lets the decision engine pick a concrete one. */
export const strategyNames = ['auto', ...chunkingStrategies] as const;

/** A strategy a caller can ask for: a concrete one, or `auto` to let the decision engine pick. */
export type StrategyName = (typeof strategyNames)[number];

/** One chunk of a JSON document; every field maps to a namespace-table column. */
export interface Chunk {
  /** Stable for the same document content; unique across documents of a namespace; ≤ 512 chars. */
  readonly chunk_id: string;
  /** The document this chunk came from. */
  readonly document_id: string;
  /** The text to embed: a short context header, then readable `key: value` lines. */
  readonly text: string;
  /** The strategy that produced this chunk. */
  readonly strategy: ChunkingStrategy;
  /** What the chunk holds, e.g. `object`, `array_slice`, `metrics`, `text`. ≤ 100 chars. */
  readonly content_type: string;
  /** JSONPath-like location, e.g. `$.targeting.geographic.countries[0]`; ≤ 4096 chars. */
  readonly path: string | null;
  /** The chunk this one is nested under, if any. */
  readonly parent_chunk_id: string | null;
  /** Nesting depth in the JSON (root = 0). */
  readonly depth_level: number;
  /** Level in the chunk hierarchy (top chunk = 0). */
  readonly hierarchy_level: number;
  /** 0–1 share of meaning-bearing content; formula documented in the package README. */
  readonly semantic_density: number;
  /** 0–1 confidence of the strategy decision. */
  readonly confidence: number;
  /** UTF-8 byte length of `text`. */
  readonly chunk_size: number;
  /** Tokens of `text` under the configured tokenizer. */
  readonly token_count: number;
  /** Number of object keys covered by the chunk. */
  readonly key_count: number;
  /** Whether the covered content holds arrays. */
  readonly contains_arrays: boolean;
  /** Whether no other chunk has this one as parent. */
  readonly is_leaf: boolean;
  /** Domain classification tags from the config's rules. */
  readonly domain_tags: readonly string[];
  /** The JSON keys the chunk covers, as they appear in the input. */
  readonly original_keys: readonly string[];
  /** Anything else useful (array slice range, child chunk ids, …). JSON-serialisable. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** How `chunkJson` was asked to work. */
export interface ChunkOptions {
  /** Identifier of the document, stored as `document_id` and used to derive chunk ids. */
  readonly documentId: string;
  /** Strategy to use; defaults to `auto`. */
  readonly strategy?: StrategyName;
  /** A named config (`default`, `analytics`, …) or a resolved config object; defaults to `default`. */
  readonly config?: string | ChunkingConfig;
  /** Upper bound on tokens in one chunk's text; defaults to the config's (512). */
  readonly maxTokens?: number;
  /** Tokenizer for `token_count` and `maxTokens`; defaults to the config's (`cl100k_base`). */
  readonly encoding?: 'cl100k_base' | 'o200k_base';
  /**
   * Collection the chunks will be stored in. It becomes part of every `chunk_id`, so the same
   * document id in two collections of one namespace (one table, unique `chunk_id`) never collides.
   */
  readonly collectionName?: string;
}

/** The result of chunking one document. */
export interface ChunkResult {
  readonly document_id: string;
  /** The concrete strategy used (what `auto` chose, when asked for `auto`). */
  readonly strategy: ChunkingStrategy;
  /** Confidence of the decision (1 when the strategy was given explicitly). */
  readonly confidence: number;
  /** The decision engine's scores per strategy, when `auto` decided. */
  readonly scores?: Readonly<Record<ChunkingStrategy, number>>;
  readonly chunks: readonly Chunk[];
}

/** A validated chunking config (see `configs/`). Defined by the zod schema in `config.ts`. */
export type { ChunkingConfig } from './config.js';
