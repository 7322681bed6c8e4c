// What to request next, phrased for HTTP from an error's code and details (the CLI phrases the
// same errors with its commands).
import type { HintPhrasing } from '@dynamic-embeddings/core';

export const httpHints: HintPhrasing = {
  NAMESPACE_NOT_FOUND: () =>
    'List namespaces with GET /v1/namespaces; create one with POST /v1/namespaces (ingesting into it also creates it).',
  COLLECTION_NOT_FOUND: ({ namespace }) =>
    typeof namespace === 'string'
      ? `List collections with GET /v1/namespaces/${namespace}/collections.`
      : undefined,
  TARGET_EXISTS: ({ target }) =>
    typeof target === 'string'
      ? `Send "into": "existing" to fill it if it is empty and uses the same model, or drop it first with DELETE /v1/namespaces/${target}?confirm=true.`
      : undefined,
  CONFIRMATION_REQUIRED: () => 'Repeat the request with ?confirm=true.',
  INDEX_DIMENSIONS_UNSUPPORTED: ({ suggested_storage: storage }) =>
    storage === 'halfvec'
      ? 'Create it with "storage": "halfvec", or "index_params": {"quantization": "binary"}, or "index": "none" for exact search.'
      : 'Create it with "index_params": {"quantization": "binary"} or "index": "none" for exact search, or use a model with fewer dimensions.',
};
