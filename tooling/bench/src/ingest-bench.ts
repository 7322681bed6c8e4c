// End-to-end ingest benchmark: documents of the kinds in examples/ (ad campaigns, analytics reports,
// sensor networks, product catalogs, app configs), varied and scaled up to the requested number of
// chunks, streamed as NDJSON through EmbeddingPipeline.processJsonStream with the offline local
// provider into an embedded PGlite database on disk. Reports documents/s and chunks/s end to end,
// where the time went (chunk / embed / store, and the ANN index build when the namespace's policy
// triggers one), and peak RSS.
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  type CreateNamespaceOptions,
  chunkJson,
  createPipeline,
  type EmbeddingPipeline,
  type PhaseTimings,
  type ProgressEvent,
} from '@dynamic-embeddings/pipeline';
import { createSeededRandom, type SeededRandom } from '@dynamic-embeddings/testing';
import { benchArgs } from './bench-args.js';
import { currentCommand, formatNumber, publish, renderTextTable, repoRoot, type Table } from './report.js';

const usage = `Usage: tsx src/ingest-bench.ts [--chunks N] [--batch-documents N] [--seed N] [--no-publish]

  --chunks N           generate documents until they make at least N chunks (default 12000)
  --batch-documents N  documents per write batch of processJsonStream (default 64)
  --seed N             seed of the generated documents (default 7)
  --no-publish         print the tables only; leave docs/benchmarks.md alone`;

const { numbers, flags } = benchArgs({
  usage,
  numbers: { chunks: { default: 12_000 }, 'batch-documents': { default: 64 }, seed: { default: 7 } },
  flags: ['no-publish'],
});
const targetChunks = numbers.chunks;
const batchDocuments = numbers['batch-documents'];
const { seed } = numbers;

/** The target for the embedded database, index build included. */
const targetChunksPerSecond = 1_000;
const exampleKinds = ['campaigns', 'analytics-report', 'sensor-data', 'products', 'app-config'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const countries = ['Norway', 'Sweden', 'Denmark', 'Finland', 'Iceland', 'Germany', 'Netherlands', 'Poland'];
const cities = ['Oslo', 'Bergen', 'Stockholm', 'Gothenburg', 'Copenhagen', 'Aarhus', 'Helsinki', 'Reykjavik'];

/**
 * A variation of an example document: numbers scaled by ±30% (whole numbers stay whole), countries
 * and cities swapped, identifiers suffixed so every document is distinct, and arrays of objects
 * resampled to between half and twice their length from varied copies of their items.
 */
function vary(value: Json, random: SeededRandom, suffix: string, key = ''): Json {
  if (typeof value === 'number') {
    const scaled = value * (0.7 + 0.6 * random.next());
    return Number.isInteger(value) ? Math.round(scaled) : Math.round(scaled * 1000) / 1000;
  }
  if (typeof value === 'string') {
    if (countries.includes(value)) return countries[random.integer(countries.length)] ?? value;
    if (cities.includes(value)) return cities[random.integer(cities.length)] ?? value;
    if (/(^|_)id$/.test(key) || key === 'sku') return `${value}-${suffix}`;
    return value;
  }
  if (Array.isArray(value)) {
    const objects = value.length > 0 && value.every((item) => typeof item === 'object' && item !== null);
    if (!objects) return value.map((item) => vary(item, random, suffix));
    const length = Math.max(1, Math.round(value.length * (0.5 + 1.5 * random.next())));
    return Array.from({ length }, (_, index) =>
      vary(value[random.integer(value.length)] as Json, random, `${suffix}-${index}`),
    );
  }
  if (value === null || typeof value === 'boolean') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [name, vary(item, random, suffix, name)]),
  );
}

interface Corpus {
  readonly file: string;
  readonly documentIds: readonly string[];
  readonly documents: number;
  readonly chunks: number;
  readonly bytes: number;
}

