import { cacheKey } from './cache-key.js';
import { throwIfCancelled } from './cancellation.js';
import { checkVectors } from './check-vectors.js';
import type { EmbeddingCacheStore } from './embedding-cache-store.js';
import type { EmbeddingProvider, EmbedOptions } from './embedding-provider.js';
import { reindexInputError } from './input-error.js';
import { validateInputs } from './validate-inputs.js';

/**
 * The same provider, answering from `store` where it can: only texts missing from the store (each
 * once, however often it repeats) reach the provider, and their vectors are stored afterwards.
 */
export function withCache(provider: EmbeddingProvider, store: EmbeddingCacheStore): EmbeddingProvider {
  const usage = provider.usage?.bind(provider);
  return {
    specificationVersion: 'v1',
    provider: provider.provider,
    model: provider.model,
    dimensions: provider.dimensions,
    maxInputsPerCall: provider.maxInputsPerCall,
    maxTokensPerInput: provider.maxTokensPerInput,
    async embed(texts: readonly string[], options?: EmbedOptions) {
      throwIfCancelled(options?.signal);
      validateInputs(texts, provider.maxInputsPerCall);
      const { dimensions } = provider;
      const keys = texts.map((text) =>
        cacheKey({ provider: provider.provider, model: provider.model, dimensions, text }),
      );
      const cached = await store.get([...new Set(keys)]);
      // Position of each missing key among the texts sent to the provider, and where it came from.
      const missing = new Map<string, number>();
      const missingTexts: string[] = [];
      const missingFrom: number[] = [];
      keys.forEach((key, index) => {
        // A stored vector of the wrong size is a damaged entry: embed again and overwrite it.
        if (cached.get(key)?.length === dimensions || missing.has(key)) return;
        missing.set(key, missingTexts.length);
        missingTexts.push(texts[index] ?? '');
        missingFrom.push(index);
      });
      let fresh: Float32Array[] = [];
      if (missingTexts.length > 0) {
        try {
          fresh = await provider.embed(missingTexts, options);
        } catch (error) {
          throw reindexInputError(error, (index) => missingFrom[index] ?? index);
        }
        checkVectors(provider, fresh, missingTexts.length);
        await store.set(
          new Map([...missing].map(([key, position]) => [key, fresh[position] as Float32Array])),
        );
      }
      const handedOut = new Set<string>();
      return keys.map((key) => {
        const position = missing.get(key);
        // Every key is either a hit checked above or a miss the provider just answered.
        const vector = (position === undefined ? cached.get(key) : fresh[position])!;
        // Repeated texts get their own copy, so changing one result cannot change another.
        if (handedOut.has(key)) return vector.slice();
        handedOut.add(key);
        return vector;
      });
    },
    ...(usage ? { usage } : {}),
  };
}
