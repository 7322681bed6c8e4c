// Bounded memory for a long stream: generates a large NDJSON file in /tmp (streamed to disk, never
// held in memory), ingests it with `dje ingest` (the built CLI, the local provider at small
// dimensions) into PGlite or DATABASE_URL, and samples the CLI process's resident memory from
// /proc/<pid>/status while it runs. Bounded means the RSS late in the run is no higher than early
// in it: memory does not grow with the input.
//
//   [DATABASE_URL=postgres://…] pnpm --filter @dynamic-embeddings/bench exec tsx --conditions=source src/ndjson-rss-bench.ts [--mb N] [--dimensions N]
// Needs the CLI built (pnpm exec turbo run build --filter=dynamic-embeddings).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createSeededRandom } from '@dynamic-embeddings/testing';
import { benchArgs } from './bench-args.js';
import {
  currentCommand,
  databaseTarget,
  formatNumber,
  publish,
  renderTextTable,
  repoRoot,
  sectionFor,
} from './report.js';

const NAMESPACE = 'bench_ndjson_rss';
const cliBin = path.join(repoRoot, 'apps', 'cli', 'dist', 'bin.js');

const usage = `Usage: tsx src/ndjson-rss-bench.ts [--mb N] [--dimensions N] [--sample-ms N] [--no-publish]
  --mb N           size of the generated NDJSON file in MiB (default 1024)
  --dimensions N   local provider dimensions (default 32: small vectors, the stream is the subject)
  --sample-ms N    how often the CLI's RSS is read (default 250)
  --no-publish     print the table only; leave docs/benchmarks.md alone`;

/** One NDJSON line: an event of one of three shapes, ~0.5–1.5 KB, with an id field for its document id. */
function eventLine(index: number, random: () => number): string {
  const id = `evt-${index}`;
  const words = ['alpha', 'bravo', 'delta', 'kilo', 'oslo', 'lima', 'tango', 'zulu', 'sierra', 'nova'];
  const sentence = (length: number) =>
    Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(' ');
  switch (index % 3) {
    case 0:
      return JSON.stringify({
        id,
        kind: 'sensor',
        site: { building: `B${index % 17}`, floor: index % 9 },
        readings: Array.from({ length: 8 + (index % 16) }, () => Math.round(random() * 1000) / 10),
        note: sentence(20 + (index % 40)),
      });
    case 1:
      return JSON.stringify({
        id,
        kind: 'campaign',
        name: `Campaign ${index} ${sentence(4)}`,
        budget: { daily: Math.round(random() * 5000), currency: ['EUR', 'NOK', 'USD'][index % 3] },
        metrics: { impressions: Math.round(random() * 1e6), clicks: Math.round(random() * 1e4) },
        description: sentence(40 + (index % 60)),
      });
    default:
      return JSON.stringify({
        id,
        kind: 'order',
        customer: { email: `user${index}@example.com`, country: ['NO', 'SE', 'DE', 'FR'][index % 4] },
        lines: Array.from({ length: 1 + (index % 5) }, (_, line) => ({
          sku: `sku-${(index * 7 + line) % 9973}`,
          quantity: 1 + (line % 3),
          price: Math.round(random() * 10000) / 100,
        })),
        comment: sentence(10 + (index % 30)),
      });
  }
}

