// Search by text: the query is embedded once and searched in the chosen mode through one namespace
// handle (one registry read).
import {
  DEFAULT_SEARCH_MODE,
  KEYWORDS_TABLE_VERSION,
  type ModePlan,
  openNamespace,
  type RankedResult,
  type SearchMode,
  type SearchPlan,
} from '@dynamic-embeddings/db';
import { embedAll } from '@dynamic-embeddings/embeddings';
import { checkQuery } from './check-query.js';
import type { PipelineContext } from './pipeline-context.js';
import type { SearchHit, SearchOptions } from './pipeline-types.js';

function toHit(result: RankedResult, mode: SearchMode): SearchHit {
  const { embedding: _vector, ...row } = result.record;
  const similarity = result.similarity ?? Number.NaN;
  if (mode === 'vector') return { ...row, similarity };
  return {
    ...row,
    similarity,
    score: result.score,
    ...(result.vector_rank === undefined ? {} : { vector_rank: result.vector_rank }),
    ...(result.keyword_rank === undefined ? {} : { keyword_rank: result.keyword_rank }),
    ...(result.keyword_score === undefined ? {} : { keyword_score: result.keyword_score }),
  };
}

/** Embeds the query and searches in the mode asked for (DEFAULT_SEARCH_MODE when none). */
export async function searchSimilar(
  context: PipelineContext,
  queryText: string,
  searchOptions: SearchOptions & { readonly namespace: string },
): Promise<{ readonly hits: SearchHit[]; readonly plan: SearchPlan | ModePlan }> {
  const { provider } = context;
  const query = await checkQuery(queryText, provider);
  // Checked before the provider is called: a missing namespace or a model mismatch should
  // cost no embedding request.
  const handle = await openNamespace(context.store.db, searchOptions.namespace, { embedding: provider });
  // A table from before the keyword index keeps vector search as its default until it is upgraded.
  const mode =
    searchOptions.mode ??
    (handle.entry.tableVersion >= KEYWORDS_TABLE_VERSION ? DEFAULT_SEARCH_MODE : 'vector');
  const [vector] = await embedAll(provider, [query], { signal: searchOptions.signal });
  const { results, plan } = await handle.searchRanked({
    mode,
    query,
    vector: vector!,
    limit: searchOptions.limit,
    collectionName: searchOptions.collectionName,
    threshold: searchOptions.threshold,
    filters: searchOptions.filters,
    ...(searchOptions.exact === undefined ? {} : { exact: searchOptions.exact }),
    ...(searchOptions.rrfK === undefined ? {} : { rrfK: searchOptions.rrfK }),
    ...(searchOptions.weights === undefined ? {} : { weights: searchOptions.weights }),
  });
  return { hits: results.map((result) => toHit(result, mode)), plan };
}
