// vector vs halfvec vs binary quantization + exact re-ranking, at one size: table and index size,
// HNSW build time, recall@10 and search latency once each is calibrated to the same recall target.
// Section `storage-<dimensions>` of docs/benchmarks.md.
//
//   pnpm --filter @dynamic-embeddings/bench exec tsx src/storage-bench.ts [--rows 10000] [--dimensions 1536] [--queries 50]
//
// Uses DATABASE_URL when set, else an in-memory PGlite database.
import {
  buildIndexIfDue,
  canIndex,
  connect,
  createNamespace,
  type Database,
  dropNamespace,
  getNamespace,
  indexNamesFor,
  openNamespace,
  queryRow,
  type VectorStorage,
} from '@dynamic-embeddings/db';
import { createSeededRandom } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { benchArgs } from './bench-args.js';
import { currentCommand, databaseTarget, formatNumber, publish, sectionFor } from './report.js';
import { median } from './statistics.js';

const usage = `Usage: [DATABASE_URL=postgres://…] tsx src/storage-bench.ts [--rows N] [--dimensions N] [--queries N]

  --rows N        vectors per contender (default 10000)
  --dimensions N  vector dimensions (default 1536)
  --queries N     queries for recall and latency (default 50)`;

const { numbers } = benchArgs({
  usage,
  numbers: { rows: { default: 10_000 }, dimensions: { default: 1536 }, queries: { default: 50 } },
});
const { rows, dimensions, queries } = numbers;
const RECALL_TARGET = 0.95;
const CLUSTERS = Math.max(10, Math.round(rows / 100));
const MB = 1024 * 1024;

interface Contender {
  readonly label: string;
  readonly namespace: string;
  readonly storage: VectorStorage;
  readonly quantization?: 'binary';
}

const contenders: Contender[] = [
  { label: 'vector (float32)', namespace: 'bench_storage_vector', storage: 'vector' },
  { label: 'halfvec (float16)', namespace: 'bench_storage_halfvec', storage: 'halfvec' },
  {
    label: 'binary quantization + exact re-rank (vector)',
    namespace: 'bench_storage_binary',
    storage: 'vector',
    quantization: 'binary',
  },
];

/** Embedding-like data: unit vectors around cluster centres, so neighbours are meaningful. */
function clusteredVectors(): Float32Array[] {
  const next = createSeededRandom(16).next;
  const centres = Array.from({ length: CLUSTERS }, () =>
    Float32Array.from({ length: dimensions }, () => next() - 0.5),
  );
  return Array.from({ length: rows }, (_, index) => {
    const centre = centres[index % CLUSTERS] as Float32Array;
    const vector = Float32Array.from(centre, (value) => value + 0.7 * (next() - 0.5));
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

async function measure(db: Database, contender: Contender, vectors: readonly Float32Array[]) {
  if ((await getNamespace(db.orm, contender.namespace)) !== undefined)
    await dropNamespace(db, contender.namespace, { confirm: true });
  const { namespace: record } = await createNamespace(db, {
    namespace: contender.namespace,
    dimensions,
    provider: 'bench',
    model: 'clustered',
    storage: contender.storage,
    index: 'hnsw',
    ...(contender.quantization === undefined
      ? {}
      : { indexParams: { quantization: contender.quantization } }),
    // Above the row count: the build is timed on its own.
    indexThreshold: rows + 1,
    recallTarget: RECALL_TARGET,
  });
  const handle = await openNamespace(db, contender.namespace);
  for (let start = 0; start < rows; start += 2_000) {
    const batch = vectors.slice(start, start + 2_000).map((embedding, offset) => ({
      chunk_id: `chunk-${start + offset}`,
      document_id: `doc-${Math.floor((start + offset) / 10)}`,
      collection_name: 'bench',
      text: `row ${start + offset}`,
      embedding,
      strategy: 'flat',
      content_type: 'object',
    }));
    await handle.insert(batch, { batchSize: batch.length });
  }
  const buildStarted = performance.now();
  await buildIndexIfDue(db, { namespace: record, restore: true });
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const sizes = await queryRow<{ table_bytes: number; index_bytes: number }>(
    db.orm,
    sqlSizes(record.table_name),
  );
  const calibrated = await openNamespace(db, contender.namespace);
  const tuning = await calibrated.calibrate({ sample: queries });
  const searcher = await openNamespace(db, contender.namespace);
  const recall = await searcher.measureRecall({ sample: queries });
  const latencies: number[] = [];
  for (let index = 0; index < queries; index++) {
    const vector = vectors[(index * 7919) % rows] as Float32Array;
    const started = performance.now();
    await searcher.search({ vector, limit: 10 });
    latencies.push(performance.now() - started);
  }
  await dropNamespace(db, contender.namespace, { confirm: true });
  const setting =
    tuning.oversample !== undefined
      ? `oversample ${tuning.oversample}`
      : `ef_search ${tuning.ef_search ?? '-'}`;
  return [
    contender.label,
    (sizes?.table_bytes ?? 0) / MB,
    (sizes?.index_bytes ?? 0) / MB,
    buildSeconds,
    setting,
    recall.recall,
    median(latencies),
  ];
}

function sqlSizes(tableName: string) {
  const index = indexNamesFor(tableName).vector;
  return sql`SELECT pg_table_size(to_regclass(quote_ident(${tableName})))::float8 AS table_bytes,
                     pg_relation_size(to_regclass(quote_ident(${index})))::float8 AS index_bytes`;
}

const db = await connect(process.env.DATABASE_URL ?? 'memory://');
try {
  const vectors = clusteredVectors();
  const results: (string | number)[][] = [];
  const skipped: string[] = [];
  for (const contender of contenders) {
    if (
      !canIndex({
        dimensions,
        storage: contender.storage,
        indexType: 'hnsw',
        quantization: contender.quantization,
      })
    ) {
      skipped.push(
        `${contender.label}: pgvector does not index ${contender.storage} columns of ${dimensions} dimensions.`,
      );
      continue;
    }
    process.stderr.write(`${contender.label}…\n`);
    results.push(await measure(db, contender, vectors));
  }
  const environment =
    db.driver === 'pglite'
      ? `PGlite in-process, in memory (PostgreSQL ${db.versions.postgres}, pgvector ${db.versions.pgvector})`
      : `postgres.js → PostgreSQL ${db.versions.postgres} (pgvector ${db.versions.pgvector})`;
  publish({
    ...sectionFor(databaseTarget(process.env.DATABASE_URL), {
      id: `storage-${dimensions}`,
      title: `Vector storage: ${formatNumber(rows)} rows × ${dimensions} dimensions`,
    }),
    command: currentCommand(),
    environment,
    tables: [
      {
        title: `HNSW (m=16, ef_construction=64), each calibrated to recall@10 ≥ ${RECALL_TARGET} on ${queries} stored vectors`,
        headers: ['storage', 'table MB', 'index MB', 'build s', 'calibrated setting', 'recall@10', 'p50 ms'],
        rows: results,
      },
    ],
    notes: [
      `Data: ${formatNumber(rows)} unit vectors in ${CLUSTERS} clusters (centre + noise), like embeddings whose neighbours share a topic; queries are stored vectors, their own row left out of recall.`,
      'Binary quantization indexes binary_quantize(embedding)::bit(D) with bit_hamming_ops and re-ranks limit × oversample candidates by exact cosine distance; oversample is calibrated like ef_search.',
      'Latency is one search at a time through the library (planner, settings in the query transaction), median of the queries; single runs on a shared 2-core machine.',
      ...skipped,
    ],
  });
} finally {
  await db.close();
}
