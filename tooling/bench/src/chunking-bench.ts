// Chunking benchmark: throughput (MB/s of compact JSON, chunks/s) of every strategy and of `auto`
// over generated documents of the five kinds the chunking issue names, and the memory of
// `chunkJsonStream` over a large NDJSON stream generated on the fly (the 1 GB-class case, scaled).
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chunkJson, chunkJsonStream, type StrategyName, strategyNames } from '@dynamic-embeddings/chunking';
import { benchArgs } from './bench-args.js';
import { cliTargetMegabytesPerSecond } from './chunk-command-phases.js';
import {
  documentKinds,
  type GeneratedDocument,
  generateDocuments,
  ndjsonStream,
} from './chunking-fixtures.js';
import { measureMixed, measureVaried } from './chunking-mixed.js';
import { currentCommand, formatNumber, publish, renderTextTable, repoRoot, type Table } from './report.js';
import { compareTokenizers } from './tokenizer-comparison.js';

const usage = `Usage: tsx src/chunking-bench.ts [--mb N] [--mixed-mb N] [--varied-mb N] [--stream-mb N] [--rounds N] [--strategies LIST] [--seed N] [--no-publish]

  --mb N             compact JSON (MB) of generated documents chunked per strategy (default 6)
  --mixed-mb N       size (MB) of the one large mixed document, also chunked by \`dje chunk\`; 0 skips it (default 5.5)
  --varied-mb N      size (MB) of a document shaped unlike the fixtures, measured the same way; 0 skips it (default 3)
  --stream-mb N      size (MB) of the NDJSON stream for the memory measurement; 0 skips it (default 200)
  --rounds N         rounds per strategy; the fastest counts (default 3)
  --strategies LIST  comma-separated subset of ${strategyNames.join(', ')}
  --seed N           seed of the generated documents (default 42)
  --no-publish       print only; leave docs/benchmarks.md alone`;

const { numbers, strings, flags } = benchArgs({
  usage,
  numbers: {
    mb: { default: 6, fraction: true, min: 0.001 },
    'mixed-mb': { default: 5.5, fraction: true, min: 0 },
    'varied-mb': { default: 3, fraction: true, min: 0 },
    'stream-mb': { default: 200, fraction: true, min: 0 },
    rounds: { default: 3 },
    seed: { default: 42, min: 0 },
  },
  strings: { strategies: { default: strategyNames.join(',') } },
  flags: ['no-publish'],
});
const megabytes = numbers.mb;
const mixedMegabytes = numbers['mixed-mb'];
const variedMegabytes = numbers['varied-mb'];
const streamMegabytes = numbers['stream-mb'];
const { rounds, seed } = numbers;
const strategies = strings.strategies.split(',').map((name) => name.trim()) as StrategyName[];
const unknownStrategy = strategies.find((strategy) => !strategyNames.includes(strategy));
if (unknownStrategy !== undefined) {
  console.error(`--strategies: unknown strategy '${unknownStrategy}'\n\n${usage}`);
  process.exit(2);
}

const targetMegabytesPerSecond = 30;
const referenceMegabytesPerSecond = 1;
const loadAtStart = os.loadavg()[0] ?? 0;

const cpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const toMegabytes = (bytes: number): number => bytes / 1e6;

/** What one strategy did to a document set; only numbers are kept, not the chunks. */
interface Measurement {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly chunks: number;
  readonly tokens: number;
  readonly textBytes: number;
  /** The concrete strategy of each document's result, in document order. */
  readonly chosen: readonly string[];
}

/**
 * The fastest of `rounds` runs of `chunkJson` (or another build of it) over every document. Each
 * result is tallied and dropped at once, as an ingest pipeline would: holding a whole round's
 * chunks would make the garbage collector, not the chunker, the thing measured.
 */
