// One PostgreSQL server vs a Citus cluster (coordinator + workers) in the same run: bulk insert,
// HNSW build, ANN and exact search through the library. On one machine the cluster's nodes share
// the cores, so this measures Citus's overhead (a hop through the coordinator, two-phase commit),
// not its scale-out. Section `citus` of docs/benchmarks.md.
//
//   DATABASE_URL=postgres://…/bench CITUS_DATABASE_URL=postgres://…:5440/postgres \
//     pnpm --filter @dynamic-embeddings/bench exec tsx src/citus-bench.ts [--rows 20000] [--dimensions 256] [--queries 100]
//
// The Citus side runs in a fresh database on that cluster (created, then dropped).
import os from 'node:os';
import {
  buildIndexIfDue,
  connect,
  createNamespace,
  type Database,
  dropNamespace,
  getNamespace,
  openNamespace,
  redactUrl,
} from '@dynamic-embeddings/db';
import { createSeededRandom, startCitusTestDatabase } from '@dynamic-embeddings/testing';
import { benchArgs } from './bench-args.js';
import { currentCommand, formatNumber, publish } from './report.js';
import { median } from './statistics.js';

const usage = `Usage: DATABASE_URL=postgres://… CITUS_DATABASE_URL=postgres://… tsx src/citus-bench.ts [--rows N] [--dimensions N] [--queries N]

  --rows N        vectors loaded on each side (default 20000)
  --dimensions N  vector dimensions (default 256)
  --queries N     search queries per measurement (default 100)`;

const { numbers } = benchArgs({
  usage,
  numbers: { rows: { default: 20_000 }, dimensions: { default: 256 }, queries: { default: 100 } },
});
const { rows, dimensions, queries } = numbers;
const single = process.env.DATABASE_URL;
const cluster = process.env.CITUS_DATABASE_URL;
if (!single?.startsWith('postgres') || !cluster?.startsWith('postgres')) {
  throw new Error(
    'citus-bench needs DATABASE_URL (one PostgreSQL server) and CITUS_DATABASE_URL (a Citus coordinator)',
  );
}
const NAMESPACE = 'bench_citus';

/** Deterministic pseudo-random unit vectors, clustered so neighbours are meaningful. */
function vectors(count: number, seed: number): number[][] {
  const next = createSeededRandom(seed).next;
  const centres = Array.from({ length: 100 }, () => Array.from({ length: dimensions }, () => next() - 0.5));
  return Array.from({ length: count }, (_, index) => {
    const centre = centres[index % centres.length] as number[];
    const vector = centre.map((value) => value + 0.7 * (next() - 0.5));
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

interface Measured {
  readonly insertRowsPerSecond: number;
  readonly buildSeconds: number;
  readonly annP50: number;
  readonly exactP50: number;
  readonly annPerSecond: number;
}

async function measure(
  db: Database,
  data: readonly number[][],
  probes: readonly number[][],
): Promise<Measured> {
  if ((await getNamespace(db.orm, NAMESPACE)) !== undefined)
    await dropNamespace(db, NAMESPACE, { confirm: true });
  const identity = { dimensions, provider: 'bench', model: 'clustered' };
  await createNamespace(db, { namespace: NAMESPACE, ...identity, indexThreshold: rows + 1 });
  const handle = await openNamespace(db, NAMESPACE);
  const started = performance.now();
  await handle.insert(
    data.map((embedding, index) => ({
      chunk_id: `c${index}`,
      document_id: `d${Math.floor(index / 10)}`,
      collection_name: 'bench',
      text: `row ${index}`,
      embedding,
      strategy: 'flat',
      content_type: 'object',
    })),
  );
  const insertSeconds = (performance.now() - started) / 1000;
  const record = await getNamespace(db.orm, NAMESPACE);
  const building = performance.now();
  if (record !== undefined)
    await buildIndexIfDue(db, { namespace: { ...record, index_threshold: 0 }, restore: true });
  const buildSeconds = (performance.now() - building) / 1000;
  const searcher = await openNamespace(db, NAMESPACE);
  const time = async (exact: boolean) => {
    const samples: number[] = [];
    for (const vector of probes) {
      const at = performance.now();
      await searcher.search({ vector, limit: 10, exact });
      samples.push(performance.now() - at);
    }
    return samples;
  };
  const ann = await time(false);
  const exact = await time(true);
  await dropNamespace(db, NAMESPACE, { confirm: true });
  return {
    insertRowsPerSecond: rows / insertSeconds,
    buildSeconds,
    annP50: median(ann),
    exactP50: median(exact),
    annPerSecond: 1000 / (ann.reduce((sum, value) => sum + value, 0) / ann.length),
  };
}

const data = vectors(rows, 7);
const probes = vectors(queries, 8);
const citusDatabase = await startCitusTestDatabase(cluster);
const results: Record<'single' | 'citus', Measured> = {} as Record<'single' | 'citus', Measured>;
try {
  for (const [label, url] of [
    ['single', single],
    ['citus', citusDatabase.url],
  ] as const) {
    const db = await connect(url);
    try {
      results[label] = await measure(db, data, probes);
    } finally {
      await db.close();
    }
  }
} finally {
  await citusDatabase.close();
}

const metrics: [string, keyof Measured, 'higher' | 'lower'][] = [
  ['insert rows/s', 'insertRowsPerSecond', 'higher'],
  ['HNSW build s', 'buildSeconds', 'lower'],
  ['ANN search p50 ms (k=10)', 'annP50', 'lower'],
  ['exact search p50 ms (k=10)', 'exactP50', 'lower'],
  ['ANN searches/s (one client)', 'annPerSecond', 'higher'],
];
publish({
  id: 'citus',
  title: 'Citus: one server vs coordinator + 2 workers (same machine)',
  command: `CITUS_DATABASE_URL=${redactUrl(cluster)} ${currentCommand()}`,
  environment: `PostgreSQL 15 + pgvector on one server vs Citus (coordinator + 2 workers on loopback, same machine), ${formatNumber(rows)} × ${dimensions}-d rows, ${queries} queries`,
  tables: [
    {
      headers: ['metric', 'one server', 'Citus', 'Citus ÷ one server'],
      rows: metrics.map(([label, key]) => [
        label,
        results.single[key],
        results.citus[key],
        results.citus[key] / results.single[key],
      ]),
    },
  ],
  notes: [
    `Load average ${os.loadavg()[0]?.toFixed(1)} at the end (other jobs share the machine); the two systems ran one after the other, so load changes between them move the ratios.`,
    'All three Citus nodes and the single server share the same 2 cores, so the ratios show the cost of the extra hop (coordinator → worker) and of distributed transactions, not the capacity more machines add. A namespace is one shard on one worker: its searches run on that worker alone.',
  ],
});
