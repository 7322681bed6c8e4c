// LangChain.js PGVectorStore loaded with the benchmark's vectors, the way its docs set it up:
// initialize (creates the table), addVectors, createHnswIndex.
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import { Embeddings } from '@langchain/core/embeddings';
import type pg from 'pg';
import { type Dataset, vectorAt } from './dataset.js';

/** LangChain needs an Embeddings object; the benchmark only ever hands it vectors. */
class PrecomputedVectors extends Embeddings {
  constructor() {
    super({});
  }
  override async embedDocuments(): Promise<number[][]> {
    throw new Error('the search benchmark passes precomputed vectors');
  }
  override async embedQuery(): Promise<number[]> {
    throw new Error('the search benchmark passes precomputed vectors');
  }
}

/** Rows per addVectors call: number[][] for every row at once would take gigabytes at 50,000 × 1536. */
const LOAD_SLICE = 5_000;

export interface LangChainLoad {
  readonly store: PGVectorStore;
  readonly loadSeconds: number;
  readonly indexSeconds: number;
}

/** PGVectorStore on `tableName` (created when missing), with cosine distance. */
export function openLangChainStore(options: {
  readonly pool: pg.Pool;
  readonly tableName: string;
  readonly dimensions: number;
}): Promise<PGVectorStore> {
  return PGVectorStore.initialize(new PrecomputedVectors(), {
    pool: options.pool,
    tableName: options.tableName,
    dimensions: options.dimensions,
    distanceStrategy: 'cosine',
  });
}

export async function loadLangChainStore(options: {
  readonly pool: pg.Pool;
  readonly tableName: string;
  readonly dataset: Dataset;
}): Promise<LangChainLoad> {
  const { pool, tableName, dataset } = options;
  await pool.query(`DROP TABLE IF EXISTS ${tableName}`);
  const store = await openLangChainStore({ pool, tableName, dimensions: dataset.dimensions });
  const loadStarted = performance.now();
  for (let start = 0; start < dataset.rows; start += LOAD_SLICE) {
    const end = Math.min(dataset.rows, start + LOAD_SLICE);
    const vectors: number[][] = [];
    const documents: { pageContent: string; metadata: Record<string, unknown> }[] = [];
    for (let row = start; row < end; row += 1) {
      vectors.push(Array.from(vectorAt(dataset.vectors, dataset.dimensions, row)));
      documents.push({
        pageContent: `row ${row}`,
        metadata: { row, collection: dataset.collectionNames[dataset.collectionOf[row]!]! },
      });
    }
    await store.addVectors(vectors, documents);
  }
  const indexStarted = performance.now();
  await store.createHnswIndex({ dimensions: dataset.dimensions });
  const indexDone = performance.now();
  // createHnswIndex logs and swallows failures; without the index its numbers would be exact scans.
  const { rows } = await pool.query(
    `SELECT 1 FROM pg_indexes WHERE tablename = $1 AND indexdef ILIKE '%USING hnsw%'`,
    [tableName],
  );
  if (rows.length === 0)
    throw new Error(`LangChain's createHnswIndex did not create an index on ${tableName}`);
  return {
    store,
    loadSeconds: (indexStarted - loadStarted) / 1000,
    indexSeconds: (indexDone - indexStarted) / 1000,
  };
}
