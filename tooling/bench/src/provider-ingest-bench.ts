// Ingest through an embedding provider at API-like latency: a folder of small JSON files embedded
// through an OpenAI-compatible server on 127.0.0.1 that holds every answer back (100 ms by default),
// ours (pipeline.ingest, the openai provider, default settings) against LangChain.js
// (@langchain/openai OpenAIEmbeddings + PGVectorStore.addDocuments, each file's JSON text one
// document), into the same database in the same run. Reports documents/s and requests sent, and
// each part of ours' work measured alone on the rows it stored (embedding every text, writing every
// row, building the index), against the time that 5× LangChain's documents/s allows.
//
//   [DATABASE_URL=postgres://…] pnpm --filter @dynamic-embeddings/bench exec tsx --conditions=source src/provider-ingest-bench.ts [--files N] [--latency-ms N]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { connect, createVectorStore, type EmbeddingInput } from '@dynamic-embeddings/db';
import { createOpenAIProvider, embedAll } from '@dynamic-embeddings/embeddings';
import { createPipeline } from '@dynamic-embeddings/pipeline';
import { createSeededRandom, startPgliteServer } from '@dynamic-embeddings/testing';
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import { Document } from '@langchain/core/documents';
import { OpenAIEmbeddings } from '@langchain/openai';
import pg from 'pg';
import { startTestOpenAIServer } from '../../../packages/embeddings/src/testing/openai-server.js';
import {
  currentCommand,
  databaseTarget,
  formatNumber,
  publish,
  renderTextTable,
  sectionFor,
} from './report.js';

const MODEL = 'text-embedding-3-small';
/** Default dimensions of the requested embeddings (--dimensions). */
const DEFAULT_DIMENSIONS = 256;
const NAMESPACE = 'bench_provider_ingest';
const LANGCHAIN_TABLE = 'langchain_provider_ingest';
/** Where the floor measurement writes ours' rows again (see `measureFloors`). */
const FLOOR_NAMESPACE = 'bench_provider_floor';

const usage = `Usage: tsx src/provider-ingest-bench.ts [--files N] [--latency-ms N] [--rounds N] [--dimensions N] [--no-publish]
  --files N        small JSON files in the folder (default 10000)
  --dimensions N   dimensions of the embeddings asked for (default 256; 1536 is the model's full size)
  --latency-ms N   how long the test server holds back every answer (default 100)
  --rounds N       alternating rounds of ours and LangChain; medians are reported (default 3)
  --no-publish     print the table only; leave docs/benchmarks.md alone`;

/** A small JSON document of one of four shapes users ingest (IoT, campaigns, users, products). */
function smallDocument(index: number, random: () => number): unknown {
  const code = String(index).padStart(5, '0');
  switch (index % 4) {
    case 0:
      return {
        sensor_id: `sensor-${code}`,
        site: { building: `B${index % 9}`, room: `room ${index % 40}` },
        readings: {
          temperature: 18 + random() * 8,
          humidity: 30 + random() * 40,
          battery: Math.round(random() * 100),
        },
      };
    case 1:
      return {
        campaign_id: `cmp_${code}`,
        name: `Campaign ${code} — ${['spring sale', 'back to school', 'winter boots'][index % 3]}`,
        budget: { daily: Math.round(500 + random() * 2000), currency: 'EUR' },
        metrics: { impressions: Math.round(random() * 1e6), clicks: Math.round(random() * 1e4) },
      };
    case 2:
      return {
        user_id: `u-${code}`,
        email: `user${code}@example.com`,
        profile: { country: ['NO', 'SE', 'DE', 'FR'][index % 4], plan: ['free', 'pro'][index % 2] },
      };
    default:
      return {
        sku: `sku_${code}`,
        title: `Product ${code}`,
        price: Math.round(random() * 10000) / 100,
        tags: ['outdoor', 'kitchen', 'garden', 'office'].slice(0, 1 + (index % 4)),
      };
  }
}

