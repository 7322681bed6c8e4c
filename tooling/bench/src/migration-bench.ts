// Namespace copy throughput (@dynamic-embeddings/migration) against the physical floor: a plain
// CREATE TABLE … AS SELECT of the same table in the same run. Section `migration` of docs/benchmarks.md.
//
//   pnpm --filter @dynamic-embeddings/bench exec tsx src/migration-bench.ts [--rows 10000] [--dimensions 1536] [--rounds 5] [--storage vector|halfvec]
//
// The default storage is the one a namespace of those dimensions gets (halfvec above 2,000); a run
// with another storage or dimensions than the defaults writes its own section.
//
// Uses DATABASE_URL when set (e.g. 100,000 rows on a real PostgreSQL), else a fresh embedded PGlite
// database in a temporary directory (on disk, like the CLI's default).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@dynamic-embeddings/core/logger';
import {
  addKeyConstraints,
  buildIndexIfDue,
  buildVectorIndex,
  bytesPerVector,
  canIndex,
  connect,
  createNamespace,
  type Database,
  DEFAULT_TEXT_SEARCH_CONFIG,
  defaultStorage,
  dropNamespace,
  dropVectorIndex,
  getNamespace,
  hnswBuildBytesPerRow,
  hnswBuildMemoryKb,
  INDEX_MAX_DIMENSIONS,
  ident,
  indexTable,
  keywordsExpression,
  queryRow,
  storageType,
  TOAST_TUPLE_TARGET,
  validateStorage,
} from '@dynamic-embeddings/db';
import {
  createNamespaceMigration,
  type MigrationProgress,
  tableChecksum,
} from '@dynamic-embeddings/migration';
import { sql } from 'drizzle-orm';
import { benchArgs } from './bench-args.js';
import { currentCommand, databaseTarget, formatNumber, publish, sectionFor } from './report.js';
import { median } from './statistics.js';

const usage = `Usage: [DATABASE_URL=postgres://…] tsx src/migration-bench.ts [--rows N] [--dimensions N] [--rounds N] [--storage vector|halfvec]

  --rows N          rows in the source namespace (default 10000)
  --dimensions N    vector dimensions (default 1536)
  --rounds N        alternating rounds of the floor and the copy; medians are compared (default 5)
  --storage TYPE    vector or halfvec (default: what a namespace of those dimensions gets)`;

const { numbers, strings } = benchArgs({
  usage,
  numbers: { rows: { default: 10_000 }, dimensions: { default: 1536 }, rounds: { default: 5 } },
  strings: { storage: {} },
});
const { rows, dimensions, rounds } = numbers;
const storage = validateStorage(strings.storage) ?? defaultStorage(dimensions);
// A vector column too wide for an HNSW index is copied without one (search stays exact).
const indexType = canIndex({ dimensions, storage, indexType: 'hnsw' }) ? 'hnsw' : 'none';
const defaultRun = dimensions === 1536 && storage === 'vector';

const SOURCE = 'bench_migration_src';
const TARGET = 'bench_migration_dst';
const FLOOR_TABLE = 'bench_migration_floor';
const PLAIN_TABLE = 'bench_migration_plain';
const SEED_BATCH = 2_000;
const MB = 1024 * 1024;

function elapsedSeconds(since: number): number {
  return (performance.now() - since) / 1000;
}

async function dropBenchTables(db: Database): Promise<void> {
  await db.orm.execute(sql`DROP TABLE IF EXISTS ${ident(FLOOR_TABLE)}, ${ident(PLAIN_TABLE)}`);
  for (const namespace of [SOURCE, TARGET]) {
    if ((await getNamespace(db.orm, namespace)) !== undefined)
      await dropNamespace(db, namespace, { confirm: true });
  }
}

/** Random unit-ish vectors and ~512-character texts, generated inside the database (no transfer cost; text_hash is generated). */
async function seedSource(db: Database): Promise<void> {
  // Above the row count, so the timed copies do not build the index; it is timed on its own below.
  await createNamespace(db, {
    namespace: SOURCE,
    dimensions,
    provider: 'bench',
    model: 'random',
    storage,
    index: indexType,
    indexThreshold: rows + 1,
  });
  for (let first = 1; first <= rows; first += SEED_BATCH) {
    const last = Math.min(rows, first + SEED_BATCH - 1);
    await db.orm.execute(sql`
      INSERT INTO ${ident(`embeddings_${SOURCE}`)}
        (chunk_id, document_id, collection_name, text, embedding, strategy, content_type, path, metadata)
      SELECT 'chunk:' || g, 'doc:' || (g / 10), 'bench', body.text,
             (SELECT array_agg(random() - 0.5) FROM generate_series(1, ${dimensions}) WHERE g > 0)::${storageType(storage)},
             'semantic', 'object', '$.items[' || g || ']', jsonb_build_object('g', g)
      FROM generate_series(${first}::int, ${last}::int) AS g,
           LATERAL (SELECT repeat(md5(g::text), 16) AS text) AS body`);
    process.stderr.write(`\rseeded ${last}/${rows} rows`);
  }
  process.stderr.write('\n');
}

