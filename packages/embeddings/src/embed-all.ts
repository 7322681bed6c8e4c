import { createError, wholeNumberOption } from '@dynamic-embeddings/core';
import { throwIfCancelled } from './cancellation.js';
import { checkVectors } from './check-vectors.js';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { reindexInputError } from './input-error.js';
import { mapBounded } from './map-bounded.js';

/**
 * Inputs per request below which a call is not split further to use the concurrency: LangChain's
 * OpenAIEmbeddings sends 512 a request, so a split call never sends more requests than it would.
 */
export const SPLIT_INPUTS_PER_REQUEST = 512;

export interface EmbedProgress {
  /** Texts embedded so far. */
  readonly done: number;
  /** Texts in the whole call. */
  readonly total: number;
}

export interface EmbedAllOptions {
  /** `embed` calls in flight at once; default 4. A provider may limit its own requests further. */
  readonly concurrency?: number;
  /** Called after each batch completes, in completion order. */
  readonly onProgress?: (progress: EmbedProgress) => void;
  /** Stops starting batches and aborts running ones; the promise rejects with `CANCELLED`. */
  readonly signal?: AbortSignal;
}

/**
 * Embeds any number of texts with any provider: batches of at most `maxInputsPerCall` (split
 * further to use the concurrency, see SPLIT_INPUTS_PER_REQUEST), bounded concurrency, vectors in
 * input order. The first failure stops the rest; errors about one input
 * carry its index in `texts`.
 */
export async function embedAll(
  provider: EmbeddingProvider,
  texts: readonly string[],
  options: EmbedAllOptions = {},
): Promise<Float32Array[]> {
  const concurrency = wholeNumberOption({
    name: 'concurrency',
    value: options.concurrency,
    fallback: 4,
    minimum: 1,
  });
  throwIfCancelled(options.signal);
  const batchSize = provider.maxInputsPerCall;
  if (!(batchSize >= 1)) {
    throw createError({
      code: 'INVALID_PROVIDER',
      message: `The ${provider.provider} provider declares maxInputsPerCall ${batchSize}; it must be at least 1.`,
    });
  }
  // As few requests as the provider's limit allows, or — when that would leave the concurrency
  // unused — up to `concurrency` requests of at least SPLIT_INPUTS_PER_REQUEST inputs: 1,000 texts
  // of a 2,048-input provider go out as two requests of 500 at once rather than one of 1,000.
  const requests = Math.max(
    Math.ceil(texts.length / batchSize),
    Math.min(concurrency, Math.ceil(texts.length / SPLIT_INPUTS_PER_REQUEST)),
  );
  const size = Math.ceil(texts.length / Math.max(requests, 1));
  const batches: { start: number; texts: readonly string[] }[] = [];
  for (let start = 0; start < texts.length; start += size) {
    batches.push({ start, texts: texts.slice(start, start + size) });
  }
  let done = 0;
  const results = await mapBounded({
    items: batches,
    limiter: createConcurrencyLimiter(concurrency),
    signal: options.signal,
    task: async (batch, _index, signal) => {
      let vectors: Float32Array[];
      try {
        vectors = await provider.embed(batch.texts, { signal });
      } catch (error) {
        throw reindexInputError(error, (index) => batch.start + index);
      }
      checkVectors(provider, vectors, batch.texts.length);
      done += batch.texts.length;
      options.onProgress?.({ done, total: texts.length });
      return vectors;
    },
  });
  return results.flat();
}
