// Our providers where the AI SDK expects an embedding model (`embed`, `embedMany`, RAG helpers):
// each `doEmbed` goes through embedAll, so our batching and the provider's limits apply.
import type { EmbeddingModelV4 } from '@ai-sdk/provider';
import { embedAll } from './embed-all.js';
import type { EmbeddingProvider } from './embedding-provider.js';

/** `embedMany({ model: toAiSdk(createLocalProvider()), values })`. */
export function toAiSdk(provider: EmbeddingProvider): EmbeddingModelV4 {
  return {
    specificationVersion: 'v4',
    provider: provider.provider,
    modelId: provider.model,
    maxEmbeddingsPerCall: provider.maxInputsPerCall,
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal, dimensions }) {
      const before = provider.usage?.();
      const vectors = await embedAll(
        provider,
        values,
        abortSignal === undefined ? {} : { signal: abortSignal },
      );
      const after = provider.usage?.();
      return {
        embeddings: vectors.map((vector) => Array.from(vector)),
        // Only a metered provider counts tokens; concurrent calls may share one count window.
        ...(before && after ? { usage: { tokens: after.tokens - before.tokens } } : {}),
        warnings:
          dimensions === undefined || dimensions === provider.dimensions
            ? []
            : [
                {
                  type: 'unsupported',
                  feature: 'dimensions',
                  details: `${provider.provider} ${provider.model} returns ${provider.dimensions} dimensions, not ${dimensions}.`,
                },
              ],
      };
    },
  };
}
