// The search modes by name, in a module that imports nothing: the CLI lists them in `--help` and
// reads the default at start-up, and importing the package's root for them would load drizzle,
// PGlite and postgres.js on every command (about 0.3 s of CPU before `dje --version` answers).

export type SearchMode = 'vector' | 'keyword' | 'hybrid';
export const SEARCH_MODES: readonly SearchMode[] = ['vector', 'keyword', 'hybrid'];

/**
 * The mode a search runs in when none is named. Hybrid: on the benchmark (docs/benchmarks.md,
 * "Hybrid search") it finds at least as many right documents in the top 5 as the better single
 * mode on identifier, descriptive and mixed queries alike, where vector search misses identifiers
 * and keyword search misses paraphrases, at under twice vector search's median time.
 */
export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';
