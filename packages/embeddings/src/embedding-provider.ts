/**
 * The one interface every embedding provider implements. Providers are stateless about texts;
 * batching, concurrency and progress across many texts live in `embedAll`.
 */
export interface EmbeddingProvider {
  /** Version of this interface, so callers can reject providers written for another one. */
  readonly specificationVersion: 'v1';
  /** Provider name, stored in the namespace registry: `openai`, `local`, … */
  readonly provider: string;
  /** Model identifier, stored in the namespace registry, e.g. `text-embedding-3-large`. */
  readonly model: string;
  /** Length of every vector this provider returns. */
  readonly dimensions: number;
  /** Most texts one `embed` call accepts. */
  readonly maxInputsPerCall: number;
  /** Most tokens one input may have; longer input is an error, never truncated silently. */
  readonly maxTokensPerInput: number;
  /**
   * Embeds up to `maxInputsPerCall` texts and returns one vector per text, in input order.
   * Rejects with a DjeError (kind `provider` or `validation`) on failure.
   */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
  /**
   * Totals since the provider was created, for cost reporting. Only providers that call a metered
   * API implement it; a cache in front of a provider passes its totals through unchanged.
   */
  usage?(): EmbeddingUsage;
}

export interface EmbedOptions {
  /** Aborts in-flight requests; the promise then rejects with code `CANCELLED`. */
  readonly signal?: AbortSignal;
}

export interface EmbeddingUsage {
  /** HTTP requests sent, retries included. */
  readonly requests: number;
  /** Tokens the server billed for successful requests (its own `usage` count when it gives one). */
  readonly tokens: number;
}
