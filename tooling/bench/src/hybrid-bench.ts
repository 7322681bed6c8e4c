// Hybrid search: vector, keyword and hybrid mode over generated JSON (campaigns, products, IoT
// devices, yield reports) with three query sets — exact identifiers, descriptive text, mixed —
// through pipeline.searchWithPlan, with the local provider and with the openai provider against
// the OpenAI-compatible test server on 127.0.0.1 (its vectors come from a hash of the text, so they
// carry no meaning: that run measures the path and its latency, and what keyword search adds when
// the vectors are no help). Reports hit rate@5 (the query's document among the first five hits)
// and the median latency per mode.
//
//   [DATABASE_URL=postgres://…] pnpm --filter @dynamic-embeddings/bench exec tsx --conditions=source src/hybrid-bench.ts [--documents N] [--queries N]
import { performance } from 'node:perf_hooks';
import {
  createLocalProvider,
  createOpenAIProvider,
  type EmbeddingProvider,
} from '@dynamic-embeddings/embeddings';
import { createPipeline, DEFAULT_SEARCH_MODE, type SearchMode } from '@dynamic-embeddings/pipeline';
import { startPgliteServer } from '@dynamic-embeddings/testing';
import { startTestOpenAIServer } from '../../../packages/embeddings/src/testing/openai-server.js';
import { benchArgs } from './bench-args.js';
import { type BenchQuery, hybridDataset, type QuerySetName } from './hybrid/hybrid-dataset.js';
import { currentCommand, databaseTarget, formatNumber, publish, sectionFor } from './report.js';
import { median } from './statistics.js';

const MODES: readonly SearchMode[] = ['vector', 'keyword', 'hybrid'];
const SETS: readonly QuerySetName[] = ['identifiers', 'descriptive', 'mixed'];
const K = 5;

const usage = `Usage: tsx src/hybrid-bench.ts [--documents N] [--queries N] [--no-publish]
  --documents N   generated JSON documents (default 5000)
  --queries N     queries in each of the three sets (default 100)
  --no-publish    print the tables only; leave docs/benchmarks.md alone`;

interface Cell {
  readonly hitRate: number;
  readonly p50Ms: number;
}

/** Ingests the documents with `provider`, then runs every query set in every mode. */
async function measureProvider(options: {
  readonly databaseUrl: string;
  readonly provider: EmbeddingProvider;
  readonly namespace: string;
  readonly dataset: ReturnType<typeof hybridDataset>;
}): Promise<{ readonly cells: Map<string, Cell>; readonly chunks: number }> {
  const { provider, namespace, dataset } = options;
  const pipeline = await createPipeline({ databaseUrl: options.databaseUrl, namespace, provider });
  try {
    await pipeline.store.dropNamespace(namespace, { confirm: true }).catch(() => {});
    const ingested = await pipeline.ingest(
      dataset.documents.map((document) => ({ kind: 'data' as const, ...document })),
      { collectionName: 'records' },
    );
    console.log(`${provider.provider}: ${ingested.documents} documents, ${ingested.chunks} chunks stored`);
    const cells = new Map<string, Cell>();
    const search = async (query: BenchQuery, mode: SearchMode) => {
      const started = performance.now();
      const hits = await pipeline.searchSimilar(query.text, { mode, limit: K, threshold: -1 });
      const ms = performance.now() - started;
      return { ms, hit: hits.some((hit) => hit.document_id === query.documentId) };
    };
    // One warm-up query per mode: the first statement of each kind is prepared and planned.
    for (const mode of MODES) await search(dataset.queries.mixed[0] as BenchQuery, mode);
    for (const set of SETS) {
      const timings = new Map(MODES.map((mode) => [mode, [] as number[]]));
      const hits = new Map(MODES.map((mode) => [mode, 0]));
      // The modes take turns query by query, so a change in the machine's load hits them alike.
      for (const query of dataset.queries[set]) {
        for (const mode of MODES) {
          const result = await search(query, mode);
          timings.get(mode)?.push(result.ms);
          if (result.hit) hits.set(mode, (hits.get(mode) ?? 0) + 1);
        }
      }
      for (const mode of MODES) {
        cells.set(`${set}:${mode}`, {
          hitRate: (hits.get(mode) ?? 0) / dataset.queries[set].length,
          p50Ms: median(timings.get(mode) ?? []),
        });
      }
    }
    await pipeline.store.dropNamespace(namespace, { confirm: true });
    return { cells, chunks: ingested.chunks };
  } finally {
    await pipeline.close();
  }
}

