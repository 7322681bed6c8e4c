// The chunking benchmark's large mixed document (issue 15): one generated ≥ 5 MB JSON document of
// campaigns, yield reports, IoT networks, catalogs and user records, chunked in process per
// strategy (cold: the first call in a fresh process, tokenizer ranks included; warm: the fastest of
// several rounds, with the share of wall time spent in garbage-collection pauses) and through the
// `dje chunk` command, whose process start-up (`dje --version`) is measured and subtracted.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { chunkJson as ChunkJson, StrategyName } from '@dynamic-embeddings/chunking';
import { commandPhases } from './chunk-command-phases.js';
import { mixedDocument } from './mixed-document.js';
import { repoRoot, type Table } from './report.js';
import { variedDocument } from './varied-document.js';

/** What the measurements of one large document found, for the targets table. */
export interface MixedResult {
  readonly tables: Table[];
  readonly megabytes: number;
  /** Warm MB/s of `auto` in process. */
  readonly autoWarm: number;
  /** Warm MB/s of `auto` in a fresh process that chunks only this document; undefined unbuilt. */
  readonly autoWarmAlone: number | undefined;
  /** `dje chunk` MB/s with start-up subtracted; undefined when the CLI is not built. */
  readonly cliNet: number | undefined;
  /** `dje chunk` end to end, then where its time goes (each when measurable). */
  readonly cliTables: Table[];
  /** The document's compact JSON (the mixed one's feeds the tokenizer comparison). */
  readonly json: string;
}

const toMegabytes = (bytes: number): number => bytes / 1e6;

/** Milliseconds of GC pauses between two `performance.now()` readings, from the observer's log. */
function gcRecorder(): { between(start: number, end: number): Promise<number>; stop(): void } {
  const pauses: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    async between(start, end) {
      // Entries of a synchronous run are delivered after it, on a later turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return pauses
        .filter((pause) => pause.start >= start && pause.start <= end)
        .reduce((sum, pause) => sum + pause.duration, 0);
    },
    stop: () => observer.disconnect(),
  };
}

/**
 * A fresh Node.js process on the built package chunks the file `rounds + 2` times: the first call
 * is the cold one (milliseconds), the second is unmeasured like the bench's own first round, and
 * the fastest of the rest is the document's warm time when nothing else ran in the process. V8
 * optimizes the chunker for the documents it has seen, so the same code measures slower warm after
 * other documents (the bench's own process has chunked the generated set first).
 */
