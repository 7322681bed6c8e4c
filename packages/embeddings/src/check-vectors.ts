import { DjeError } from '@dynamic-embeddings/core';
import type { EmbeddingProvider } from './embedding-provider.js';

/**
 * Holds any provider, including ones written elsewhere, to the interface's promise: one vector of
 * `dimensions` per text. Anything else would be stored as garbage, so it is an error.
 */
export function checkVectors(
  provider: EmbeddingProvider,
  vectors: readonly Float32Array[],
  count: number,
): void {
  const wrong = vectors.findIndex(
    (vector) => !(vector instanceof Float32Array) || vector.length !== provider.dimensions,
  );
  if (vectors.length === count && wrong === -1) return;
  throw new DjeError({
    code: 'PROVIDER_BAD_RESPONSE',
    kind: 'provider',
    message:
      vectors.length === count
        ? `The ${provider.provider} provider (${provider.model}) returned a vector for text ${wrong} that is not a Float32Array of ${provider.dimensions}; nothing was stored.`
        : `The ${provider.provider} provider (${provider.model}) returned ${vectors.length} vectors for ${count} texts; nothing was stored.`,
    details: {
      provider: provider.provider,
      model: provider.model,
      expected: count,
      received: vectors.length,
    },
  });
}
