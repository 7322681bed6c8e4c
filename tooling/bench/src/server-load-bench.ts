// HTTP load benchmark of the server (issue 7): search requests/s, p50/p99 latency and errors at
// concurrency 1, 8 and 32, loopback only, each level bounded by --duration. The server runs in a
// child process (this same script with --serve) so the load generator (autocannon) and the server
// do not share an event loop; the child seeds the examples/ documents plus generated ones first.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { createLogger } from '@dynamic-embeddings/core/logger';
import { createNamespaceMigration } from '@dynamic-embeddings/migration';
import { createLocalProvider, createPipeline, redactUrl } from '@dynamic-embeddings/pipeline';
import { startServer } from '@dynamic-embeddings/server';
import { benchArgs } from './bench-args.js';
import {
  currentCommand,
  databaseTarget,
  formatNumber,
  packageVersion,
  publish,
  renderTextTable,
  repoRoot,
  sectionFor,
  type Table,
} from './report.js';
import { type LatencySummary, summarizeLatencies } from './search/latency.js';

const usage = `Usage: tsx src/server-load-bench.ts [--duration SECONDS] [--documents N] [--database-url URL] [--no-publish]

  --duration SECONDS   length of each level (default 5): in-process searchSimilar (the peer),
                       GET /health at 8 connections, POST search at 1, 8 and 32
  --documents N        generated documents seeded besides examples/ (default 2000)
  --database-url URL   a real PostgreSQL with pgvector (default: DATABASE_URL, else in-memory PGlite)
  --no-publish         print the tables only; leave docs/benchmarks.md alone`;

const { numbers, strings, flags } = benchArgs({
  usage,
  numbers: {
    duration: { default: 5, fraction: true, min: 0.1, max: 120 },
    documents: { default: 2000, min: 0 },
  },
  strings: { 'database-url': {} },
  flags: ['no-publish', 'serve'],
});
const durationSeconds = numbers.duration;
const documentCount = numbers.documents;
const databaseUrl = strings['database-url'] ?? process.env.DATABASE_URL;
const namespace = 'bench';
const apiKey = 'bench-load-key';
const dimensions = 384;
const queries = [
  'mobile banners with high CTR in Norway',
  'greenhouse temperature and humidity sensors',
  'monthly revenue and conversion rate report',
  'waterproof hiking jacket in the product catalog',
  'feature flags and rate limits in the app configuration',
  'campaign budget for young professionals',
  'battery level of the soil moisture sensor',
  'discounted running shoes',
];

// --- the server, in the child process -------------------------------------------------------------

async function* generatedDocuments(count: number): AsyncGenerator<string> {
  const countries = ['Norway', 'Sweden', 'Denmark', 'Finland', 'Germany'];
  const channels = ['mobile banners', 'video', 'search ads', 'podcast', 'newsletter'];
  for (let index = 0; index < count; index += 1) {
    const document = {
      id: `generated-${index}`,
      name: `Campaign ${index} in ${countries[index % countries.length]}`,
      channel: channels[index % channels.length],
      description: `A ${channels[(index * 3) % channels.length]} campaign for product line ${index % 37} with a budget of ${1000 + ((index * 7919) % 50000)}.`,
      metrics: { ctr: ((index * 37) % 100) / 1000, conversions: (index * 13) % 900 },
    };
    yield `${JSON.stringify(document)}\n`;
  }
}