function chunkAll(options: {
  documents: readonly GeneratedDocument[];
  strategy: StrategyName;
  chunker?: typeof chunkJson;
}): Measurement {
  const { documents, strategy } = options;
  const chunker = options.chunker ?? chunkJson;
  let best: Measurement | undefined;
  for (let round = 0; round < rounds; round += 1) {
    let chunks = 0;
    let tokens = 0;
    let textBytes = 0;
    const chosen: string[] = [];
    const wallStart = performance.now();
    const cpuStart = cpuSeconds();
    for (const document of documents) {
      const result = chunker(document.value, { documentId: document.id, strategy });
      chosen.push(result.strategy);
      chunks += result.chunks.length;
      for (const chunk of result.chunks) {
        tokens += chunk.token_count;
        textBytes += chunk.chunk_size;
      }
    }
    const wallSeconds = (performance.now() - wallStart) / 1000;
    if (best === undefined || wallSeconds < best.wallSeconds) {
      best = { wallSeconds, cpuSeconds: cpuSeconds() - cpuStart, chunks, tokens, textBytes, chosen };
    }
  }
  return best!;
}

/**
 * Streams generated NDJSON through `chunkJsonStream`, sampling RSS as it goes. Bounded memory
 * shows as an RSS that stops growing after the first part of the stream, however long it runs.
 * Runs before the document set below is built, so that set does not inflate the numbers.
 */
async function measureStream(): Promise<{ table: Table; note: string }> {
  const checkpoints = [0.1, 0.25, 0.5, 0.75, 1];
  const rssAt: number[] = [];
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  let documents = 0;
  let chunks = 0;
  let streamedBytes = 0;
  const totalBytes = streamMegabytes * 1e6;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const piece of ndjsonStream({ totalBytes, seed })) {
      streamedBytes += piece.length;
      while (rssAt.length < checkpoints.length && streamedBytes >= checkpoints[rssAt.length]! * totalBytes) {
        rssAt.push(process.memoryUsage.rss());
      }
      yield piece;
    }
  };
  const wallStart = performance.now();
  for await (const result of chunkJsonStream(counted())) {
    documents += 1;
    chunks += result.chunks.length;
    if (documents % 8 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const seconds = (performance.now() - wallStart) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage.rss(), ...rssAt);
  const streamed = toMegabytes(streamedBytes);
  return {
    table: {
      title: `Streaming ${formatNumber(streamed)} MB of NDJSON through \`chunkJsonStream\` (auto), generated on the fly`,
      headers: [
        'documents',
        'chunks',
        'MB/s (generate + parse + chunk)',
        'RSS before MB',
        ...checkpoints.map((fraction) => `RSS at ${Math.round(fraction * 100)}% MB`),
        'peak RSS MB',
      ],
      rows: [
        [
          documents,
          chunks,
          streamed / seconds,
          toMegabytes(rssBefore),
          ...checkpoints.map((_, index) => (rssAt[index] === undefined ? '' : toMegabytes(rssAt[index]!))),
          toMegabytes(peakRss),
        ],
      ],
    },
    note: `Streaming: RSS levels off after the first part of the stream and stays there to the end (peak ${formatNumber(toMegabytes(peakRss))} MB for ${formatNumber(streamed)} MB of input, which is generated on the fly and never held): only the document being read and its chunks are in memory, so a 1 GB file needs no more. Try \`--stream-mb 1000\`.`,
  };
}

const tables: Table[] = [];
const notes: string[] = [];

// Warm-up: load the tokenizer ranks and let the JIT settle, with the first strategy only (`auto`
// by default), as a process that ingests with one strategy would. Later strategies warm up in
// their first round; the fastest round counts.
for (const document of generateDocuments({ totalBytes: 1_000_000, seed: seed + 1 })) {
  chunkJson(document.value, { documentId: document.id, strategy: strategies[0] });
}

if (streamMegabytes > 0) console.log(`streaming ${streamMegabytes} MB of NDJSON…`);
const stream = streamMegabytes > 0 ? await measureStream() : undefined;

console.log(`generating ${megabytes} MB of documents…`);
const documents = generateDocuments({ totalBytes: megabytes * 1e6, seed });
const totalBytes = documents.reduce((sum, document) => sum + document.bytes, 0);
const totalMegabytes = toMegabytes(totalBytes);

