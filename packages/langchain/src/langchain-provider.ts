// Any LangChain Embeddings as our EmbeddingProvider: the namespace registry needs its identity
// (provider, model, dimensions), and embedAll's batching and vector checks apply around it.
import { cancelled } from '@dynamic-embeddings/core';
import type { EmbeddingProvider } from '@dynamic-embeddings/embeddings';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';

export interface LangChainProviderOptions {
  /** Length of the vectors the embeddings return. */
  readonly dimensions: number;
  /** Model name stored in the namespace registry. */
  readonly model: string;
  /** Provider name stored in the namespace registry (default `langchain`). */
  readonly provider?: string;
  /** Texts per `embedDocuments` call (default 512); LangChain models may split further. */
  readonly maxInputsPerCall?: number;
  /** Tokens one text may have (default 8191, OpenAI's limit); the chunker keeps chunks below it. */
  readonly maxTokensPerInput?: number;
}

export function fromLangChainEmbeddings(
  embeddings: EmbeddingsInterface,
  options: LangChainProviderOptions,
): EmbeddingProvider {
  return {
    specificationVersion: 'v1',
    provider: options.provider ?? 'langchain',
    model: options.model,
    dimensions: options.dimensions,
    maxInputsPerCall: options.maxInputsPerCall ?? 512,
    maxTokensPerInput: options.maxTokensPerInput ?? 8191,
    async embed(texts, embedOptions = {}) {
      if (embedOptions.signal?.aborted) throw cancelled('Embedding was cancelled before it started.');
      const vectors = await embeddings.embedDocuments([...texts]);
      return vectors.map((vector) => Float32Array.from(vector));
    },
  };
}

/** The model name LangChain embeddings carry (`model` on OpenAIEmbeddings and most others). */
export function modelNameOf(embeddings: EmbeddingsInterface): string {
  const model = (embeddings as { readonly model?: unknown }).model;
  return typeof model === 'string' && model !== '' ? model : embeddings.constructor.name;
}
