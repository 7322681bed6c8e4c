// Checks what a search by mode adds to a vector search's options: the mode, the query text, RRF's
// k and the legs' weights; and that the table has its keyword column.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import { invalidArgument } from './db-errors.js';
import { KEYWORDS_TABLE_VERSION } from './namespace-ddl.js';
import { DEFAULT_FUSION_WEIGHTS, DEFAULT_RRF_K, type FusionWeights } from './rank-fusion.js';
import { type RankedSearchOptions, SEARCH_MODES, type SearchMode } from './search-modes.js';

/**
 * The longest query text the keyword leg takes, in characters: websearch_to_tsquery ANDs every
 * word, so past a few hundred words a query matches little; 20,000 keeps a pasted page working
 * and bounds the parse.
 */
export const MAX_QUERY_CHARACTERS = 20_000;

/** KEYWORD_INDEX_MISSING: the table predates the keyword column. */
export function keywordIndexMissing(namespace: string, mode: SearchMode): DjeError {
  return createError({
    code: 'KEYWORD_INDEX_MISSING',
    message: `Namespace "${namespace}" has no keyword index yet, so ${mode} search cannot run: it was created by an older version and gets the index on its next write, or now with \`dje namespace reindex ${namespace}\`. Vector search works meanwhile.`,
    details: { namespace, mode },
  });
}

function checkQueryText(query: unknown): string {
  if (typeof query !== 'string' || query.trim() === '') {
    throw invalidArgument('query', 'must be non-empty text for keyword and hybrid search', query);
  }
  if (query.includes('\0')) {
    throw invalidArgument(
      'query',
      'must not contain NUL characters (PostgreSQL text cannot hold them)',
      '\\0',
    );
  }
  if (query.length > MAX_QUERY_CHARACTERS) {
    throw invalidArgument(
      'query',
      `must be at most ${MAX_QUERY_CHARACTERS.toLocaleString('en-US')} characters for keyword and hybrid search`,
      `${query.length} characters`,
    );
  }
  return query;
}

function checkWeights(weights: RankedSearchOptions['weights']): FusionWeights {
  const merged = { ...DEFAULT_FUSION_WEIGHTS, ...weights };
  for (const leg of ['vector', 'keyword'] as const) {
    const weight = merged[leg];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw invalidArgument(`weights.${leg}`, 'must be a number ≥ 0', weight);
    }
  }
  if (merged.vector === 0 && merged.keyword === 0) {
    throw invalidArgument('weights', 'must give at least one leg a weight above 0', merged);
  }
  return merged;
}

/** The mode-specific options, checked; INVALID_ARGUMENT or KEYWORD_INDEX_MISSING otherwise. */
export function checkModeOptions(options: {
  readonly search: RankedSearchOptions;
  readonly namespace: string;
  readonly tableVersion: number;
}): {
  readonly mode: SearchMode;
  readonly query: string;
  readonly rrfK: number;
  readonly weights: FusionWeights;
} {
  const { search } = options;
  const mode = search.mode ?? 'vector';
  if (!SEARCH_MODES.includes(mode))
    throw invalidArgument('mode', `must be one of ${SEARCH_MODES.join(', ')}`, mode);
  if (mode !== 'keyword' && search.vector === undefined) {
    throw invalidArgument('vector', `is needed for ${mode} search`, undefined);
  }
  const rrfK = search.rrfK ?? DEFAULT_RRF_K;
  if (typeof rrfK !== 'number' || !Number.isFinite(rrfK) || rrfK < 0) {
    throw invalidArgument('rrfK', 'must be a number ≥ 0', rrfK);
  }
  const weights = checkWeights(search.weights);
  if (mode === 'vector') return { mode, query: search.query ?? '', rrfK, weights };
  const query = checkQueryText(search.query);
  if (options.tableVersion < KEYWORDS_TABLE_VERSION) throw keywordIndexMissing(options.namespace, mode);
  return { mode, query, rrfK, weights };
}