const measured = new Map<StrategyName, Measurement>();
for (const strategy of strategies) {
  console.log(`chunking with ${strategy}…`);
  measured.set(strategy, chunkAll({ documents, strategy }));
}

/**
 * `pnpm bench` runs the TypeScript sources through tsx, whose transform wraps every closure in a
 * naming helper; users run the built package. When `packages/chunking/dist` (and the tokenizer's)
 * is at least as new as its sources, `auto` is measured on the built code too, and the mixed
 * document is measured on it only.
 */
function builtChunkerPath(): string | undefined {
  const built = path.join(repoRoot, 'packages', 'chunking', 'dist', 'index.js');
  if (!existsSync(built)) return undefined;
  for (const name of ['chunking', 'tokenizer']) {
    const sources = path.join(repoRoot, 'packages', name, 'src');
    const newestSource = Math.max(
      ...readdirSync(sources).map((file) => statSync(path.join(sources, file)).mtimeMs),
    );
    const dist = path.join(repoRoot, 'packages', name, 'dist', 'index.js');
    if (!existsSync(dist) || statSync(dist).mtimeMs < newestSource) return undefined;
  }
  return built;
}
async function builtChunker(): Promise<typeof chunkJson | undefined> {
  const built = builtChunkerPath();
  if (built === undefined) return undefined;
  const module = (await import(pathToFileURL(built).href)) as { chunkJson: typeof chunkJson };
  return module.chunkJson;
}
const builtChunkJson = await builtChunker();
if (builtChunkJson !== undefined) console.log('chunking with auto, built package…');
const builtAuto =
  builtChunkJson === undefined || !strategies.includes('auto')
    ? undefined
    : chunkAll({ documents, strategy: 'auto', chunker: builtChunkJson });

tables.push({
  title: `Throughput per strategy: ${documents.length} documents, ${formatNumber(totalMegabytes)} MB of compact JSON, fastest of ${rounds} rounds`,
  headers: [
    'Strategy',
    'MB/s',
    'MB/s per CPU-second',
    'chunks/s',
    'chunks',
    'tokens/chunk',
    'text ÷ JSON',
    `vs target ${targetMegabytesPerSecond} MB/s`,
  ],
  rows: strategies
    .map((strategy) => {
      const { wallSeconds, cpuSeconds: cpu, chunks, tokens, textBytes } = measured.get(strategy)!;
      const rate = totalMegabytes / wallSeconds;
      return [
        strategy,
        rate,
        totalMegabytes / cpu,
        chunks / wallSeconds,
        chunks,
        tokens / chunks,
        textBytes / totalBytes,
        strategy === 'auto' ? (rate >= targetMegabytesPerSecond ? 'meets' : 'below') : '',
      ];
    })
    .concat(
      builtAuto === undefined
        ? []
        : [
            [
              'auto, built package (dist)',
              totalMegabytes / builtAuto.wallSeconds,
              totalMegabytes / builtAuto.cpuSeconds,
              builtAuto.chunks / builtAuto.wallSeconds,
              builtAuto.chunks,
              builtAuto.tokens / builtAuto.chunks,
              builtAuto.textBytes / totalBytes,
              totalMegabytes / builtAuto.wallSeconds >= targetMegabytesPerSecond ? 'meets' : 'below',
            ],
          ],
    ),
});

