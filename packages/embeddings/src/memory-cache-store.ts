import { wholeNumberOption } from '@dynamic-embeddings/core';
import type { EmbeddingCacheStore } from './embedding-cache-store.js';

export interface MemoryCacheStoreOptions {
  /** Most vectors kept; the least recently used go first. Default: no limit. */
  readonly maxEntries?: number;
}

/** An in-process cache store. Vectors are copied in and out, so callers cannot alter what it holds. */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): EmbeddingCacheStore {
  const maxEntries =
    options.maxEntries === undefined
      ? Number.POSITIVE_INFINITY
      : wholeNumberOption({ name: 'maxEntries', value: options.maxEntries, fallback: 0, minimum: 1 });
  // A Map iterates in insertion order; re-inserting on every hit makes its first key the least recently used.
  const entries = new Map<string, Float32Array>();
  return {
    async get(keys) {
      const found = new Map<string, Float32Array>();
      for (const key of keys) {
        const vector = entries.get(key);
        if (vector === undefined) continue;
        entries.delete(key);
        entries.set(key, vector);
        found.set(key, vector.slice());
      }
      return found;
    },
    async set(newEntries) {
      for (const [key, vector] of newEntries) {
        entries.delete(key);
        entries.set(key, vector.slice());
      }
      for (const key of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(key);
      }
    },
  };
}