function writeFolder(files: number): { readonly directory: string; readonly paths: string[] } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'dje-provider-bench-'));
  const folder = path.join(directory, 'documents');
  mkdirSync(folder);
  const random = createSeededRandom(7_007);
  const paths: string[] = [];
  for (let index = 0; index < files; index++) {
    const file = path.join(folder, `doc-${String(index).padStart(5, '0')}.json`);
    writeFileSync(file, JSON.stringify(smallDocument(index, () => random.next())));
    paths.push(file);
  }
  return { directory, paths };
}

interface Measurement {
  readonly system: string;
  readonly seconds: number;
  /** Of `seconds`, the ANN index build and search calibration after the last write (ours only). */
  readonly indexSeconds: number;
  readonly requests: number;
  readonly inputs: number;
  readonly rows: number;
}

async function runOurs(options: {
  readonly dimensions: number;
  readonly databaseUrl: string;
  readonly baseURL: string;
  readonly paths: readonly string[];
  /** Called with the rows ours stored (read back untimed, vectors included) before they are dropped. */
  readonly onRows?: (rows: EmbeddingInput[]) => void;
}): Promise<Omit<Measurement, 'requests' | 'inputs'>> {
  const provider = createOpenAIProvider({
    baseURL: options.baseURL,
    apiKey: 'bench',
    model: MODEL,
    dimensions: options.dimensions,
  });
  const pipeline = await createPipeline({ databaseUrl: options.databaseUrl, namespace: NAMESPACE, provider });
  try {
    await pipeline.store.dropNamespace(NAMESPACE, { confirm: true }).catch(() => {});
    const started = performance.now();
    let lastStore = started;
    const result = await pipeline.ingest(
      options.paths.map((file) => ({ kind: 'file' as const, path: file })),
      {
        collectionName: 'documents',
        onProgress: (event) => {
          if (event.phase === 'store') lastStore = performance.now();
        },
      },
    );
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    // The index is built (and calibrated) after the last batch is stored, when the run reached the threshold.
    const indexSeconds = result.index_built ? (ended - lastStore) / 1000 : 0;
    if (result.documents !== options.paths.length)
      throw new Error(`ours stored ${result.documents} documents`);
    if (options.onRows !== undefined) options.onRows(await storedRows(options.databaseUrl));
    await pipeline.store.dropNamespace(NAMESPACE, { confirm: true });
    return {
      system: 'dynamic-embeddings pipeline.ingest (openai provider)',
      seconds,
      indexSeconds,
      rows: result.chunks,
    };
  } finally {
    await pipeline.close();
  }
}

