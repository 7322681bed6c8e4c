// `@dynamic-embeddings/pipeline/search-modes`: the search modes and the default without loading the
// database drivers (see the db package's search-mode-names.ts for why).
export { DEFAULT_SEARCH_MODE, SEARCH_MODES, type SearchMode } from '@dynamic-embeddings/db/search-mode-names';
