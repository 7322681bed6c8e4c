// A search query must fit the provider's input limit: truncating it would silently search for
// something other than what was asked.
import { createError } from '@dynamic-embeddings/core';
import { type EmbeddingProvider, loadTokenCounter } from '@dynamic-embeddings/embeddings';

export async function checkQuery(queryText: unknown, provider: EmbeddingProvider): Promise<string> {
  if (typeof queryText !== 'string' || queryText.trim() === '') {
    throw createError({
      code: 'EMPTY_QUERY',
      message: 'The search query is empty: give some text to search for.',
    });
  }
  const limit = provider.maxTokensPerInput;
  // Providers without a context window (local hashing) accept any length; skip loading the tokenizer.
  if (!Number.isFinite(limit)) return queryText;
  const tokens = (await loadTokenCounter())(queryText);
  if (tokens > limit) {
    throw createError({
      code: 'QUERY_TOO_LONG',
      message: `The search query has ${tokens} tokens; ${provider.provider}/${provider.model} accepts at most ${limit}. Shorten the query.`,
      details: { tokens, limit, provider: provider.provider, model: provider.model },
    });
  }
  return queryText;
}