/** Writes NDJSON documents until chunking them yields at least `targetChunks` chunks (untimed). */
function generateCorpus(directory: string): Corpus {
  const random = createSeededRandom(seed);
  const templates = exampleKinds.map(
    (kind) => JSON.parse(readFileSync(path.join(repoRoot, 'examples', `${kind}.json`), 'utf8')) as Json,
  );
  const lines: string[] = [];
  const documentIds: string[] = [];
  let chunks = 0;
  while (chunks < targetChunks) {
    const index = lines.length;
    const kind = exampleKinds[index % exampleKinds.length]!;
    const document = {
      id: `${kind}-${index}`,
      ...(vary(templates[index % templates.length]!, random, String(index)) as object),
    };
    chunks += chunkJson(document, { documentId: document.id }).chunks.length;
    lines.push(JSON.stringify(document));
    documentIds.push(document.id);
  }
  const file = path.join(directory, 'corpus.ndjson');
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, text);
  return { file, documentIds, documents: lines.length, chunks, bytes: Buffer.byteLength(text) };
}

interface Policy {
  readonly label: string;
  /** Passed to createPipeline; undefined keeps the pipeline's default for the database. */
  readonly newNamespaces: CreateNamespaceOptions | undefined;
}

interface Measurement {
  readonly policy: Policy;
  readonly documents: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly indexType: string;
  readonly indexThreshold: number;
  readonly indexBuilt: boolean;
  readonly timings: PhaseTimings;
  /** Estimated time of the index build inside the write that triggered it. */
  readonly indexMs: number;
  readonly indexWriteRows: number;
  readonly msPerRow: number;
  /** Mean latency of the queries below, after the ingest. */
  readonly searchMs: number;
  /** Mean recall@10 of those queries against an exact scan computed here. */
  readonly recall: number;
  /** PostgreSQL and pgvector versions, for the report. */
  readonly versions: string;
}

/** One ingest of the corpus into a fresh embedded database, end to end. */
async function measure(corpus: Corpus, policy: Policy, directory: string): Promise<Measurement> {
  const pipeline = await createPipeline({
    databaseUrl: `pglite://${directory}`,
    namespace: 'bench_ingest',
    ...(policy.newNamespaces === undefined ? {} : { newNamespaces: policy.newNamespaces }),
  });
  try {
    const writes: { rows: number; ms: number; indexBuilt: boolean }[] = [];
    let rowsBefore = 0;
    let indexPending = false;
    // Sampled at every write: the process-wide maxRSS would carry one run's peak into the next.
    let peakRss = process.memoryUsage().rss;
    const onProgress = (event: ProgressEvent) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (event.phase === 'index') indexPending = true;
      if (event.phase !== 'store') return;
      writes.push({
        rows: (event.chunks ?? 0) - rowsBefore,
        ms: event.duration_ms ?? 0,
        indexBuilt: indexPending,
      });
      rowsBefore = event.chunks ?? 0;
      indexPending = false;
    };
    const started = performance.now();
    const result = await pipeline.processJsonStream(createReadStream(corpus.file), {
      collectionName: 'bench',
      batchDocuments,
      onProgress,
    });
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const stats = await pipeline.getNamespaceStats();
    if (!stats.exists || stats.embedding_count !== result.chunks || result.chunks !== corpus.chunks) {
      throw new Error(
        `stored ${stats.exists ? stats.embedding_count : 0} rows, ingested ${result.chunks} chunks, generated ${corpus.chunks}: they should all agree`,
      );
    }
    const { searchMs, recall } = await searchQuality(pipeline, corpus);

    // The index is built inside the write that crossed the threshold; its cost is that write's
    // time beyond what its rows took in the writes before it (later ones may pay for the index).
    const indexAt = writes.findIndex((write) => write.indexBuilt);
    const before = indexAt < 0 ? writes : writes.slice(0, indexAt);
    const msPerRow =
      before.reduce((sum, write) => sum + write.ms, 0) /
      Math.max(
        1,
        before.reduce((sum, write) => sum + write.rows, 0),
      );
    const indexWrite = writes[indexAt];
    return {
      policy,
      documents: result.documents,
      chunks: result.chunks,
      seconds,
      peakRssMiB: peakRss / 2 ** 20,
      indexType: stats.index_type,
      indexThreshold: stats.index_threshold,
      indexBuilt: result.index_built === true,
      timings: result.timings ?? { chunk_ms: 0, embed_ms: 0, store_ms: 0 },
      indexMs: indexWrite === undefined ? 0 : Math.max(0, indexWrite.ms - indexWrite.rows * msPerRow),
      indexWriteRows: indexWrite?.rows ?? 0,
      msPerRow,
      searchMs,
      recall,
      versions: `PostgreSQL ${pipeline.db.versions.postgres}, pgvector ${pipeline.db.versions.pgvector}`,
    };
  } finally {
    await pipeline.close();
  }
}