async function serve(): Promise<void> {
  const pipeline = await createPipeline({
    databaseUrl: databaseUrl ?? 'memory://',
    provider: createLocalProvider({ dimensions }),
    namespace,
  });
  const examplesDirectory = path.join(repoRoot, 'examples');
  for (const file of readdirSync(examplesDirectory).filter((name) => name.endsWith('.json'))) {
    await pipeline.processJsonFile(path.join(examplesDirectory, file), { collectionName: 'examples' });
  }
  const seeded = await pipeline.processJsonStream(generatedDocuments(documentCount), {
    collectionName: 'generated',
  });
  const stats = await pipeline.getNamespaceStats(namespace);
  // The peer: the same searches called in-process, one at a time, for the same duration (run when
  // the parent asks, after the HTTP levels, so both see a warm database).
  const searchDirectly = async (): Promise<LatencySummary> => {
    const latenciesMs: number[] = [];
    const started = performance.now();
    while (performance.now() - started < durationSeconds * 1000) {
      const before = performance.now();
      await pipeline.searchSimilar(queries[latenciesMs.length % queries.length] ?? '', { limit: 10 });
      latenciesMs.push(performance.now() - before);
    }
    return summarizeLatencies(latenciesMs, performance.now() - started);
  };
  // Time each request spent inside the app (from the request log), reported to the parent per level.
  const handlerMs: number[] = [];
  process.on('message', (message) => {
    if (message === 'peer') void searchDirectly().then((summary) => process.send?.(summary));
    else process.send?.(summarizeLatencies(handlerMs.splice(0), 1));
  });
  const server = await startServer({
    pipeline,
    migration: createNamespaceMigration({ db: pipeline.db }),
    port: 0,
    host: '127.0.0.1',
    apiKeys: `${apiKey}:${namespace}:r`,
    // Request logs are produced (their cost is part of serving) but not printed.
    logger: createLogger({
      name: 'server',
      level: 'info',
      destination: new Writable({
        write: (chunk, _encoding, done) => {
          const line = JSON.parse(String(chunk)) as { duration_ms?: number };
          if (line.duration_ms !== undefined) handlerMs.push(line.duration_ms);
          done();
        },
      }),
    }),
  });
  process.stdout.write(
    `${JSON.stringify({
      url: server.url,
      rows: stats.exists ? stats.embedding_count : 0,
      documents: seeded.documents,
      postgres: pipeline.db.versions.postgres,
      pgvector: pipeline.db.versions.pgvector,
    })}\n`,
  );
  process.once('SIGTERM', () => {
    void server
      .close()
      .then(() => pipeline.close())
      .then(() => process.exit(0));
  });
}

// --- the load generator, in the parent process ---------------------------------------------------

interface Histogram {
  readonly average: number;
  readonly p50: number;
  readonly p99: number;
}

interface AutocannonResult {
  readonly requests: Histogram & { readonly total: number };
  readonly latency: Histogram;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly duration: number;
}

interface AutocannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly headers?: Record<string, string>;
  readonly requests?: readonly { readonly method: string; readonly path: string; readonly body?: string }[];
}

// autocannon ships no type declarations; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => Promise<AutocannonResult>;

interface ServerInfo {
  readonly url: string;
  readonly rows: number;
  readonly documents: number;
  readonly postgres: string;
  readonly pgvector: string;
}

