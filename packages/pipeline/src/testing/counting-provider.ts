// Test helper: the real local provider behind a wrapper that counts what reaches it, and can be
// told to fail or to return a damaged vector, to check what the pipeline does then.
import { DjeError } from '@dynamic-embeddings/core';
import { createLocalProvider, type EmbeddingProvider } from '@dynamic-embeddings/embeddings';

export interface CountingProvider extends EmbeddingProvider {
  /** Texts passed to `embed` since creation or the last reset. */
  readonly texts: string[];
  /** `embed` calls since creation or the last reset. */
  calls: number;
  /** Fail the `embed` call with this number (1-based), once. */
  failOnCall: number | undefined;
  /** Put NaN into the vectors of texts containing this substring. */
  corruptTextsContaining: string | undefined;
  reset(): void;
}

export function createCountingProvider(
  options: {
    readonly dimensions?: number;
    readonly maxInputsPerCall?: number;
    readonly maxTokensPerInput?: number;
  } = {},
): CountingProvider {
  const local = createLocalProvider({ dimensions: options.dimensions ?? 384 });
  const counting: CountingProvider = {
    ...local,
    maxInputsPerCall: options.maxInputsPerCall ?? local.maxInputsPerCall,
    maxTokensPerInput: options.maxTokensPerInput ?? local.maxTokensPerInput,
    texts: [],
    calls: 0,
    failOnCall: undefined,
    corruptTextsContaining: undefined,
    reset() {
      counting.texts.length = 0;
      counting.calls = 0;
    },
    async embed(texts, embedOptions) {
      counting.calls++;
      if (counting.failOnCall === counting.calls) {
        counting.failOnCall = undefined;
        throw new DjeError({
          code: 'PROVIDER_UNAVAILABLE',
          message: 'Simulated provider outage for a test.',
        });
      }
      counting.texts.push(...texts);
      const vectors = await local.embed(texts, embedOptions);
      const marker = counting.corruptTextsContaining;
      if (marker !== undefined) {
        texts.forEach((text, index) => {
          if (text.includes(marker)) vectors[index]?.fill(Number.NaN);
        });
      }
      return vectors;
    },
  };
  return counting;
}