function freshProcessMilliseconds(options: {
  file: string;
  chunker: string;
  strategy: StrategyName;
  rounds: number;
  documentId: string;
}): { cold: number; warm: number } {
  const script = `
    import { readFileSync } from 'node:fs';
    const { chunkJson } = await import(${JSON.stringify(pathToFileURL(options.chunker).href)});
    const data = JSON.parse(readFileSync(${JSON.stringify(options.file)}, 'utf8'));
    const times = [];
    for (let call = 0; call < ${options.rounds + 2}; call += 1) {
      const start = performance.now();
      chunkJson(data, { documentId: ${JSON.stringify(options.documentId)}, strategy: ${JSON.stringify(options.strategy)} });
      times.push(performance.now() - start);
    }
    console.log(JSON.stringify({ cold: times[0], warm: Math.min(...times.slice(2)) }));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(output.trim()) as { cold: number; warm: number };
}

// Loaded first into the measured process: prints the CPU time of all its threads (JIT compiler
// and GC helpers included) as it exits. Wall time on a shared machine moves with the load; CPU
// time much less.
const cpuReport = `data:text/javascript,process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\ncpu-microseconds ' + (u.user + u.system) + '\\n'); });`;

/** Wall and CPU milliseconds of a command with stdout to /dev/null, each the least of `runs`. */
function fastestRun(options: { args: readonly string[]; runs: number }): { wall: number; cpu: number } {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let run = 0; run < options.runs; run += 1) {
    const start = performance.now();
    const result = spawnSync(process.execPath, ['--import', cpuReport, ...options.args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const elapsed = performance.now() - start;
    const reported = /cpu-microseconds (\d+)/.exec(result.stderr);
    if (result.status !== 0 || reported === null)
      throw new Error(`${options.args.join(' ')} failed: ${result.stderr}`);
    wall = Math.min(wall, elapsed);
    cpu = Math.min(cpu, Number(reported[1]) / 1000);
  }
  return { wall, cpu };
}

function cliMeasurement(options: { file: string; megabytes: number; runs: number }): {
  table: Table;
  net: number;
} {
  const bin = path.join(repoRoot, 'apps', 'cli', 'dist', 'bin.js');
  const startup = fastestRun({ args: [bin, '--version'], runs: options.runs + 2 });
  const total = fastestRun({ args: [bin, 'chunk', options.file, '--json'], runs: options.runs });
  const net = options.megabytes / ((total.wall - startup.wall) / 1000);
  return {
    net,
    table: {
      title: `\`dje chunk ${path.basename(options.file)} --json > /dev/null\` (built CLI), fastest of ${options.runs} runs; CPU: all threads, least of the runs`,
      headers: [
        'MB',
        '`dje --version` s',
        '`dje chunk` s',
        'chunk − start-up s',
        'MB/s end to end',
        'MB/s minus start-up',
        'CPU s: version / chunk',
        'MB per CPU-second minus start-up',
      ],
      rows: [
        [
          options.megabytes,
          startup.wall / 1000,
          total.wall / 1000,
          (total.wall - startup.wall) / 1000,
          options.megabytes / (total.wall / 1000),
          net,
          `${(startup.cpu / 1000).toFixed(3)} / ${(total.cpu / 1000).toFixed(3)}`,
          options.megabytes / ((total.cpu - startup.cpu) / 1000),
        ],
      ],
    },
  };
}

/** How one large document is measured, whichever generator made it. */
interface DocumentMeasurement {
  /** Short name: the file name and the document id. */
  name: string;
  /** What the document holds, for the table title. */
  description: string;
  document: Record<string, unknown>;
  rounds: number;
  strategies: readonly StrategyName[];
  chunker: typeof ChunkJson;
  /** The built `packages/chunking/dist/index.js`, for cold runs in fresh processes. */
  builtChunker: string | undefined;
}

/** Warm and cold per strategy on one document, then `dje chunk` on the same bytes. */
async function measureDocument(options: DocumentMeasurement): Promise<MixedResult> {
  const { document, name } = options;
  const json = JSON.stringify(document);
  const megabytes = toMegabytes(Buffer.byteLength(json));
  const directory = mkdtempSync(path.join(os.tmpdir(), 'dje-chunking-bench-'));
  const file = path.join(directory, `${name}.json`);
  writeFileSync(file, json);
  const gc = gcRecorder();
  const rows: (string | number)[][] = [];
  let autoWarm = 0;
  let autoWarmAlone: number | undefined;
  try {
    for (const strategy of options.strategies) {
      console.log(`${name} document: ${strategy}…`);
      const fresh =
        options.builtChunker === undefined
          ? undefined
          : freshProcessMilliseconds({
              file,
              chunker: options.builtChunker,
              strategy,
              rounds: options.rounds,
              documentId: name,
            });
      let best = Number.POSITIVE_INFINITY;
      let bestGc = 0;
      let bestCpu = Number.POSITIVE_INFINITY;
      let chunks = 0;
      // One unmeasured round first: the JIT settles and the tokenizer's caches fill.
      for (let round = 0; round <= options.rounds; round += 1) {
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        chunks = options.chunker(document, { documentId: name, strategy }).chunks.length;
        const end = performance.now();
        const cpu = process.cpuUsage(cpuStart);
        const gcMilliseconds = await gc.between(start, end);
        if (round === 0) continue;
        bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
        if (end - start < best) {
          best = end - start;
          bestGc = gcMilliseconds;
        }
      }
      const warm = megabytes / (best / 1000);
      const warmAlone = fresh === undefined ? undefined : megabytes / (fresh.warm / 1000);
      if (strategy === 'auto') {
        autoWarm = warm;
        autoWarmAlone = warmAlone;
      }
      rows.push([
        strategy,
        fresh === undefined ? '' : megabytes / (fresh.cold / 1000),
        warm,
        warmAlone ?? '',
        megabytes / (bestCpu / 1000),
        `${Math.round((bestGc / best) * 100)}%`,
        chunks,
      ]);
    }
    const cli = existsSync(path.join(repoRoot, 'apps', 'cli', 'dist', 'bin.js'))
      ? cliMeasurement({ file, megabytes, runs: 3 })
      : undefined;
    const chunker = options.builtChunker;
    const phases =
      chunker === undefined
        ? undefined
        : commandPhases({ file, megabytes, chunker, documentId: name, runs: 5 });
    return {
      megabytes,
      autoWarm,
      autoWarmAlone,
      json,
      cliNet: cli?.net,
      cliTables: [...(cli === undefined ? [] : [cli.table]), ...(phases === undefined ? [] : [phases])],
      tables: [
        {
          title: `${options.description}: one ${megabytes.toFixed(2)} MB JSON document, in process`,
          headers: [
            'Strategy',
            'cold MB/s (fresh process)',
            'warm MB/s (fastest round, after the generated set)',
            'warm MB/s, alone in a fresh process',
            'warm MB per CPU-second',
            'GC share of warm',
            'chunks',
          ],
          rows,
        },
      ],
    };
  } finally {
    gc.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

type GeneratedMeasurement = Omit<DocumentMeasurement, 'name' | 'description' | 'document'> & {
  megabytes: number;
  seed: number;
};

/** The mixed document (campaigns, yield reports, IoT networks, catalogs, users). */
export function measureMixed(options: GeneratedMeasurement): Promise<MixedResult> {
  return measureDocument({
    ...options,
    name: 'mixed',
    description: 'Mixed document (campaigns, yield reports, IoT networks, product catalogs, users)',
    document: mixedDocument({ totalBytes: options.megabytes * 1e6, seed: options.seed }),
  });
}

/** The varied document, shaped unlike the fixtures (see varied-document.ts). */
export function measureVaried(options: GeneratedMeasurement): Promise<MixedResult> {
  return measureDocument({
    ...options,
    name: 'varied',
    description:
      'Varied document, unlike the fixtures (tiny events, multi-script prose with emoji, deep trees, odd keys, matrices, a 60-level chain)',
    document: variedDocument({ totalBytes: options.megabytes * 1e6, seed: options.seed }),
  });
}
