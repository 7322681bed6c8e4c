// Every benchmark `pnpm bench` runs, in order, and which of them to run this time.

export interface Benchmark {
  /** Short name for --only and the summary table, e.g. `search`. */
  readonly name: string;
  /** Script under src/. */
  readonly file: string;
  /** What it compares, for the summary table. */
  readonly description: string;
  /** Arguments `pnpm bench` passes, to keep the whole run within about 10 minutes on PGlite. */
  readonly args?: readonly string[];
}

export const BENCHMARKS: readonly Benchmark[] = [
  { name: 'insert', file: 'insert-bench.ts', description: 'bulk insert rows/s vs peers' },
  { name: 'chunking', file: 'chunking-bench.ts', description: 'JSON chunking throughput' },
  {
    name: 'embeddings',
    file: 'embeddings-bench.ts',
    description: 'embedding providers and request batching',
  },
  { name: 'migration', file: 'migration-bench.ts', description: 'namespace copy / move' },
  {
    name: 'storage',
    file: 'storage-bench.ts',
    description: 'vector vs halfvec vs binary quantization: size, build, recall, latency',
  },
  { name: 'ingest', file: 'ingest-bench.ts', description: 'end-to-end ingest' },
  {
    name: 'provider-ingest',
    file: 'provider-ingest-bench.ts',
    description: 'ingest through an OpenAI-compatible provider at 100 ms per request vs LangChain',
  },
  {
    name: 'search',
    file: 'search-bench.ts',
    description: 'latency, recall, filtered completeness vs peers',
    // Half its default queries: loading and indexing dominate, and recall over 100 queries is stable.
    args: ['--queries', '100'],
  },
  {
    name: 'hybrid',
    file: 'hybrid-bench.ts',
    description: 'vector vs keyword vs hybrid search: hit rate@5 and p50 on ids, descriptions, mixed',
  },
  { name: 'server', file: 'server-load-bench.ts', description: 'HTTP server under load' },
];

export interface PlannedRun extends Benchmark {
  /** False when the script does not exist (yet): reported, not run. */
  readonly present: boolean;
}

/**
 * The benchmarks to run, in BENCHMARKS order: all, or those named in `only`. Unknown names are an
 * error that lists the known ones, so a typo never silently runs nothing.
 */
export function planRuns(options: {
  readonly existingFiles: ReadonlySet<string>;
  readonly only?: readonly string[];
}): PlannedRun[] {
  const { existingFiles, only } = options;
  const known = new Set(BENCHMARKS.map((benchmark) => benchmark.name));
  const unknown = (only ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  }
  return BENCHMARKS.filter((benchmark) => only === undefined || only.includes(benchmark.name)).map(
    (benchmark) => ({ ...benchmark, present: existingFiles.has(benchmark.file) }),
  );
}
