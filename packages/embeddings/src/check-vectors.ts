import type { EmbeddingProvider } from './embedding-provider.js';
import { badResponse } from './embedding-response.js';

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
  throw badResponse(
    `The ${provider.provider} provider (${provider.model})`,
    vectors.length === count
      ? `a vector for text ${wrong} that is not a Float32Array of ${provider.dimensions}`
      : `${vectors.length} vectors for ${count} texts`,
    {
      details: {
        provider: provider.provider,
        model: provider.model,
        expected: count,
        received: vectors.length,
      },
      advice: 'A provider must return one Float32Array of its dimensions per text.',
    },
  );
}