function startChild(): Promise<{ readonly child: ChildProcess; readonly info: ServerInfo }> {
  const script = process.argv[1] ?? '';
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      script,
      '--serve',
      '--documents',
      String(documentCount),
      ...(databaseUrl ? ['--database-url', databaseUrl] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the server process exited with code ${code} before listening`)),
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve({ child, info: JSON.parse(line) as ServerInfo }));
  });
}

interface Level {
  readonly label: string;
  readonly connections: number;
  readonly path: string;
  readonly search: boolean;
}

/** Asks the server process for `report` (in-app times since the last report) or `peer` (a run of direct searches). */
function ask(child: ChildProcess, question: 'report' | 'peer'): Promise<LatencySummary> {
  return new Promise((resolve) => {
    child.once('message', (summary) => resolve(summary as LatencySummary));
    child.send(question);
  });
}

async function runLevel(url: string, level: Level, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url,
    connections: level.connections,
    duration: seconds,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    requests: level.search
      ? queries.map((query) => ({
          method: 'POST',
          path: level.path,
          body: JSON.stringify({ query, limit: 10 }),
        }))
      : [{ method: 'GET', path: level.path }],
  });
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg();
  const { child, info } = await startChild();
  try {
    const { hostname } = new URL(info.url);
    if (hostname !== '127.0.0.1') throw new Error(`refusing to load anything but loopback, got ${info.url}`);
    const searchPath = `/v1/namespaces/${namespace}/search`;
    const levels: Level[] = [
      { label: 'GET /health (HTTP floor)', connections: 8, path: '/health', search: false },
      ...[1, 8, 32].map((connections) => ({
        label: 'POST search (query)',
        connections,
        path: searchPath,
        search: true,
      })),
    ];
    // Warm-up, not reported: JIT, connection pool, first queries.
    await runLevel(info.url, { label: 'warm-up', connections: 8, path: searchPath, search: true }, 1);
    await ask(child, 'report');
    const rows: (string | number)[][] = [];
    let totalErrors = 0;
    for (const level of levels) {
      const result = await runLevel(info.url, level, durationSeconds);
      const inApp = await ask(child, 'report');
      const errors = result.errors + result.timeouts + result.non2xx;
      totalErrors += errors;
      rows.push([
        level.label,
        level.connections,
        result.requests.total,
        result.requests.total / result.duration,
        result.latency.p50,
        result.latency.p99,
        inApp.p50,
        inApp.p99,
        errors,
      ]);
    }
    const direct = await ask(child, 'peer');
    rows.unshift([
      'searchSimilar in-process, no HTTP (peer)',
      1,
      direct.count,
      direct.qps,
      direct.p50,
      direct.p99,
      direct.p50,
      direct.p99,
      0,
    ]);
    const table: Table = {
      title: `Search over ${formatNumber(info.rows)} chunks (examples/ + ${formatNumber(info.documents)} generated documents), ${durationSeconds} s per level`,
      headers: [
        'requests',
        'concurrency',
        'total',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'in-app p50 ms',
        'in-app p99 ms',
        'errors',
      ],
      rows,
    };
    const target = databaseTarget(databaseUrl);
    const environment =
      target === 'postgres'
        ? `PostgreSQL ${info.postgres} at ${redactUrl(databaseUrl ?? '')} (pgvector ${info.pgvector}), postgres.js pool`
        : `PGlite ${packageVersion('@electric-sql/pglite')} in memory inside the server process (PostgreSQL ${info.postgres}, pgvector ${info.pgvector})`;
    const notes = [
      `Server: @dynamic-embeddings/server on 127.0.0.1 in a child process with default limits (4 concurrent embedding requests, 64 queued), API key auth and info-level request logs on, local provider (${dimensions} dimensions); client: autocannon ${packageVersion('autocannon')} in the parent process, keep-alive connections, 8 rotating query texts, limit 10. Both share this machine's cores, so the numbers are a floor for a dedicated server.`,
      'Reading the table: the peer row is the same search without HTTP; p50/p99 are what the client saw, in-app p50/p99 the time from the first middleware to the response (request log). The database serialises queries, so past concurrency 1 more connections add queueing, not requests/s; the gap between the peer row and search at concurrency 1 is the cost of HTTP, auth, validation and logging.',
      ...(target === 'pglite'
        ? [
            "Embedded PGlite runs each query synchronously on the server's own thread: while it works, the server cannot read or parse requests, so at high concurrency requests wait in socket buffers before the app sees them (client latency ≫ in-app latency, and the tail depends on the order the OS hands sockets back). A PostgreSQL server (--database-url) keeps the event loop free.",
          ]
        : []),
      `Load average when the run started: ${loadAtStart.map((value) => value.toFixed(1)).join(', ')} (1, 5, 15 min) on ${os.availableParallelism()} cores; other processes on the machine shift these numbers.`,
      `Errors count connection errors, timeouts and non-2xx answers; the target is 0${totalErrors === 0 ? ' (met)' : ` — NOT met: ${totalErrors}`}.`,
    ];
    const section = {
      ...sectionFor(target, { id: 'server', title: 'HTTP server load' }),
      command: currentCommand(),
      environment,
      tables: [table],
      notes,
    };
    if (flags['no-publish']) {
      console.log(renderTextTable(table));
      for (const note of notes) console.log(note);
    } else {
      publish(section);
    }
    if (totalErrors > 0) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
  }
}

if (flags.serve) await serve();
else await main();
