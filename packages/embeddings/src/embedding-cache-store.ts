/** Where `withCache` keeps vectors; the pipeline backs it with the database, tests with memory. */
export interface EmbeddingCacheStore {
  /** The stored vectors of those keys that are present; absent keys are simply missing from the map. */
  get(keys: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Stores (or replaces) vectors by key. */
  set(entries: ReadonlyMap<string, Float32Array>): Promise<void>;
}