async function runLangChain(options: {
  readonly dimensions: number;
  readonly databaseUrl: string;
  readonly baseURL: string;
  readonly paths: readonly string[];
}): Promise<Omit<Measurement, 'requests' | 'inputs'>> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  try {
    await pool.query(`DROP TABLE IF EXISTS ${LANGCHAIN_TABLE}`);
    const embeddings = new OpenAIEmbeddings({
      model: MODEL,
      dimensions: options.dimensions,
      apiKey: 'bench',
      configuration: { baseURL: options.baseURL },
    });
    const store = await PGVectorStore.initialize(embeddings, {
      pool,
      tableName: LANGCHAIN_TABLE,
      dimensions: options.dimensions,
    });
    const started = performance.now();
    // What a LangChain user writes for a folder: read every file, one Document per file, one call.
    const documents = options.paths.map(
      (file) =>
        new Document({ pageContent: readFileSync(file, 'utf8'), metadata: { source: path.basename(file) } }),
    );
    await store.addDocuments(documents);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${LANGCHAIN_TABLE}`,
    );
    if (rows[0]?.count !== options.paths.length) throw new Error(`LangChain stored ${rows[0]?.count} rows`);
    store.client?.release();
    await pool.query(`DROP TABLE ${LANGCHAIN_TABLE}`);
    return {
      system: 'LangChain.js OpenAIEmbeddings + PGVectorStore.addDocuments',
      seconds,
      indexSeconds: 0,
      rows: documents.length,
    };
  } finally {
    await pool.end();
  }
}

/** The rows ours stored, as `insertEmbeddings` takes them (read with pg: vectors as text, parsed). */
async function storedRows(databaseUrl: string): Promise<EmbeddingInput[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<Omit<EmbeddingInput, 'embedding'> & { embedding: string }>(
      `SELECT chunk_id, document_id, collection_name, text, embedding::text AS embedding, strategy, content_type,
              path, parent_chunk_id, depth_level, hierarchy_level, semantic_density, confidence, chunk_size,
              token_count, key_count, contains_arrays, is_leaf, domain_tags, original_keys, metadata
         FROM embeddings_${NAMESPACE} ORDER BY id`,
    );
    return rows.map((row) => ({ ...row, embedding: JSON.parse(row.embedding) as number[] }));
  } finally {
    await pool.end();
  }
}

/** Each part of ours' work alone, on the rows of one of ours' rounds. */
interface Floors {
  /** The rows' texts through the openai provider in as few requests as it allows, default concurrency. */
  readonly requestSeconds: number;
  readonly requests: number;
  /** The rows written by `insertEmbeddings` with their vectors known, into a fresh namespace, no ANN index. */
  readonly writeSeconds: number;
  readonly rows: number;
}

/**
 * What ours cannot go below on this machine and database, whatever the pipeline does: embedding
 * every text (with the provider's largest requests, so fewer than ours sends to match LangChain's
 * count) and writing every row (the store's bulk path, two transactions in flight on a server),
 * each measured alone. The ingest overlaps them, so its time is at least the longer of the two.
 */
async function measureFloors(options: {
  readonly rows: readonly EmbeddingInput[];
  readonly dimensions: number;
  readonly databaseUrl: string;
  readonly baseURL: string;
  readonly requestsSent: () => number;
}): Promise<Floors> {
  const { rows, dimensions } = options;
  const provider = createOpenAIProvider({
    baseURL: options.baseURL,
    apiKey: 'bench',
    model: MODEL,
    dimensions,
  });
  const before = options.requestsSent();
  let started = performance.now();
  const vectors = await embedAll(
    provider,
    rows.map((row) => row.text),
  );
  const requestSeconds = (performance.now() - started) / 1000;
  if (vectors.length !== rows.length) throw new Error(`embedded ${vectors.length} of ${rows.length} texts`);
  const requests = options.requestsSent() - before;
  const db = await connect(options.databaseUrl);
  try {
    const embedding = { provider: 'openai', model: MODEL, dimensions };
    const store = createVectorStore(db, { namespace: FLOOR_NAMESPACE, embedding });
    await store.dropNamespace(FLOOR_NAMESPACE, { confirm: true }).catch(() => {});
    await store.createNamespace({
      namespace: FLOOR_NAMESPACE,
      ...embedding,
      indexThreshold: rows.length + 1,
    });
    started = performance.now();
    await store.insertEmbeddings(rows);
    const writeSeconds = (performance.now() - started) / 1000;
    const stats = await store.getNamespaceStats();
    if (!stats.exists || stats.embedding_count !== rows.length || stats.vector_index_exists)
      throw new Error(`unexpected state after the floor's write: ${JSON.stringify(stats)}`);
    await store.dropNamespace(FLOOR_NAMESPACE, { confirm: true });
    return { requestSeconds, requests, writeSeconds, rows: rows.length };
  } finally {
    await db.close();
  }
}