const queries = [
  'temperature sensor battery low',
  'mobile banners with high CTR in Norway',
  'video campaign completion rate in Sweden',
  'publisher revenue growth from private marketplace deals',
  'header bidding timeout and fill rate',
  'waterproof hiking boots on sale',
  'down sleeping bag comfort temperature',
  'feature flag rollout for buy now pay later',
  'database connection pool and read replicas',
  'greenhouse humidity sensor readings',
  'retargeting loan calculator visitors in Denmark',
  'payment provider timeout and retries',
];

/**
 * Search latency, and recall@10 against the exact nearest neighbours: every stored vector is read
 * back and compared in JavaScript, so an ANN index that loses results shows here.
 */
async function searchQuality(
  pipeline: EmbeddingPipeline,
  corpus: Corpus,
): Promise<{ readonly searchMs: number; readonly recall: number }> {
  const rows: { chunk_id: string; embedding: number[] }[] = [];
  for (const documentId of corpus.documentIds) {
    for (const row of await pipeline.getDocument(documentId, { includeVectors: true })) {
      rows.push({ chunk_id: row.chunk_id, embedding: row.embedding ?? [] });
    }
  }
  const norms = rows.map((row) => Math.hypot(...row.embedding));
  const vectors = await pipeline.provider.embed(queries);
  let searchMs = 0;
  let found = 0;
  for (const [index, query] of queries.entries()) {
    const vector = vectors[index]!;
    const queryNorm = Math.hypot(...vector);
    const exact = rows
      .map((row, rowIndex) => {
        let dot = 0;
        for (let dimension = 0; dimension < vector.length; dimension++) {
          dot += vector[dimension]! * row.embedding[dimension]!;
        }
        return { chunk_id: row.chunk_id, similarity: dot / (queryNorm * norms[rowIndex]!) };
      })
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 10);
    const started = performance.now();
    const hits = await pipeline.searchSimilar(query, { limit: 10 });
    searchMs += performance.now() - started;
    const returned = new Set(hits.map((hit) => hit.chunk_id));
    found += exact.filter((neighbour) => returned.has(neighbour.chunk_id)).length;
  }
  return { searchMs: searchMs / queries.length, recall: found / (10 * queries.length) };
}

function phaseTable(run: Measurement): Table {
  const totalMs = run.seconds * 1000;
  const { chunk_ms, embed_ms, store_ms } = run.timings;
  const row = (phase: string, ms: number) => [
    phase,
    Math.round(ms),
    `${((100 * ms) / totalMs).toFixed(0)} %`,
  ];
  return {
    title: `Where the time went (${run.policy.label})`,
    headers: ['phase', 'ms', 'share'],
    rows: [
      row('chunk (read, parse, chunk)', chunk_ms),
      row('embed (reuse lookup, local provider)', embed_ms),
      row('store (COPY + merge), index build excluded', store_ms - run.indexMs),
      row(`index build (${run.indexType}, ≈)`, run.indexMs),
      row('other (batching, progress)', totalMs - chunk_ms - embed_ms - store_ms),
    ],
  };
}

