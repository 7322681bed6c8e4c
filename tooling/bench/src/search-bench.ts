// Search benchmark (issue 14): ours with its defaults (the index policy, recall calibration and
// the per-search planner) against raw SQL with the same plan and settings, raw exact SQL and
// LangChain.js PGVectorStore, on the same database and vectors in one run; unfiltered, with 1% and
// 20% metadata filters and a collection column filter. Also recall vs latency of raw SQL at fixed
// ef_search, and where exact and ANN search cross, to calibrate the planner's exact cutoff.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  createVectorStore,
  describeVectorIndex,
  exactCutoffRows,
  getTableName,
  recallAwareCutoff,
} from '@dynamic-embeddings/db';
import pg from 'pg';
import { formatNumber, packageVersion, publish, renderTextTable, type Table } from './report.js';
import { openBenchDatabase } from './search/bench-database.js';
import { dropOurs, hasWithinTags, loadLangChain, loadOurs } from './search/bench-load.js';
import { type BenchOptions, parseBenchOptions, usage } from './search/bench-options.js';
import { startBenchServer } from './search/bench-server.js';
import {
  makeSystems,
  runDiagnostics,
  runWorkloads,
  sweepWorkloads,
  targetNumbers,
} from './search/bench-stages.js';
import { FORCE_INDEX, measureCrossing } from './search/cutoff-crossing.js';
import { type Dataset, generateDataset } from './search/dataset.js';
import { sweepEfSearch } from './search/ef-sweep.js';
import { measureInProcess } from './search/in-process.js';
import { WARMUP_QUERIES } from './search/measure-search.js';
import { buildReport } from './search/search-report.js';
import { RESULT_LIMIT } from './search/search-systems.js';
import { checkTargets } from './search/targets.js';
import { crossingSizes, makeCrossingWorkloads, makeWorkloads } from './search/workloads.js';

const parsed = parseBenchOptions(process.argv.slice(2), process.env);
if (parsed === undefined) {
  console.log(usage);
  process.exit(0);
}
if (typeof parsed === 'string') {
  console.error(parsed);
  process.exit(2);
}
const options: BenchOptions = parsed;

const NAMESPACE = options.shape === 'skewed' ? 'bench_search_skewed' : 'bench_search';
const TABLE = getTableName(NAMESPACE);
const LANGCHAIN_TABLE = `${NAMESPACE}_langchain`;
/** Queries of the sweeps, per setting or size: they draw curves and do not gate targets. */
const SWEEP_QUERIES = Math.min(options.queries, 100);
const CROSSING_QUERIES = Math.min(options.queries, 50);
/** ef_search values of the filtered sweep, around what the planner gives filters of 25–65%. */
const FILTERED_SWEEP_EF = [224, 320, 448, 640, 1000];

