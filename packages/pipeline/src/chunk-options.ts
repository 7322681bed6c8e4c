import { type ChunkingConfig, resolveConfig } from '@dynamic-embeddings/chunking';
import type { EmbeddingProvider } from '@dynamic-embeddings/embeddings';

/** What chunking is bounded by. */
export interface ChunkLimits {
  readonly config: ChunkingConfig;
  readonly maxTokens: number;
}

/**
 * The config and token bound to chunk with: a chunk's text must fit the provider's input limit
 * (providers refuse longer input rather than truncate it), so a config allowing more is capped.
 */
export function chunkLimits(
  provider: EmbeddingProvider,
  config: string | ChunkingConfig | undefined,
): ChunkLimits {
  const resolved = resolveConfig(config);
  return { config: resolved, maxTokens: Math.min(resolved.maxTokens, provider.maxTokensPerInput) };
}
