// The ANN index policy of namespaces the pipeline creates, per database. Measured with the ingest
// benchmark (tooling/bench/src/ingest-bench.ts) on PGlite 0.5 + pgvector 0.8: building HNSW over
// 10,000 × 384-d rows takes ~14 s and every later insert maintains the graph row by row, which
// holds a 12,000-chunk ingest to ~250 chunks/s; IVFFlat builds over the same rows in ~2.5 s, later
// inserts only pick a list, and searches stay at tens of milliseconds. A server keeps the db
// package's default (HNSW), which it builds quickly and searches with better recall.
import type { Database } from '@dynamic-embeddings/db';
import type { CreateNamespaceOptions } from './pipeline-types.js';

export const embeddedIndexPolicy: CreateNamespaceOptions = { index: 'ivfflat', indexThreshold: 10_000 };

/** The index options namespaces created through this pipeline get unless a call says otherwise. */
export function defaultIndexPolicy(db: Database): CreateNamespaceOptions {
  return db.driver === 'pglite' || db.isPGliteServer ? embeddedIndexPolicy : {};
}

/**
 * `options` over `defaults`, ignoring options left undefined; another index type drops the default
 * parameters, which belong to the default type.
 */
export function withIndexDefaults(
  defaults: CreateNamespaceOptions,
  options: CreateNamespaceOptions = {},
): CreateNamespaceOptions {
  const index = options.index ?? defaults.index;
  const indexParams = options.indexParams ?? (options.index === undefined ? defaults.indexParams : undefined);
  const indexThreshold = options.indexThreshold ?? defaults.indexThreshold;
  const recallTarget = options.recallTarget ?? defaults.recallTarget;
  const storage = options.storage ?? defaults.storage;
  const textSearchConfig = options.textSearchConfig ?? defaults.textSearchConfig;
  return {
    ...(storage === undefined ? {} : { storage }),
    ...(textSearchConfig === undefined ? {} : { textSearchConfig }),
    ...(recallTarget === undefined ? {} : { recallTarget }),
    ...(index === undefined ? {} : { index }),
    ...(indexParams === undefined ? {} : { indexParams }),
    ...(indexThreshold === undefined ? {} : { indexThreshold }),
  };
}