const auto = measured.get('auto');
if (auto !== undefined) {
  tables.push({
    title: '`auto` by document kind',
    headers: ['Kind', 'documents', 'MB', 'strategy chosen', 'MB/s', 'MB/s per CPU-second', 'chunks'],
    rows: documentKinds.map((kind) => {
      const indexes = documents.flatMap((document, index) => (document.kind === kind ? [index] : []));
      const kindDocuments = indexes.map((index) => documents[index]!);
      const kindMegabytes = toMegabytes(kindDocuments.reduce((sum, document) => sum + document.bytes, 0));
      const chosen = new Map<string, number>();
      for (const index of indexes)
        chosen.set(auto.chosen[index]!, (chosen.get(auto.chosen[index]!) ?? 0) + 1);
      const timed = chunkAll({ documents: kindDocuments, strategy: 'auto' });
      return [
        kind,
        kindDocuments.length,
        kindMegabytes,
        [...chosen.entries()].map(([strategy, count]) => `${strategy} ${count}`).join(', '),
        kindMegabytes / timed.wallSeconds,
        kindMegabytes / timed.cpuSeconds,
        timed.chunks,
      ];
    }),
  });
}
if (stream !== undefined) {
  tables.push(stream.table);
  notes.push(stream.note);
}

const autoRate = auto === undefined ? undefined : totalMegabytes / auto.wallSeconds;
const builtRate = builtAuto === undefined ? undefined : totalMegabytes / builtAuto.wallSeconds;

// The large mixed document (issue 15): in process per strategy, then through `dje chunk`.
const largeDocument = {
  seed,
  rounds,
  strategies,
  chunker: builtChunkJson ?? chunkJson,
  builtChunker: builtChunkerPath(),
};
const mixed =
  mixedMegabytes > 0 ? await measureMixed({ ...largeDocument, megabytes: mixedMegabytes }) : undefined;
if (mixed !== undefined) {
  tables.unshift(...mixed.tables, ...mixed.cliTables);
  const chunkTexts = (builtChunkJson ?? chunkJson)(JSON.parse(mixed.json), {
    documentId: 'mixed',
  }).chunks.map((chunk) => chunk.text);
  const comparison = compareTokenizers(chunkTexts);
  tables.push(comparison.table);
  notes.push(comparison.note);
}
// A document unlike the fixtures and the mixed one: its own table, after them.
const varied =
  variedMegabytes > 0 ? await measureVaried({ ...largeDocument, megabytes: variedMegabytes }) : undefined;
if (varied !== undefined) {
  tables.splice(
    mixed === undefined ? 0 : mixed.tables.length + mixed.cliTables.length,
    0,
    ...varied.tables,
    ...varied.cliTables,
  );
}
const verdict = (value: number | undefined, target: number): string =>
  value === undefined ? 'not measured' : value >= target ? 'meets' : 'below';