/** Writes NDJSON lines until the file holds `bytes`, honouring the stream's backpressure. */
async function writeNdjson(file: string, bytes: number): Promise<{ readonly documents: number }> {
  const out = createWriteStream(file);
  const random = createSeededRandom(15_015);
  let written = 0;
  let documents = 0;
  while (written < bytes) {
    const line = `${eventLine(documents, () => random.next())}\n`;
    documents++;
    written += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { documents };
}

/** The resident set of a process in bytes (VmRSS), or undefined once it has gone. */
function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Sample {
  /** Seconds since the CLI started. */
  readonly at: number;
  readonly rss: number;
}

interface IngestRun {
  readonly seconds: number;
  readonly samples: readonly Sample[];
  readonly summary: { readonly documents: number; readonly chunks: number };
  /**
   * Seconds since the CLI started at which its progress first told of the final ANN index build
   * (undefined when the run built none): the stream ends there, and what follows is one build over
   * every row, whose memory depends on the table, not on the stream.
   */
  readonly indexStartedAt: number | undefined;
}

/** A progress line of `dje ingest` about the ANN index build at its end. */
const indexBuildLine = /building the vector index|vector index's graph/;

/** Runs `dje ingest FILE` with the local provider and samples its RSS until it exits. */
async function runIngest(options: {
  readonly file: string;
  readonly databaseUrl: string;
  readonly dimensions: number;
  readonly sampleMs: number;
}): Promise<IngestRun> {
  const args = [
    cliBin,
    'ingest',
    options.file,
    '--collection',
    'events',
    '--provider',
    'local',
    '--dimensions',
    String(options.dimensions),
    '--namespace',
    NAMESPACE,
    '--database-url',
    options.databaseUrl,
    '--json',
  ];
  const started = performance.now();
  // Progress on stderr (a line every 2 s when it is not a terminal) marks where the index build starts.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let indexStartedAt: number | undefined;
  let stderrTail = '';
  const stderrLines = createInterface({ input: child.stderr });
  stderrLines.on('line', (line) => {
    stderrTail = `${stderrTail}${line}\n`.slice(-4000);
    if (indexStartedAt === undefined && indexBuildLine.test(line)) {
      indexStartedAt = (performance.now() - started) / 1000;
      console.log(`index build started after ${indexStartedAt.toFixed(0)} s: ${line}`);
    }
  });
  const samples: Sample[] = [];
  const timer = setInterval(() => {
    const rss = child.pid === undefined ? undefined : residentBytes(child.pid);
    if (rss !== undefined) samples.push({ at: (performance.now() - started) / 1000, rss });
  }, options.sampleMs);
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    stdout += text;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`dje ingest exited with ${code}; its last stderr lines:\n${stderrTail}`);
  const result = JSON.parse(stdout) as { documents: number; chunks: number };
  return {
    seconds,
    samples,
    summary: { documents: result.documents, chunks: result.chunks },
    indexStartedAt,
  };
}