/** One table per provider: a row per query set, hit rate@5 and p50 per mode, and the targets. */
function providerTable(title: string, cells: Map<string, Cell>) {
  const cell = (set: QuerySetName, mode: SearchMode) => cells.get(`${set}:${mode}`) as Cell;
  const rows = SETS.map((set) => {
    const best = Math.max(cell(set, 'vector').hitRate, cell(set, 'keyword').hitRate);
    const ratio = cell(set, 'hybrid').p50Ms / cell(set, 'vector').p50Ms;
    return [
      set,
      ...MODES.map((mode) => `${(100 * cell(set, mode).hitRate).toFixed(0)}%`),
      ...MODES.map((mode) => formatNumber(cell(set, mode).p50Ms)),
      cell(set, 'hybrid').hitRate >= best ? 'yes' : 'no',
      `${ratio.toFixed(2)}× ${ratio <= 2 ? '(≤ 2×)' : '(> 2×)'}`,
    ];
  });
  return {
    title,
    headers: [
      'query set',
      ...MODES.map((mode) => `hit@${K} ${mode}`),
      ...MODES.map((mode) => `p50 ms ${mode}`),
      'hybrid ≥ best single',
      'hybrid p50 / vector p50',
    ],
    rows,
  };
}

async function main(): Promise<void> {
  const { numbers, flags } = benchArgs({
    usage,
    numbers: { documents: { default: 5000, min: 4 }, queries: { default: 100 } },
    flags: ['no-publish'],
  });
  const { documents, queries } = numbers;
  const dataset = hybridDataset({ documents, queriesPerSet: queries });
  const envUrl = process.env.DATABASE_URL;
  const pglite = envUrl === undefined || envUrl === '' ? await startPgliteServer() : undefined;
  const databaseUrl = pglite?.url ?? (envUrl as string);
  const server = await startTestOpenAIServer({ inOrder: true });
  const tables = [];
  try {
    const local = await measureProvider({
      databaseUrl,
      provider: createLocalProvider(),
      namespace: 'bench_hybrid_local',
      dataset,
    });
    tables.push(providerTable(`local provider (${formatNumber(local.chunks)} chunks)`, local.cells));
    const openai = await measureProvider({
      databaseUrl,
      provider: createOpenAIProvider({
        baseURL: server.baseURL,
        apiKey: 'bench',
        model: 'text-embedding-3-small',
        dimensions: 256,
      }),
      namespace: 'bench_hybrid_openai',
      dataset,
    });
    tables.push(
      providerTable(
        `openai provider through the test server on 127.0.0.1 (hash vectors, no meaning; ${formatNumber(openai.chunks)} chunks)`,
        openai.cells,
      ),
    );
  } finally {
    await server.close();
    await pglite?.close();
  }
  const section = {
    ...sectionFor(databaseTarget(envUrl), {
      id: 'hybrid',
      title: `Hybrid search: ${formatNumber(documents)} generated JSON documents, ${queries} queries per set`,
    }),
    command: currentCommand(),
    environment:
      pglite === undefined
        ? `PostgreSQL at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`
        : 'PGlite served over the wire by pglite-socket',
    tables,
    notes: [
      `hit@${K}: the query's document among the first ${K} hits (every chunk of a document counts as it). p50: median of pipeline.searchSimilar end to end (the query embedded in every mode, then searched), one query at a time, the three modes taking turns query by query. Query sets: identifiers (the id alone, e.g. cmp_01042), descriptive (the description reworded, with words the document lacks), mixed (the id and two words of the document).`,
      `Keyword mode ANDs the query's words (websearch_to_tsquery), so a reworded question whose words the document lacks finds nothing by keyword; hybrid keeps the vector leg's answer there and adds the exact match where ids are typed. Default mode with no flag: ${DEFAULT_SEARCH_MODE}.`,
      'Targets (issue 17): hybrid ≥ the better single mode on every query set; hybrid p50 ≤ 2× vector p50.',
    ],
  };
  if (flags['no-publish']) {
    for (const table of tables) console.log(table);
    return;
  }
  publish(section);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
