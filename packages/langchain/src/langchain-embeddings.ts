// Our embedding providers where LangChain expects Embeddings, with our batching around them.
import { type EmbeddingProvider, embedAll } from '@dynamic-embeddings/embeddings';
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';

/** A LangChain `Embeddings` over one of our providers; the store reads `provider` for its identity. */
export class ProviderEmbeddings extends Embeddings {
  /** The provider every text goes to. */
  readonly provider: EmbeddingProvider;
  readonly #concurrency: number | undefined;

  constructor(
    fields: EmbeddingsParams & { readonly provider: EmbeddingProvider; readonly concurrency?: number },
  ) {
    const { provider, concurrency, ...params } = fields;
    super(params);
    this.provider = provider;
    this.#concurrency = concurrency;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    // Our providers retry on their own, so LangChain's caller (which would retry again) is bypassed.
    const vectors = await embedAll(
      this.provider,
      documents,
      this.#concurrency === undefined ? {} : { concurrency: this.#concurrency },
    );
    return vectors.map((vector) => Array.from(vector));
  }

  override async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([document]);
    return vector as number[];
  }
}

/** `new ProviderEmbeddings({ provider })`: e.g. `toLangChainEmbeddings(createLocalProvider())`. */
export function toLangChainEmbeddings(provider: EmbeddingProvider): ProviderEmbeddings {
  return new ProviderEmbeddings({ provider });
}