/** The highest RSS among the samples taken from `from` to `to` seconds into the run. */
function peakBetween(run: IngestRun, from: number, to: number): number {
  const inside = run.samples.filter((sample) => sample.at >= from && sample.at <= to);
  return Math.max(0, ...inside.map((sample) => sample.rss));
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const { numbers, flags } = benchArgs({
    usage,
    numbers: { mb: { default: 1024 }, dimensions: { default: 32 }, 'sample-ms': { default: 250 } },
    flags: ['no-publish'],
  });
  const megabytes = numbers.mb;
  const { dimensions } = numbers;
  const sampleMs = numbers['sample-ms'];
  if (!existsSync(cliBin))
    throw new Error(`${cliBin} is missing: build the CLI first (pnpm exec turbo run build)`);
  const directory = mkdtempSync(path.join(os.tmpdir(), 'dje-ndjson-rss-'));
  const file = path.join(directory, 'events.ndjson');
  const envUrl = process.env.DATABASE_URL;
  const target = databaseTarget(envUrl);
  const databaseUrl =
    target === 'postgres' ? (envUrl as string) : `pglite://${path.join(directory, 'pgdata')}`;
  let run: IngestRun;
  let generated: { readonly documents: number };
  // A namespace left by an interrupted run would turn the ingest into a re-ingest.
  if (target === 'postgres') await dropNamespace(databaseUrl);
  try {
    console.log(`generating ${formatNumber(megabytes)} MiB of NDJSON in ${file}…`);
    generated = await writeNdjson(file, megabytes * 2 ** 20);
    console.log(`${formatNumber(generated.documents)} documents; dje ingest with the local provider…`);
    run = await runIngest({ file, databaseUrl, dimensions, sampleMs });
    if (run.summary.documents !== generated.documents) {
      throw new Error(`dje ingest stored ${run.summary.documents} of ${generated.documents} documents`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  if (target === 'postgres') await dropNamespace(databaseUrl);

  // The stream: from the start to the index build (or the end). Its first and last tenths compare.
  const streamSeconds = run.indexStartedAt ?? run.seconds;
  const early = peakBetween(run, 0, 0.1 * streamSeconds);
  const late = peakBetween(run, 0.9 * streamSeconds, streamSeconds);
  const peak = peakBetween(run, 0, streamSeconds);
  const indexPeak =
    run.indexStartedAt === undefined ? undefined : peakBetween(run, streamSeconds, run.seconds);
  const bounded = late <= early * 1.25;
  const fileBytes = megabytes * 2 ** 20;
  const section = {
    ...sectionFor(target, {
      id: 'ndjson-rss',
      title: `Streaming ingest of ${formatNumber(megabytes)} MiB of NDJSON: resident memory of dje ingest`,
    }),
    command: currentCommand(),
    environment:
      target === 'postgres'
        ? `PostgreSQL at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`
        : 'PGlite in the CLI process, data in a fresh directory under /tmp',
    tables: [
      {
        headers: [
          'documents',
          'chunks',
          'seconds',
          'documents/s',
          'MiB/s',
          'stream s',
          'peak RSS, stream MiB',
          'peak RSS, first 10% of the stream MiB',
          'peak RSS, last 10% of the stream MiB',
          'index build s',
          'peak RSS, index build MiB',
          'samples',
        ],
        rows: [
          [
            run.summary.documents,
            run.summary.chunks,
            run.seconds,
            Math.round(run.summary.documents / run.seconds),
            fileBytes / 2 ** 20 / run.seconds,
            streamSeconds,
            mib(peak),
            mib(early),
            mib(late),
            run.indexStartedAt === undefined ? 'none built' : run.seconds - streamSeconds,
            indexPeak === undefined ? '' : mib(indexPeak),
            run.samples.length,
          ],
        ],
      },
      {
        title: 'Target',
        headers: ['target', 'measured', 'verdict'],
        rows: [
          [
            'bounded RSS: last 10% of the stream ≤ 1.25× its first 10%',
            `${formatNumber(late / Math.max(early, 1))}×`,
            bounded ? 'holds' : 'does not hold',
          ],
        ],
      },
    ],
    notes: [
      `Input: ${formatNumber(generated.documents)} generated NDJSON documents (sensor readings, campaigns, orders; 0.3–1.5 KB each, an \`id\` field as document id), ${formatNumber(megabytes)} MiB, streamed to a file in /tmp first and read by the CLI as a stream.`,
      `Ingest: \`dje ingest events.ndjson --provider local --dimensions ${dimensions} --json\` (the built CLI), RSS read from /proc/<pid>/status every ${sampleMs} ms. The stream is the run from the CLI's start to the first progress line (stderr, one every 2 s) about the namespace's ANN index build, which runs once over all rows after the last batch, then calibrates the search settings; that build is measured apart because its memory grows with the table, not with the stream: on PGlite it runs in the CLI's own memory (maintenance_work_mem up to 512 MB by default, DJE_INDEX_BUILD_MEMORY_MB), on a server in the server's.${process.env.DJE_INDEX_BUILD_MEMORY_MB === undefined ? '' : ` This run: DJE_INDEX_BUILD_MEMORY_MB=${process.env.DJE_INDEX_BUILD_MEMORY_MB}.`}`,
      `Load average when the run ended: ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores.`,
    ],
  };
  if (flags['no-publish']) {
    for (const table of section.tables) console.log(`${renderTextTable(table)}\n`);
    for (const note of section.notes) console.log(note);
  } else {
    publish(section);
  }
}

/** Leaves the server's database as it was: the namespace the run created is dropped. */
async function dropNamespace(databaseUrl: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [cliBin, 'namespace', 'drop', NAMESPACE, '--force', '--database-url', databaseUrl, '--quiet'],
    // Quiet: before a run the namespace usually does not exist, which the CLI reports as an error.
    { stdio: 'ignore' },
  );
  await new Promise((resolve) => child.on('close', resolve));
}

await main();
