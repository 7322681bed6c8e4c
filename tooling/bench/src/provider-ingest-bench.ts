// Ingest through an embedding provider at API-like latency: a folder of small JSON files embedded
// through an OpenAI-compatible server on 127.0.0.1 that holds every answer back (100 ms by default),
// ours (pipeline.ingest, the openai provider, default settings) against LangChain.js
// (@langchain/openai OpenAIEmbeddings + PGVectorStore.addDocuments, each file's JSON text one
// document), into the same database in the same run. Reports documents/s and requests sent.
//
//   [DATABASE_URL=postgres://…] pnpm --filter @dynamic-embeddings/bench exec tsx --conditions=source src/provider-ingest-bench.ts [--files N] [--latency-ms N]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createOpenAIProvider } from '@dynamic-embeddings/embeddings';
import { createPipeline } from '@dynamic-embeddings/pipeline';
import { startPgliteServer } from '@dynamic-embeddings/testing';
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
import { createSeededRandom } from './search/seeded-random.js';

const MODEL = 'text-embedding-3-small';
const DIMENSIONS = 256;
const NAMESPACE = 'bench_provider_ingest';
const LANGCHAIN_TABLE = 'langchain_provider_ingest';

const usage = `Usage: tsx src/provider-ingest-bench.ts [--files N] [--latency-ms N] [--no-publish]
  --files N        small JSON files in the folder (default 10000)
  --latency-ms N   how long the test server holds back every answer (default 100)
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
  readonly requests: number;
  readonly inputs: number;
  readonly rows: number;
}

async function runOurs(options: {
  readonly databaseUrl: string;
  readonly baseURL: string;
  readonly paths: readonly string[];
}): Promise<Omit<Measurement, 'requests' | 'inputs'>> {
  const provider = createOpenAIProvider({
    baseURL: options.baseURL,
    apiKey: 'bench',
    model: MODEL,
    dimensions: DIMENSIONS,
  });
  const pipeline = await createPipeline({ databaseUrl: options.databaseUrl, namespace: NAMESPACE, provider });
  try {
    await pipeline.store.dropNamespace(NAMESPACE, { confirm: true }).catch(() => {});
    const started = performance.now();
    const result = await pipeline.ingest(
      options.paths.map((file) => ({ kind: 'file' as const, path: file })),
      { collectionName: 'documents' },
    );
    const seconds = (performance.now() - started) / 1000;
    if (result.documents !== options.paths.length)
      throw new Error(`ours stored ${result.documents} documents`);
    await pipeline.store.dropNamespace(NAMESPACE, { confirm: true });
    return { system: 'dynamic-embeddings pipeline.ingest (openai provider)', seconds, rows: result.chunks };
  } finally {
    await pipeline.close();
  }
}

async function runLangChain(options: {
  readonly databaseUrl: string;
  readonly baseURL: string;
  readonly paths: readonly string[];
}): Promise<Omit<Measurement, 'requests' | 'inputs'>> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  try {
    await pool.query(`DROP TABLE IF EXISTS ${LANGCHAIN_TABLE}`);
    const embeddings = new OpenAIEmbeddings({
      model: MODEL,
      dimensions: DIMENSIONS,
      apiKey: 'bench',
      configuration: { baseURL: options.baseURL },
    });
    const store = await PGVectorStore.initialize(embeddings, {
      pool,
      tableName: LANGCHAIN_TABLE,
      dimensions: DIMENSIONS,
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
      rows: documents.length,
    };
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '10000' },
      'latency-ms': { type: 'string', default: '100' },
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
  if (!Number.isInteger(files) || files < 1 || !Number.isInteger(latencyMs) || latencyMs < 0) {
    throw new Error(`--files must be a whole number ≥ 1 and --latency-ms ≥ 0\n${usage}`);
  }
  const { directory, paths } = writeFolder(files);
  // In input order: LangChain's OpenAIEmbeddings trusts the order of the answer's data items.
  const server = await startTestOpenAIServer({ delayMs: latencyMs, inOrder: true });
  const envUrl = process.env.DATABASE_URL;
  // Without DATABASE_URL both libraries write to one PGlite served over the wire (LangChain needs
  // a server); ours reaches it through postgres.js like any postgres:// URL.
  const pglite = envUrl === undefined || envUrl === '' ? await startPgliteServer() : undefined;
  const databaseUrl = pglite?.url ?? (envUrl as string);
  const measurements: Measurement[] = [];
  try {
    for (const run of [runOurs, runLangChain]) {
      const before = server.requests.length;
      console.log(
        `${run === runOurs ? 'ours' : 'LangChain'}: ${formatNumber(files)} files at ${latencyMs} ms per request…`,
      );
      const measured = await run({ databaseUrl, baseURL: server.baseURL, paths });
      const sent = server.requests.slice(before);
      measurements.push({
        ...measured,
        requests: sent.length,
        inputs: sent.reduce((sum, request) => sum + (request.body.input?.length ?? 0), 0),
      });
    }
  } finally {
    await server.close();
    await pglite?.close();
    rmSync(directory, { recursive: true, force: true });
  }

  const [ours, langchain] = measurements as [Measurement, Measurement];
  const rate = (measurement: Measurement) => files / measurement.seconds;
  const speedup = rate(ours) / rate(langchain);
  const verdict = (holds: boolean) => (holds ? 'holds' : 'does not hold');
  const target = databaseTarget(envUrl);
  const section = {
    ...sectionFor(target, {
      id: 'provider-ingest',
      title: `Ingest through a provider: ${formatNumber(files)} small JSON files at ${latencyMs} ms per request`,
    }),
    command: currentCommand(),
    environment:
      pglite === undefined
        ? `PostgreSQL at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`
        : 'PGlite served over the wire by pglite-socket (both libraries write through it)',
    tables: [
      {
        headers: ['system', 'seconds', 'documents/s', 'requests', 'inputs', 'inputs/request', 'rows stored'],
        rows: measurements.map((measurement) => [
          measurement.system,
          measurement.seconds,
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
    ],
    notes: [
      `Server: the OpenAI-compatible test server on 127.0.0.1 (real HTTP, the openai SDK on both sides), every answer held back ${latencyMs} ms; model ${MODEL} at ${DIMENSIONS} dimensions.`,
      'Ours chunks each JSON file structurally (several rows per file, each embedded); LangChain embeds each file’s whole JSON text as one document. Documents/s counts files.',
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