async function main(): Promise<void> {
  const directory = mkdtempSync(path.join(tmpdir(), 'dje-ingest-bench-'));
  try {
    const corpus = generateCorpus(directory);
    console.log(
      `generated ${formatNumber(corpus.documents)} documents, ${formatNumber(corpus.chunks)} chunks, ${formatNumber(Math.round(corpus.bytes / 1024))} KiB of NDJSON`,
    );
    const policies: Policy[] = [
      { label: 'pipeline default for PGlite', newNamespaces: undefined },
      {
        label: 'HNSW from 10,000 rows (the server default)',
        newNamespaces: { index: 'hnsw', indexThreshold: 10_000 },
      },
    ];
    // JIT, WASM and file-system warm-up on a throwaway database like the measured ones, so the
    // first policy measured does not pay for it (it did: ~25 % slower than the same run second).
    const warmUp = await createPipeline({
      databaseUrl: `pglite://${path.join(directory, 'pgdata-warm-up')}`,
      namespace: 'warm_up',
    });
    const firstLines = readFileSync(corpus.file, 'utf8').split('\n').slice(0, 100).join('\n');
    await warmUp.processJsonStream(Readable.from([firstLines]), { collectionName: 'warm_up' });
    await warmUp.close();
    const runs: Measurement[] = [];
    for (const [index, policy] of policies.entries()) {
      console.log(`ingesting with ${policy.label}…`);
      runs.push(await measure(corpus, policy, path.join(directory, `pgdata-${index}`)));
    }
    const [primary] = runs as [Measurement, ...Measurement[]];
    const throughput: Table = {
      title: `End to end: processJsonStream of ${formatNumber(corpus.documents)} documents, local provider (384 dimensions), batches of ${batchDocuments} documents`,
      headers: [
        'index policy',
        'chunks',
        'seconds',
        'documents/s',
        'chunks/s',
        'index build (≈ s)',
        'search (ms)',
        'recall@10',
        'peak RSS (MiB)',
      ],
      rows: runs.map((run) => [
        `${run.policy.label}: ${run.indexType} from ${formatNumber(run.indexThreshold)} rows`,
        run.chunks,
        run.seconds,
        run.documents / run.seconds,
        run.chunks / run.seconds,
        run.indexBuilt ? run.indexMs / 1000 : 'not built',
        run.searchMs,
        run.recall,
        Math.round(run.peakRssMiB),
      ]),
    };
    const chunksPerSecond = primary.chunks / primary.seconds;
    const notes = [
      `Corpus: ${formatNumber(corpus.documents)} documents generated from the five examples/ documents (numbers, places, ids and array lengths varied, seed ${seed}), ${formatNumber(corpus.chunks)} chunks, ${formatNumber(Math.round(corpus.bytes / 1024))} KiB of NDJSON, streamed from a file. Each policy ingests into its own fresh on-disk PGlite; the namespace is auto-created by the first write.`,
      `Search: mean latency of ${queries.length} queries (limit 10) after the ingest, through the pipeline (query embedding included); recall@10 against the exact nearest neighbours, computed in JavaScript from every stored vector.`,
      "The index is built inside the write that crosses the threshold; its time is that write's time minus what its rows cost per row in the writes before it, hence ≈. After an HNSW build every further insert maintains the graph row by row, which is the rest of the difference in store time.",
      `Target ≥ ${formatNumber(targetChunksPerSecond)} chunks/s end to end on the embedded database, index build included, with the pipeline's default policy: ${chunksPerSecond >= targetChunksPerSecond ? 'holds' : 'does NOT hold'} on this run (${formatNumber(Math.round(chunksPerSecond))} chunks/s; load average at the end ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores).`,
    ];
    const section = {
      id: 'ingest',
      title: 'End-to-end ingest (pipeline, embedded PGlite)',
      command: currentCommand(),
      environment: `PGlite in-process on disk (${primary.versions})`,
      tables: [throughput, ...runs.map(phaseTable)],
      notes,
    };
    if (flags['no-publish']) {
      for (const table of section.tables) console.log(`${renderTextTable(table)}\n`);
      for (const note of notes) console.log(note);
    } else {
      publish(section);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
