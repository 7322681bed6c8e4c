// Loads the benchmark's vectors into our namespace the way a user does — createNamespace with the
// defaults, then insertEmbeddings, so the index policy builds the HNSW index and calibrates its
// recall target — and into LangChain's PGVectorStore; or reuses tables a --keep run left.
import { performance } from 'node:perf_hooks';
import { DjeError } from '@dynamic-embeddings/core';
import {
  type Database,
  type EmbeddingInput,
  ident,
  queryRow,
  type VectorStore,
} from '@dynamic-embeddings/db';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Dataset } from './dataset.js';
import { vectorAt } from './dataset.js';
import { type LangChainLoad, loadLangChainStore, openLangChainStore } from './langchain-store.js';
import { chunkIdOf } from './search-systems.js';
import { rowMetadata, withinTag } from './workloads.js';

export interface OursLoad {
  /** Seconds for createNamespace + insertEmbeddings (index build and calibration included). */
  readonly seconds: number;
  readonly indexBuilt: boolean;
  readonly reused: boolean;
}

export async function dropOurs(store: VectorStore, namespace: string): Promise<void> {
  await store.dropNamespace(namespace, { confirm: true }).catch((error: unknown) => {
    if (!(DjeError.isInstance(error) && error.code === 'NAMESPACE_NOT_FOUND')) throw error;
  });
}

function recordsOf(dataset: Dataset, withinSizes: readonly number[]): EmbeddingInput[] {
  const records: EmbeddingInput[] = [];
  for (let row = 0; row < dataset.rows; row += 1) {
    const metadata = rowMetadata(dataset, row, withinSizes);
    records.push({
      chunk_id: chunkIdOf(row),
      document_id: `document-${row}`,
      collection_name: metadata.collection as string,
      text: `row ${row}`,
      embedding: vectorAt(dataset.vectors, dataset.dimensions, row),
      strategy: 'bench',
      content_type: 'vector',
      metadata,
    });
  }
  return records;
}

async function storedRows(store: VectorStore, namespace: string): Promise<number | undefined> {
  const found = await store.listNamespaces();
  return found.find((entry) => entry.namespace === namespace)?.embedding_count;
}

/**
 * Whether a stored table carries the `within` tag of `size` on exactly `size` rows: a table a run
 * with fewer crossing sizes left lacks the larger tags, and its filters would match nothing.
 */
export async function hasWithinTags(
  db: Database,
  options: { tableName: string; size: number },
): Promise<boolean> {
  const row = await queryRow<{ n: number }>(
    db.orm,
    sql`SELECT count(*)::int AS n FROM ${ident(options.tableName)}
        WHERE metadata @> ${JSON.stringify({ within: [withinTag(options.size)] })}::jsonb`,
  );
  return Number(row?.n) === options.size;
}

export async function loadOurs(options: {
  readonly store: VectorStore;
  readonly namespace: string;
  readonly embedding: { readonly provider: string; readonly model: string; readonly dimensions: number };
  readonly dataset: Dataset;
  readonly withinSizes: readonly number[];
  readonly reuse: boolean;
  /** Whether the stored table has every within tag the run filters on (hasWithinTags). */
  readonly tagged: () => Promise<boolean>;
}): Promise<OursLoad> {
  const { store, namespace, dataset } = options;
  if (options.reuse && (await storedRows(store, namespace)) === dataset.rows && (await options.tagged()))
    return { seconds: 0, indexBuilt: false, reused: true };
  await dropOurs(store, namespace);
  const records = recordsOf(dataset, options.withinSizes);
  const started = performance.now();
  await store.createNamespace({ namespace, ...options.embedding });
  const inserted = await store.insertEmbeddings(records, { namespace });
  return {
    seconds: (performance.now() - started) / 1000,
    indexBuilt: inserted.index_built,
    reused: false,
  };
}

/** LangChain's table: reused when it holds the data set's rows, else loaded afresh. */
export async function loadLangChain(options: {
  readonly pool: pg.Pool;
  readonly tableName: string;
  readonly dataset: Dataset;
  readonly reuse: boolean;
}): Promise<LangChainLoad & { readonly reused: boolean }> {
  const { pool, tableName, dataset } = options;
  if (options.reuse) {
    const { rows } = await pool.query<{ n: string | null }>(
      'SELECT (SELECT count(*) FROM pg_class WHERE relname = $1)::text AS n',
      [tableName],
    );
    if (rows[0]?.n === '1') {
      const counted = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${tableName}`);
      if (Number(counted.rows[0]?.n) === dataset.rows) {
        const store = await openLangChainStore({ pool, tableName, dimensions: dataset.dimensions });
        return { store, loadSeconds: 0, indexSeconds: 0, reused: true };
      }
    }
  }
  return { ...(await loadLangChainStore({ pool, tableName, dataset })), reused: false };
}
