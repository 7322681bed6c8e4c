// Search by mode: `vector` (nearest neighbours through the planner), `keyword` (the keyword
// column through its GIN index) or `hybrid` (both legs with the same collection and filters,
// fused by Reciprocal Rank Fusion). Every result says where each leg ranked it.
import { and, sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { vectorLiteral } from './embedding-vector.js';
import { type KeywordHit, type KeywordPlan, searchKeywords } from './keyword-search.js';
import { inCollection, tableByName } from './namespace-table.js';
import { type FusionWeights, fuseRanks } from './rank-fusion.js';
import type { SearchMode } from './search-mode-names.js';
import type { SearchPlan } from './search-plan.js';
import { type NearestOptions, searchNearest } from './similarity-search.js';
import { storageType } from './vector-storage.js';
import type { EmbeddingRecord, SearchOptions } from './vector-store-types.js';

export { SEARCH_MODES, type SearchMode } from './search-mode-names.js';

/** The most rows a hybrid search asks of each leg before fusing. */
const MAX_CANDIDATES = 1000;
/**
 * Rows each leg of a hybrid search returns before fusion: a row ranked a little below the limit
 * by one leg can still win with the other's help, so each leg looks past the limit (4×, at least
 * 40: pgvector's default ef_search, so the vector leg's ANN scan costs no more than a plain one).
 */
export function hybridCandidates(limit: number): number {
  return Math.min(MAX_CANDIDATES, Math.max(40, 4 * limit));
}

/** One result of a search by mode. */
export interface RankedResult {
  readonly record: EmbeddingRecord;
  /** What the mode ranks by: cosine similarity (vector), ts_rank_cd (keyword) or RRF score (hybrid). */
  readonly score: number;
  /** Cosine similarity to the query vector (every mode that has one). */
  readonly similarity?: number;
  /** 1-based rank in the vector leg, when that leg returned the row. */
  readonly vector_rank?: number;
  /** 1-based rank in the keyword leg, when that leg returned the row. */
  readonly keyword_rank?: number;
  /** ts_rank_cd of the row for the query, when the keyword leg returned it. */
  readonly keyword_score?: number;
}

/** The plan of a keyword or hybrid search (`explain`): each leg's, and the fusion's settings. */
export interface ModePlan {
  readonly mode: 'keyword' | 'hybrid';
  readonly keyword: KeywordPlan;
  /** The vector leg's plan (hybrid only). */
  readonly vector?: SearchPlan;
  readonly rrf_k?: number;
  readonly weights?: FusionWeights;
}

/** What a search by mode takes: a search's options, the mode, the query text and the fusion's settings. */
export interface RankedSearchOptions extends Omit<SearchOptions, 'namespace' | 'vector'> {
  /** `vector` (the default), `keyword` or `hybrid`. */
  readonly mode?: SearchMode;
  /** The query text: needed by the keyword leg (keyword and hybrid). */
  readonly query?: string;
  /** The query's vector: needed by the vector leg (vector and hybrid); in keyword mode it adds each hit's similarity. */
  readonly vector?: Float32Array | readonly number[];
  /**
   * Minimum cosine similarity (-1…1) of every result: in hybrid mode in both legs, in keyword mode
   * when a vector is given.
   */
  readonly threshold?: number;
  /** RRF's k (default 60): larger values flatten the difference between high and low ranks. */
  readonly rrfK?: number;
  /** How much each leg's ranks count in hybrid mode (default 1 each). */
  readonly weights?: Partial<FusionWeights>;
}

export interface ModeSearchOptions extends Omit<NearestOptions, 'vector'> {
  readonly mode: 'keyword' | 'hybrid';
  /** The query text for the keyword leg. */
  readonly query: string;
  /** Required in hybrid mode. */
  readonly vector: NearestOptions['vector'] | undefined;
  readonly rrfK: number;
  readonly weights: FusionWeights;
}

/** A keyword or hybrid search (a vector search is `searchNearest`). */
export async function searchByMode(
  db: Database,
  options: ModeSearchOptions,
): Promise<{ readonly results: RankedResult[]; readonly plan: ModePlan }> {
  const { namespace, limit } = options;
  const table = tableByName(namespace.table_name, namespace);
  const queryVector = options.vector;
  // The query vector takes the column's type, as in the vector leg.
  const vector =
    queryVector === undefined
      ? undefined
      : sql`${vectorLiteral(queryVector)}::${storageType(namespace.storage)}`;
  const candidates = options.mode === 'hybrid' ? hybridCandidates(limit) : limit;
  const keywordLeg = () =>
    searchKeywords(db.orm, {
      table,
      config: namespace.text_search_config,
      query: options.query,
      where: and(inCollection(table, options.collectionName), options.filter),
      limit: candidates,
      includeVectors: options.includeVectors,
      vector,
      threshold: options.threshold,
    });
  if (options.mode === 'keyword') {
    const { hits, plan } = await keywordLeg();
    const results = hits.map(
      (hit, index): RankedResult => ({ ...hit, score: hit.keyword_score, keyword_rank: index + 1 }),
    );
    return { results, plan: { mode: 'keyword', keyword: plan } };
  }
  if (queryVector === undefined) throw new TypeError('a hybrid search needs the query vector');
  const [nearest, keyword] = await Promise.all([
    searchNearest(db, { ...options, vector: queryVector, limit: candidates }),
    keywordLeg(),
  ]);
  const k = options.rrfK;
  const weights = options.weights;
  const byId = new Map<number, { record: EmbeddingRecord; similarity?: number; keyword?: KeywordHit }>();
  for (const [record, similarity] of nearest.results) byId.set(record.id, { record, similarity });
  for (const hit of keyword.hits) {
    const seen = byId.get(hit.record.id);
    byId.set(hit.record.id, { record: seen?.record ?? hit.record, similarity: hit.similarity, keyword: hit });
  }
  const fused = fuseRanks({
    vector: nearest.results.map(([record]) => record.id),
    keyword: keyword.hits.map((hit) => hit.record.id),
    k,
    weights,
  });
  const results = fused.slice(0, limit).map((rank): RankedResult => {
    const row = byId.get(rank.id)!;
    return {
      record: row.record,
      score: rank.score,
      ...(row.similarity === undefined ? {} : { similarity: row.similarity }),
      ...(rank.vector_rank === undefined ? {} : { vector_rank: rank.vector_rank }),
      ...(rank.keyword_rank === undefined ? {} : { keyword_rank: rank.keyword_rank }),
      ...(row.keyword === undefined ? {} : { keyword_score: row.keyword.keyword_score }),
    };
  });
  return {
    results,
    plan: { mode: 'hybrid', vector: nearest.plan, keyword: keyword.plan, rrf_k: k, weights },
  };
}