const targetRows: (string | number)[][] = [
  [
    `\`auto\` warm, in process, mixed ${formatNumber(mixed?.megabytes ?? 0)} MB document, after the generated set`,
    `≥ ${targetMegabytesPerSecond} MB/s`,
    mixed === undefined ? '' : mixed.autoWarm,
    verdict(mixed?.autoWarm, targetMegabytesPerSecond),
  ],
  [
    `\`auto\` warm, the mixed document alone in a fresh process (built package)`,
    `≥ ${targetMegabytesPerSecond} MB/s`,
    mixed?.autoWarmAlone ?? '',
    verdict(mixed?.autoWarmAlone, targetMegabytesPerSecond),
  ],
  [
    '`dje chunk file.json --json > /dev/null` minus `dje --version`',
    `≥ ${cliTargetMegabytesPerSecond} MB/s`,
    mixed?.cliNet ?? '',
    verdict(mixed?.cliNet, cliTargetMegabytesPerSecond),
  ],
  [
    '`auto` on the generated document set (built package when fresh)',
    `≥ ${targetMegabytesPerSecond} MB/s`,
    builtRate ?? autoRate ?? '',
    verdict(builtRate ?? autoRate, targetMegabytesPerSecond),
  ],
];
const loadAtEnd = os.loadavg()[0] ?? 0;
tables.unshift({
  title: 'Targets',
  headers: ['Target', 'goal', 'measured MB/s', 'verdict'],
  rows: targetRows,
});
notes.unshift(
  `Target: ≥ ${targetMegabytesPerSecond} MB/s of compact JSON for \`auto\` on this 2-core machine; the reference Python implementation does about ${referenceMegabytesPerSecond} MB/s on such documents.` +
    (autoRate === undefined
      ? ''
      : ` Measured: ${formatNumber(autoRate)} MB/s from the TypeScript sources under tsx (${autoRate >= targetMegabytesPerSecond ? 'meets' : 'below'} the target)` +
        (builtRate === undefined
          ? ' (build `@dynamic-embeddings/chunking` first to measure the built package too)'
          : `, ${formatNumber(builtRate)} MB/s with the built package that users run (${builtRate >= targetMegabytesPerSecond ? 'meets' : 'below'} the target)`) +
        `; ${formatNumber((builtRate ?? autoRate) / referenceMegabytesPerSecond)}× the reference.`),
  `MB/s is compact-JSON megabytes (10⁶ bytes of \`JSON.stringify\`) per wall-clock second of \`chunkJson\` on already-parsed documents, exact token counting included; "per CPU-second" divides by the process's CPU time instead (garbage collection runs on other threads, so it can exceed the wall-clock rate). The machine is shared with other work: the 1-minute load average was ${loadAtStart.toFixed(1)} on 2 cores when this run started and ${loadAtEnd.toFixed(1)} when it ended, so wall-clock numbers are lower bounds.`,
  'The mixed document is generated by `tooling/bench/src/mixed-document.ts` (seeded): one JSON object whose arrays hold ad campaigns (daily rows), yield reports, IoT networks (1,500–3,000 readings each), product catalogs and user records (accented and CJK names, emoji, decimals, nested preferences, order lists, support notes of several KB). Cold is the first `chunkJson` call in a fresh Node.js process on the built package (loading the tokenizer ranks, ~40 ms, included; JSON parsing not); warm is the fastest round after one unmeasured one, measured twice: in the bench’s own process, which has chunked the generated document set before (V8 has optimized the chunker for those documents first, as in a long-running server), and alone in a fresh process that chunks only this document (as in a one-off job); the two can differ because V8 compiles each function for the values it has seen (until 2026-12-07 the token counter’s scanner read `text.charCodeAt` as a property of strings of every representation, which V8 compiled as a megamorphic lookup after the generated set: 116 ms instead of ~50 ms on the mixed document’s 64,789 lines, and the first way measured 20 MB/s); the GC share is the garbage-collection pauses the process observed (`PerformanceObserver` gc entries) during that round. `dje chunk` reads, parses, chunks and prints the JSON (stdout to /dev/null), with TurboFan inlining turned off by the bin for this one-shot command (`--no-turbo-inlining`: less compiling in a fresh process); its start-up is the fastest `dje --version`. In the step table, “sum with the chunk settled” is what the command would take if a fresh process chunked as fast as a settled one; where it exceeds what 15 MB/s allows, no cut to the JIT warm-up alone reaches that target.',
  'The varied document (`tooling/bench/src/varied-document.ts`, seeded) is shaped unlike the fixtures, to find slow paths they miss: a long array of tiny event objects, long prose mixing Cyrillic, Arabic, CJK, emoji (flags, ZWJ families) and escapes, category trees seven levels deep with keys that need quoting in a path (spaces, dots, brackets, non-ASCII, empty), 200 × 20 number matrices and a chain 60 levels deep with mixed-type arrays.',
  'Documents are generated by `tooling/bench/src/chunking-fixtures.ts`: ad campaigns with daily breakdowns, yield analyses with period1/period2 metrics and reasoning, IoT networks with 1,500–3,000 readings, product catalogs with 80–160 products, and app configs; seeded, so every run chunks the same bytes.',
);

if (flags['no-publish']) {
  for (const table of tables) console.log(`\n${renderTextTable(table)}`);
  for (const note of notes) console.log(`\n${note}`);
} else {
  publish({
    id: 'chunking',
    title:
      'Chunking: throughput per strategy, the mixed document, `dje chunk`, token counters and streaming memory',
    command: currentCommand(),
    environment: 'none (no database): @dynamic-embeddings/chunking in-process',
    tables,
    notes,
  });
}