/**
 * CREATE TABLE … AS SELECT of the source: `plain` as it comes, `layout` with the namespace tables'
 * TOAST setting, `indexed` that plus the namespace's keys and filter/keyword indexes built after the
 * load in the same transaction (the copy's work minus recomputing columns and verifying).
 */
async function floorRun(db: Database, variant: 'plain' | 'layout' | 'indexed' = 'plain'): Promise<number> {
  await db.orm.execute(sql`DROP TABLE IF EXISTS ${ident(FLOOR_TABLE)}`);
  const layout =
    variant === 'plain' ? sql`` : sql`WITH (toast_tuple_target = ${sql.raw(String(TOAST_TUPLE_TARGET))})`;
  const started = performance.now();
  await db.orm.transaction(async (tx) => {
    await tx.execute(
      sql`CREATE TABLE ${ident(FLOOR_TABLE)} ${layout} AS SELECT * FROM ${ident(`embeddings_${SOURCE}`)}`,
    );
    if (variant !== 'indexed') return;
    await addKeyConstraints(tx, FLOOR_TABLE);
    await indexTable(tx, FLOOR_TABLE);
  });
  const seconds = elapsedSeconds(started);
  await db.orm.execute(sql`DROP TABLE ${ident(FLOOR_TABLE)}`);
  return seconds;
}

/**
 * What the copy's INSERT would cost if the database did not recompute the generated columns: the
 * source's columns into a table LIKE it (generated columns become plain ones, copied as they are),
 * without indexes, in one transaction. The difference to the copy's load is the keyword tsvector
 * and text_hash that the target computes for every row (a stored generated column cannot be
 * filled from elsewhere, nor can a plain column be turned into one without recomputing it).
 */
async function plainLoadRun(db: Database): Promise<number> {
  await db.orm.execute(sql`DROP TABLE IF EXISTS ${ident(PLAIN_TABLE)}`);
  const started = performance.now();
  await db.orm.transaction(async (tx) => {
    await tx.execute(
      sql`CREATE TABLE ${ident(PLAIN_TABLE)} (LIKE ${ident(`embeddings_${SOURCE}`)} INCLUDING DEFAULTS) WITH (toast_tuple_target = ${sql.raw(String(TOAST_TUPLE_TARGET))})`,
    );
    await tx.execute(sql`INSERT INTO ${ident(PLAIN_TABLE)} SELECT * FROM ${ident(`embeddings_${SOURCE}`)}`);
  });
  const seconds = elapsedSeconds(started);
  await db.orm.execute(sql`DROP TABLE ${ident(PLAIN_TABLE)}`);
  return seconds;
}

/** The keyword column's expression alone over the source's text (what the copy's target recomputes). */
async function keywordsRun(db: Database): Promise<number> {
  const started = performance.now();
  await db.orm.execute(
    sql`SELECT sum(length(${keywordsExpression(DEFAULT_TEXT_SEARCH_CONFIG)})) FROM ${ident(`embeddings_${SOURCE}`)}`,
  );
  return elapsedSeconds(started);
}

const dataDir = process.env.DATABASE_URL
  ? undefined
  : mkdtempSync(path.join(os.tmpdir(), 'dje-migration-bench-'));