/** The round with the median time (the lower middle one for an even count), whole: its counts go with it. */
function medianRun(measured: readonly Measurement[]): Measurement {
  const sorted = [...measured].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '10000' },
      'latency-ms': { type: 'string', default: '100' },
      rounds: { type: 'string', default: '3' },
      dimensions: { type: 'string', default: String(DEFAULT_DIMENSIONS) },
      'no-publish': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const files = Number(values.files);
  const latencyMs = Number(values['latency-ms']);
  const rounds = Number(values.rounds);
  const dimensions = Number(values.dimensions);
  const whole = (value: number, minimum: number) => Number.isInteger(value) && value >= minimum;
  if (!whole(files, 1) || !whole(latencyMs, 0) || !whole(rounds, 1) || !whole(dimensions, 1)) {
    throw new Error(
      `--files, --rounds and --dimensions must be whole numbers ≥ 1 and --latency-ms ≥ 0\n${usage}`,
    );
  }
  const { directory, paths } = writeFolder(files);
  // In input order: LangChain's OpenAIEmbeddings trusts the order of the answer's data items.
  const server = await startTestOpenAIServer({ delayMs: latencyMs, inOrder: true });
  const envUrl = process.env.DATABASE_URL;
  // Without DATABASE_URL both libraries write to one PGlite served over the wire (LangChain needs
  // a server); ours reaches it through postgres.js like any postgres:// URL.
  const pglite = envUrl === undefined || envUrl === '' ? await startPgliteServer() : undefined;
  const databaseUrl = pglite?.url ?? (envUrl as string);
  const runs: [Measurement[], Measurement[]] = [[], []];
  let rows: EmbeddingInput[] = [];
  let floors: Floors;
  try {
    // Alternating rounds on a shared, noisy machine: each system's median, and the ratio of medians.
    for (let round = 1; round <= rounds; round++) {
      for (const [position, run] of [runOurs, runLangChain].entries()) {
        const before = server.requests.length;
        console.log(
          `round ${round}/${rounds}, ${run === runOurs ? 'ours' : 'LangChain'}: ${formatNumber(files)} files at ${latencyMs} ms per request…`,
        );
        const measured = await run({
          dimensions,
          databaseUrl,
          baseURL: server.baseURL,
          paths,
          ...(round === rounds ? { onRows: (stored: EmbeddingInput[]) => (rows = stored) } : {}),
        });
        const sent = server.requests.slice(before);
        runs[position]!.push({
          ...measured,
          requests: sent.length,
          inputs: sent.reduce((sum, request) => sum + (request.body.input?.length ?? 0), 0),
        });
      }
    }
    console.log(`each step alone: ${formatNumber(rows.length)} rows' embeddings, then their write…`);
    floors = await measureFloors({
      rows,
      dimensions,
      databaseUrl,
      baseURL: server.baseURL,
      requestsSent: () => server.requests.length,
    });
  } finally {
    await server.close();
    await pglite?.close();
    rmSync(directory, { recursive: true, force: true });
  }

  const measurements = runs.map(medianRun);
  const [ours, langchain] = measurements as [Measurement, Measurement];
  const rate = (measurement: Measurement) => files / measurement.seconds;
  const speedup = rate(ours) / rate(langchain);
  const verdict = (holds: boolean) => (holds ? 'holds' : 'does not hold');
  const budget = langchain.seconds / 5;
  const floor = Math.max(floors.requestSeconds, floors.writeSeconds) + ours.indexSeconds;
  const target = databaseTarget(envUrl);
  const section = {
    ...sectionFor(target, {
      id: dimensions === DEFAULT_DIMENSIONS ? 'provider-ingest' : `provider-ingest-${dimensions}`,
      title: `Ingest through a provider: ${formatNumber(files)} small JSON files at ${latencyMs} ms per request${dimensions === DEFAULT_DIMENSIONS ? '' : `, ${formatNumber(dimensions)} dimensions`}`,
    }),
    command: currentCommand(),
    environment:
      pglite === undefined
        ? `PostgreSQL at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`
        : 'PGlite served over the wire by pglite-socket (both libraries write through it)',
    tables: [
      {
        headers: [
          'system',
          'seconds (median)',
          'of which index + calibration',
          'documents/s',
          'requests',
          'inputs',
          'inputs/request',
          'rows stored',
        ],
        rows: measurements.map((measurement) => [
          measurement.system,
          measurement.seconds,
          measurement === langchain ? 'none built' : measurement.indexSeconds,
          Math.round(rate(measurement)),
          measurement.requests,
          measurement.inputs,
          Math.round(measurement.inputs / Math.max(1, measurement.requests)),
          measurement.rows,
        ]),
      },
      {
        title: 'Targets',
        headers: ['target', 'measured', 'verdict'],
        rows: [
          ['≥ 5× LangChain’s documents/s', `${formatNumber(speedup)}×`, verdict(speedup >= 5)],
          [
            'no more requests than LangChain',
            `${ours.requests} vs ${langchain.requests}`,
            verdict(ours.requests <= langchain.requests),
          ],
        ],
      },
      {
        title: `Each step of ours alone, against the ${formatNumber(budget)} s that 5× LangChain's documents/s allows (its median ÷ 5)`,
        headers: ['step, measured alone on the rows of ours’ last round', 'seconds', '× that budget'],
        rows: [
          [
            `embedding the ${formatNumber(floors.rows)} texts: the openai provider's largest requests at its default concurrency (${floors.requests} request${floors.requests === 1 ? '' : 's'})`,
            floors.requestSeconds,
            `${formatNumber(floors.requestSeconds / budget)}×`,
          ],
          [
            `writing the ${formatNumber(floors.rows)} rows with their vectors known: insertEmbeddings into a fresh namespace (keyword column, filter indexes), no ANN index`,
            floors.writeSeconds,
            `${formatNumber(floors.writeSeconds / budget)}×`,
          ],
          [
            "building the ANN index and calibrating search (ours' median round)",
            ours.indexSeconds,
            `${formatNumber(ours.indexSeconds / budget)}×`,
          ],
        ],
      },
    ],
    notes: [
      `Server: the OpenAI-compatible test server on 127.0.0.1 (real HTTP, the openai SDK on both sides), every answer held back ${latencyMs} ms; model ${MODEL} at ${dimensions} dimensions.`,
      'Ours chunks each JSON file structurally (several rows per file, each embedded); LangChain embeds each file’s whole JSON text as one document. Documents/s counts files.',
      `What LangChain does not do: PGVectorStore creates no vector index (every search is a full scan) and stores one row per file. Ours keeps a keyword (full-text) column and filter indexes, checks each file's stored vectors for reuse, and ${ours.indexSeconds > 0 ? `ends with the namespace's ANN index built and its search settings calibrated (the run reaches the index threshold, 10,000 rows by default), once, after the last batch. Without that step ours took ${formatNumber(ours.seconds - ours.indexSeconds)} s (${formatNumber(files / (ours.seconds - ours.indexSeconds) / rate(langchain))}× LangChain's documents/s).` : 'built no ANN index in this run (below the threshold).'}`,
      `Ours overlaps embedding with writing, so an ingest takes at least the longer of the two plus the index step: ${formatNumber(floor)} s, ${formatNumber(floor / budget)}× the budget. ${floor > budget ? "On this database 5× cannot hold while ours' table keeps its keyword column and indexes up to date as rows arrive and ends the ingest with its ANN index; LangChain's table has none of them." : 'That is inside the budget: the rest of ours is the pipeline’s own time.'}`,
      `Rounds: ${rounds}, ours and LangChain alternating, each system's median round reported (all rounds, seconds: ours ${runs[0].map((run) => formatNumber(run.seconds)).join(', ')}; LangChain ${runs[1].map((run) => formatNumber(run.seconds)).join(', ')}).`,
      `Load average when the run ended: ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores.`,
    ],
  };
  if (values['no-publish']) {
    for (const table of section.tables) console.log(`${renderTextTable(table)}\n`);
    for (const note of section.notes) console.log(note);
  } else {
    publish(section);
  }
}

await main();
