import { invalidDimensions } from '@dynamic-embeddings/core';
import { throwIfCancelled } from './cancellation.js';
import type { EmbeddingProvider, EmbedOptions } from './embedding-provider.js';
import { featureHashingVersion, hashEmbed } from './feature-hashing.js';
import { validateInputs } from './validate-inputs.js';

export interface LocalProviderOptions {
  /** Vector length; default 384. */
  readonly dimensions?: number;
}

/** Model name of the local provider; the suffix changes whenever the hashing scheme does. */
export const localModel = `local-hash-v${featureHashingVersion}`;

// pgvector's limit for the `vector` type.
const maximumDimensions = 16_000;

/**
 * Deterministic offline embeddings by feature hashing. Lexical, not semantic: texts are close when
 * they share words, word pairs and word pieces, never because they mean the same thing.
 */
export function createLocalProvider(options: LocalProviderOptions = {}): EmbeddingProvider {
  const dimensions = options.dimensions ?? 384;
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > maximumDimensions) {
    throw invalidDimensions(
      `The local provider needs a whole number of dimensions from 1 to ${maximumDimensions}, got ${String(dimensions)}.`,
      { details: { dimensions, maximum: maximumDimensions } },
    );
  }
  const maxInputsPerCall = 2048;
  return {
    specificationVersion: 'v1',
    provider: 'local',
    model: localModel,
    dimensions,
    maxInputsPerCall,
    // Hashing has no context window: any length embeds, at a cost linear in its length.
    maxTokensPerInput: Number.POSITIVE_INFINITY,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions) {
      throwIfCancelled(embedOptions?.signal);
      validateInputs(texts, maxInputsPerCall);
      return texts.map((text) => hashEmbed(text, dimensions));
    },
  };
}