const db = await connect(process.env.DATABASE_URL ?? `pglite://${path.join(dataDir ?? '', 'pgdata')}`);
try {
  await dropBenchTables(db);
  await seedSource(db);
  const size = await queryRow<{ table_bytes: number; total_bytes: number }>(
    db.orm,
    sql`SELECT pg_table_size(${`embeddings_${SOURCE}`})::float8 AS table_bytes,
               pg_total_relation_size(${`embeddings_${SOURCE}`})::float8 AS total_bytes`,
  );
  const tableBytes = size?.table_bytes ?? 0;
  // Read the source once so neither contender pays for a cold cache alone.
  await db.orm.execute(sql`SELECT count(*), sum(length(text)) FROM ${ident(`embeddings_${SOURCE}`)}`);

  // Floor and copy alternate, several rounds, and medians are compared: on a shared machine one
  // run of either can be off by a factor of two.
  const floor: number[] = [];
  const sameLayoutFloor: number[] = [];
  const indexedFloor: number[] = [];
  const copy: number[] = [];
  const verify: number[] = [];
  const copyAndVerify: number[] = [];
  const withoutChecksum: number[] = [];
  const plainLoad: number[] = [];
  const keywords: number[] = [];
  const migration = createNamespaceMigration({ db, logger: createLogger({ level: 'warn' }) });
  for (let round = 1; round <= rounds; round++) {
    floor.push(await floorRun(db));
    sameLayoutFloor.push(await floorRun(db, 'layout'));
    indexedFloor.push(await floorRun(db, 'indexed'));
    plainLoad.push(await plainLoadRun(db));
    keywords.push(await keywordsRun(db));
    if ((await getNamespace(db.orm, TARGET)) !== undefined)
      await dropNamespace(db, TARGET, { confirm: true });
    const marks = new Map<MigrationProgress['phase'], number>();
    const started = performance.now();
    const result = await migration.copyNamespace({
      source: SOURCE,
      target: TARGET,
      onProgress: (progress) => {
        if (!marks.has(progress.phase)) marks.set(progress.phase, performance.now());
      },
    });
    const finished = performance.now();
    if (!result.success) throw new Error(`copy failed: ${result.error?.code} ${result.error?.message}`);
    const at = (phase: MigrationProgress['phase']) => marks.get(phase) ?? finished;
    copy.push((at('verify') - at('create')) / 1000);
    verify.push((at('register') - at('verify')) / 1000);
    copyAndVerify.push((finished - started) / 1000);
    // The same copy with checksum: false (every row still compared, no md5 hashing).
    await dropNamespace(db, TARGET, { confirm: true });
    const fastStarted = performance.now();
    const fast = await migration.copyNamespace({ source: SOURCE, target: TARGET, checksum: false });
    withoutChecksum.push(elapsedSeconds(fastStarted));
    if (!fast.success) throw new Error(`copy failed: ${fast.error?.code} ${fast.error?.message}`);
    process.stderr.write(
      `round ${round}: floor ${floor.at(-1)?.toFixed(2)} s, copy + verification ${copyAndVerify.at(-1)?.toFixed(2)} s, without checksum ${withoutChecksum.at(-1)?.toFixed(2)} s\n`,
    );
  }
  // How much of the verification is the checksum's hashing: the same hash over the target alone.
  const checksumOnly: number[] = [];
  for (let round = 1; round <= Math.min(rounds, 3); round++) {
    const started = performance.now();
    await tableChecksum(db.orm, `embeddings_${TARGET}`);
    checksumOnly.push(elapsedSeconds(started));
  }
  // What a migration runs after commit when the namespace's policy asks for the index: first at the
  // server's maintenance_work_mem (as before index builds sized it), then as the migration does.
  const target = await getNamespace(db.orm, TARGET);
  if (target === undefined) throw new Error('the copied namespace is missing');
  const tableName = target.table_name;
  const setting = await queryRow<{ kb: number; workers: number }>(
    db.orm,
    sql`SELECT (SELECT setting::float8 FROM pg_settings WHERE name = 'maintenance_work_mem') AS kb,
               (SELECT setting::int FROM pg_settings WHERE name = 'max_parallel_maintenance_workers') AS workers`,
  );
  const serverKb = Number(setting?.kb ?? 0);
  const sizedKb =
    hnswBuildMemoryKb({
      rows,
      dimensions,
      storage,
      m: 16,
      currentKb: serverKb,
      limitMB: db.indexBuildMemoryMB,
      parallelWorkers: Number(setting?.workers ?? 0),
    }) ?? serverKb;
  let unsizedIndexSeconds = Number.NaN;
  let indexSeconds = Number.NaN;
  if (indexType === 'hnsw') {
    const unsizedStarted = performance.now();
    await db.orm.transaction((tx) => buildVectorIndex(tx, { tableName, type: 'hnsw', storage }));
    unsizedIndexSeconds = elapsedSeconds(unsizedStarted);
    await dropVectorIndex(db.orm, tableName);
    const indexStarted = performance.now();
    await buildIndexIfDue(db, { namespace: target, restore: true });
    indexSeconds = elapsedSeconds(indexStarted);
  }

  const floorSeconds = median(floor);
  const copyAndVerifySeconds = median(copyAndVerify);
  const ratio = floorSeconds / copyAndVerifySeconds;
  const fastRatio = floorSeconds / median(withoutChecksum);
  const sameLayoutSeconds = median(sameLayoutFloor);
  const line = (operation: string, samples: readonly number[], withRatio: boolean) => {
    const seconds = median(samples);
    return [
      operation,
      seconds,
      samples.length > 1 ? `${formatNumber(Math.min(...samples))}–${formatNumber(Math.max(...samples))}` : '',
      rows / seconds,
      tableBytes / MB / seconds,
      withRatio ? `${(floorSeconds / seconds).toFixed(2)}×` : '',
    ];
  };

  const environment =
    db.driver === 'pglite'
      ? `PGlite in-process, on disk (PostgreSQL ${db.versions.postgres}, pgvector ${db.versions.pgvector})`
      : `postgres.js → ${db.isPGliteServer ? 'PGlite over pglite-socket' : 'PostgreSQL'} ${db.versions.postgres} (pgvector ${db.versions.pgvector})`;
  // The machine is shared: the load average says how much the medians can be trusted.
  const load = os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  const rowsPerSecond = rows / copyAndVerifySeconds;
  publish({
    ...sectionFor(databaseTarget(process.env.DATABASE_URL), {
      // A run of another size than 10,000 rows keeps its own section beside the 10,000-row one.
      id: defaultRun ? 'migration' : `migration-${storage}-${dimensions}${rows === 10_000 ? '' : `-${rows}`}`,
      title: `Namespace copy: ${formatNumber(rows)} rows × ${dimensions} dimensions${defaultRun ? '' : `, ${storage}`}`,
    }),
    command: currentCommand(),
    environment: `${environment}; load average at the end ${load}`,
    tables: [
      {
        title: `Source: ${formatNumber(tableBytes / MB)} MB of heap + TOAST (${formatNumber((size?.total_bytes ?? 0) / MB)} MB with indexes)`,
        headers: [
          'operation',
          `median seconds (${rounds} rounds)`,
          'min–max',
          'rows/s',
          'MB/s',
          'throughput vs floor',
        ],
        rows: [
          line('CREATE TABLE … AS SELECT (the floor)', floor, false),
          line(
            `CREATE TABLE … WITH (toast_tuple_target = ${TOAST_TUPLE_TARGET}) AS SELECT (same layout as namespace tables)`,
            sameLayoutFloor,
            true,
          ),
          line(
            '… the same, then the primary key, unique chunk_id, B-tree and GIN indexes a namespace table has (keywords copied, not recomputed)',
            indexedFloor,
            true,
          ),
          line(
            'INSERT … SELECT into a table LIKE the source, generated columns copied as plain ones, no indexes (what the copy would be without recomputing)',
            plainLoad,
            true,
          ),
          line(
            "… the keyword column's tsvector expression alone over the source (SELECT, no write)",
            keywords,
            false,
          ),
          line(
            'copyNamespace: INSERT … SELECT slices (keywords and text_hash computed), then primary key, unique chunk_id, B-tree and GIN indexes',
            copy,
            true,
          ),
          line('copyNamespace: verification (row-by-row comparison + checksum of the target)', verify, false),
          line('… of which the checksum hashing alone (tableChecksum of the target)', checksumOnly, false),
          line('copyNamespace: whole call (checks, copy, verification, registry)', copyAndVerify, true),
          line(
            'copyNamespace({ checksum: false }): whole call, rows compared but not hashed',
            withoutChecksum,
            true,
          ),
          ...(indexType === 'hnsw'
            ? [
                line(
                  `HNSW index build (m=16, ef_construction=64) at the server's maintenance_work_mem (${formatNumber(serverKb / 1024)} MB)`,
                  [unsizedIndexSeconds],
                  false,
                ),
                line(
                  `HNSW index build as a migration runs it after commit: maintenance_work_mem sized to ${formatNumber(sizedKb / 1024)} MB (ceiling ${db.indexBuildMemoryMB} MB)`,
                  [indexSeconds],
                  false,
                ),
              ]
            : []),
        ],
      },
    ],
    notes: [
      `Target: copy + verification ≥ 0.7× the floor's throughput (medians). Measured with the checksum (the default): ${ratio.toFixed(2)}× — ${ratio >= 0.7 ? 'met' : 'NOT met'}. With checksum: false, which still compares every row with its source exactly: ${fastRatio.toFixed(2)}× — ${fastRatio >= 0.7 ? 'met' : 'NOT met'}.`,
      `The floor is a plain CREATE TABLE … AS SELECT: a default table, which TOASTs every 6 KB vector. Namespace tables keep vectors in the heap row (toast_tuple_target = ${TOAST_TUPLE_TARGET}), so the copy writes less even though it computes two generated columns per row, builds a primary key, a unique chunk_id index, three B-tree and three GIN indexes after the load, keeps ids and timestamps, and runs in one transaction with the registry changes. For a like-for-like view, the second line is CREATE TABLE AS with the same layout: against it the whole call runs at ${(sameLayoutSeconds / copyAndVerifySeconds).toFixed(2)}× (checksum) and ${(sameLayoutSeconds / median(withoutChecksum)).toFixed(2)}× (checksum: false). The third line gives that table the keys and indexes of a namespace table in the same transaction, which is the copy's work without recomputing the keyword column and without verification: against it the whole call runs at ${(median(indexedFloor) / copyAndVerifySeconds).toFixed(2)}× (checksum) and ${(median(indexedFloor) / median(withoutChecksum)).toFixed(2)}× (checksum: false).`,
      `Where the copy's time goes: the same rows loaded with nothing recomputed take ${formatNumber(median(plainLoad))} s, the copy's load and indexes ${formatNumber(median(copy))} s. The keyword column (a stored generated tsvector over the text) is recomputed for every row, because PostgreSQL fills a stored generated column only from its expression: no INSERT or COPY can supply it, and a plain column cannot be turned into a generated one (PostgreSQL 17's SET EXPRESSION works only on a column that is already generated, and rewrites the table). Its expression alone takes ${formatNumber(median(keywords))} s here (${(median(keywords) / floorSeconds).toFixed(2)}× the floor's whole time); the GIN index over it comes on top. Unless the keyword column stops being a generated one, that cost is the copy's floor, not CREATE TABLE AS.`,
      'Verification joins the target to the source on chunk_id and compares every copied column exactly, then the same scan hashes every target row for the checksum (chunk_id, md5(text), md5(vector_send(embedding))). Hashing 6 KB per row is most of the verification cost; the comparison itself is the cheap part.',
      `The reference system promises 30 s–5 min for 100K–1M rows, i.e. about 3,300 rows/s. At the measured ${formatNumber(rowsPerSecond)} rows/s (copy + verification, without the index build), 100,000 rows would take ~${formatNumber(100_000 / rowsPerSecond)} s and 1,000,000 rows ~${formatNumber(1_000_000 / rowsPerSecond / 60)} min; the HNSW build comes on top and grows faster than linearly with rows.`,
      `Floor and copy alternate for ${rounds} rounds and medians are compared, because the 2-core machine is shared with other jobs; single runs vary by up to 2×.`,
      ...(indexType === 'hnsw'
        ? [
            `The HNSW builds are single runs, and dominate a migration of 1,536-dimensional vectors. pgvector builds the graph in memory while it fits in maintenance_work_mem and falls back to a much slower build when it does not; index builds therefore raise maintenance_work_mem for their own transaction to what the graph needs (~${formatNumber(hnswBuildBytesPerRow({ dimensions, m: 16, storage }) / 1024)} kB a row here), up to indexBuildMemoryMB (DJE_INDEX_BUILD_MEMORY_MB). Here the graph needs ~${formatNumber((rows * hnswBuildBytesPerRow({ dimensions, m: 16, storage })) / MB)} MB and the server's setting is ${formatNumber(serverKb / 1024)} MB: the sized build ran at ${(unsizedIndexSeconds / indexSeconds).toFixed(2)}× the speed of the build at the server's setting (about 1× is expected when the graph nearly fits anyway).`,
          ]
        : [
            `No HNSW index: pgvector indexes ${storage} columns of at most ${INDEX_MAX_DIMENSIONS[storage]} dimensions, so this namespace is searched exactly (or with a binary-quantized index).`,
          ]),
      `Storage: ${storage} (${bytesPerVector(storage, dimensions)} bytes a vector). The copy keeps the values as they are; verification compares them exactly and the checksum hashes their binary form (${storage}_send).`,
      "The bench imports the packages' built output: run `pnpm build` first.",
    ],
  });
} finally {
  await dropBenchTables(db).catch(() => {});
  await db.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}