function log(message: string): void {
  const load = os.loadavg()[0]?.toFixed(1);
  console.log(`[search-bench ${new Date().toISOString().slice(11, 19)} load ${load}] ${message}`);
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

function setupTable(facts: {
  readonly dataset: Dataset;
  readonly generation: number;
  readonly truth: number;
  readonly ours: string;
  readonly langChain: string;
  readonly tuning: string;
}): Table {
  const { dataset } = facts;
  return {
    title: 'Data and setup',
    headers: ['what', 'value'],
    rows: [
      [
        'vectors',
        `${formatNumber(dataset.rows)} × ${dataset.dimensions}, unit length, ${options.shape} (seed ${options.seed}), ${facts.generation.toFixed(1)} s to generate`,
      ],
      ['queries', `${options.queries} per workload, after ${WARMUP_QUERIES} warm-up queries per system`],
      ['ground truth', `exact cosine top-10 by brute force in the benchmark, ${facts.truth.toFixed(1)} s`],
      ['ours: createNamespace (defaults) + insertEmbeddings', facts.ours],
      ['ours: calibrated search settings (registry)', facts.tuning],
      ['LangChain: addVectors, createHnswIndex', facts.langChain],
    ],
  };
}

async function main(): Promise<void> {
  const { rows, dimensions, queries, seed, shape } = options;
  const loadAtStart = os.loadavg()[0] ?? 0;
  log(`${formatNumber(rows)} × ${dimensions} ${shape} vectors, ${queries} queries (seed ${seed})`);
  let started = performance.now();
  const dataset = generateDataset({ rows, dimensions, queries, seed, shape });
  const generation = secondsSince(started);
  const cutoff = exactCutoffRows(dimensions);
  const withinSizes = crossingSizes(rows);
  started = performance.now();
  const workloads = makeWorkloads(dataset, RESULT_LIMIT);
  const crossingWorkloads = makeCrossingWorkloads({
    dataset,
    k: RESULT_LIMIT,
    sizes: withinSizes,
    queries: CROSSING_QUERIES,
  });
  const truth = secondsSince(started);
  log(`exact answers in ${truth.toFixed(1)} s; crossing sizes ${withinSizes.join(', ')} (cutoff ${cutoff})`);

  const server = await startBenchServer(options.databaseUrl);
  const postgresTarget = options.target === 'postgres';
  // On PGlite every driver gets one connection (see bench-database.ts); LangChain's pool needs two
  // because PGVectorStore.initialize keeps one client checked out for good.
  const { db, recorder } = await openBenchDatabase({ url: server.url, poolSize: postgresTarget ? 3 : 1 });
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  const embedding = { provider: 'bench', model: `gaussian-${shape}`, dimensions };
  const store = createVectorStore(db, { namespace: NAMESPACE, embedding });
  const sql = db.postgres!;
  let langChainStore: { end(): Promise<void> } | undefined;
  try {
    log('loading our namespace: createNamespace (defaults) + insertEmbeddings');
    const reuse = options.reuse;
    const largest = Math.max(0, ...withinSizes);
    const tagged = () => hasWithinTags(db, { tableName: TABLE, size: largest });
    const oursLoad = await loadOurs({
      store,
      namespace: NAMESPACE,
      embedding,
      dataset,
      withinSizes,
      reuse,
      tagged,
    });
    const oursFact = oursLoad.reused
      ? 'reused from a --keep run'
      : `${oursLoad.seconds.toFixed(1)} s (index built by the policy: ${oursLoad.indexBuilt})`;
    log(`  ${oursFact}`);
    log('loading LangChain PGVectorStore (addVectors, then createHnswIndex)');
    const langChain = await loadLangChain({ pool, tableName: LANGCHAIN_TABLE, dataset, reuse });
    langChainStore = langChain.store;
    const langChainFact = langChain.reused
      ? 'reused from a --keep run'
      : `${langChain.loadSeconds.toFixed(1)} s + ${langChain.indexSeconds.toFixed(1)} s`;
    log(`  ${langChainFact}`);
    const index = await describeVectorIndex(db.orm, TABLE);
    if (index?.type !== 'hnsw')
      throw new Error(`expected an HNSW index on ${TABLE}, found ${index?.type ?? 'none'}`);
    if (options.recalibrate) await (await store.open(NAMESPACE)).calibrate();
    const handle = await store.open(NAMESPACE);
    const tuning = handle.record.search_tuning;
    log(`calibrated settings: ${JSON.stringify(tuning)}`);

    const systems = makeSystems({ handle, sql, tableName: TABLE, langChain: langChain.store });
    const runs = await runWorkloads({ handle, sql, tableName: TABLE, dataset, systems, workloads, log });
    const inProcess =
      server.pglite === undefined
        ? undefined
        : await measureInProcess({
            pglite: server.pglite,
            versions: db.versions,
            namespace: NAMESPACE,
            tableName: TABLE,
            dataset,
            workloads: Object.values(workloads),
            log,
          });
    const targets = [...checkTargets(targetNumbers(runs, systems)), ...(inProcess?.targets ?? [])];
    log('statement timings and query plans');
    const diagnostics = await runDiagnostics({ sql, pool, recorder, tableName: TABLE, systems, runs });
    log('cutoff crossing');
    const crossing = await measureCrossing({
      sql,
      tableName: TABLE,
      dataset,
      ours: systems.ours,
      tuning,
      workloads: crossingWorkloads,
      log,
    });
    log('filtered ef_search sweep');
    const filteredSweep = await sweepEfSearch({
      sql,
      tableName: TABLE,
      dataset,
      workloads: crossingWorkloads.filter((workload) => workload.available >= rows / 4),
      log,
      efSearches: FILTERED_SWEEP_EF,
      extraSettings: { ...FORCE_INDEX, enable_sort: 'off' },
    });
    log('ef_search sweep');
    const sweep = await sweepEfSearch({
      sql,
      tableName: TABLE,
      dataset,
      workloads: sweepWorkloads(workloads, SWEEP_QUERIES),
      log,
    });

    const section = buildReport({
      target: options.target,
      shape,
      command: options.command,
      environment: `${server.description} (PostgreSQL ${db.versions.postgres}, pgvector ${db.versions.pgvector}). Ours and raw SQL over postgres.js ${packageVersion('postgres')} with drizzle-orm ${packageVersion('drizzle-orm')}, ${postgresTarget ? 'a pool of 3' : 'one connection'}; LangChain (@langchain/community ${packageVersion('@langchain/community')}) over pg ${packageVersion('pg')}; all on the same database and tables`,
      setup: setupTable({
        dataset,
        generation,
        truth,
        ours: oursFact,
        langChain: langChainFact,
        tuning: JSON.stringify(tuning),
      }),
      systems,
      runs,
      targets,
      ...(inProcess === undefined ? {} : { inProcess: inProcess.table }),
      breakdown: diagnostics.breakdown,
      explain: diagnostics.explain,
      sweep,
      sweepQueries: SWEEP_QUERIES,
      filteredSweep,
      crossing,
      crossingQueries: CROSSING_QUERIES,
      cutoff,
      recallAwareCutoff: recallAwareCutoff({
        floor: cutoff,
        type: 'hnsw',
        totalRows: rows,
        limit: RESULT_LIMIT,
        tuning,
      }),
      dimensions,
      rows,
      loadAtStart,
      publishCharts: options.publish,
    });
    if (options.publish) publish(section);
    else for (const table of section.tables) console.log(`${renderTextTable(table)}\n`);
    if (!options.publish) for (const note of section.notes ?? []) console.log(note);
  } finally {
    if (postgresTarget && !options.keep) {
      // Leave a real server as it was found; PGlite's in-memory database goes away anyway.
      await pool.query(`DROP TABLE IF EXISTS ${LANGCHAIN_TABLE}`).catch(() => {});
      await dropOurs(store, NAMESPACE).catch(() => {});
    }
    // PGVectorStore.initialize keeps a client checked out, and pool.end() waits for it: end() releases it.
    await (langChainStore === undefined ? pool.end() : langChainStore.end()).catch(() => {});
    await db.close();
    await server.close();
  }
}

await main();
