// `pnpm bench`: runs every benchmark in tooling/bench one after another, each in its own process
// (so one benchmark's memory, open handles or a hang cannot skew or stop the next), then writes a
// summary at the top of docs/benchmarks.md: versions, and what ran for how long.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import postgres from 'postgres';
import { benchArgs } from './bench-args.js';
import { BENCHMARKS, type PlannedRun, planRuns } from './benchmark-list.js';
import {
  databaseTarget,
  formatNumber,
  machineSummary,
  packageVersion,
  publish,
  renderTextTable,
  sectionFor,
  type Table,
} from './report.js';

const usage = `Usage: pnpm bench [--only NAME,NAME] [--database-url URL] [--timeout-minutes N]

  --only NAMES          run only these (${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')})
  --database-url URL    run against a real PostgreSQL (passed to each benchmark as DATABASE_URL;
                        default: DATABASE_URL, else PGlite). PostgreSQL results go to their own sections.
  --timeout-minutes N   stop a benchmark that runs longer than this (default 20)

Each benchmark runs with its own defaults, sized to finish on PGlite; see \`tsx src/<name>-bench.ts --help\`.`;

const { numbers, strings } = benchArgs({
  usage,
  numbers: { 'timeout-minutes': { default: 20, fraction: true, min: 0.1 } },
  strings: { only: {}, 'database-url': {} },
});
const timeoutMinutes = numbers['timeout-minutes'];
const databaseUrl = strings['database-url'] ?? process.env.DATABASE_URL;
const target = databaseTarget(databaseUrl);
const sourceDirectory = path.dirname(fileURLToPath(import.meta.url));
const packageDirectory = path.dirname(sourceDirectory);

function plan(): PlannedRun[] {
  try {
    return planRuns({
      existingFiles: new Set(
        BENCHMARKS.map((benchmark) => benchmark.file).filter((file) =>
          existsSync(path.join(sourceDirectory, file)),
        ),
      ),
      ...(strings.only === undefined ? {} : { only: strings.only.split(',').map((name) => name.trim()) }),
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
const runs = plan();

interface Outcome {
  readonly run: PlannedRun;
  readonly status: string;
  readonly seconds: number | undefined;
}

/** Runs one benchmark script with tsx, resolving workspace packages from source like the tests do. */
function runBenchmark(run: PlannedRun): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', path.join('src', run.file), ...(run.args ?? [])],
      {
        cwd: packageDirectory,
        stdio: 'inherit',
        env: { ...process.env, ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) },
        // Its own process group, so a timeout stops the benchmark and anything it started.
        detached: true,
      },
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMinutes * 60_000);
    const stopChild = () => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      process.exit(130);
    };
    process.once('SIGINT', stopChild);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('SIGINT', stopChild);
      const seconds = (performance.now() - started) / 1000;
      const status = timedOut
        ? `timed out after ${timeoutMinutes} min`
        : code === 0
          ? 'ok'
          : `failed (${signal ?? `exit code ${code}`})`;
      resolve({ run, status, seconds });
    });
  });
}

/** PostgreSQL and pgvector versions of the database the benchmarks use. */
async function databaseVersions(): Promise<string> {
  const query =
    "SELECT current_setting('server_version') AS version, (SELECT extversion FROM pg_extension WHERE extname = $1) AS pgvector";
  try {
    if (target === 'postgres' && databaseUrl !== undefined) {
      const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      try {
        const [row] = await sql.unsafe<{ version: string; pgvector: string | null }[]>(query, ['vector']);
        return `PostgreSQL ${row?.version ?? 'unknown'}; pgvector ${row?.pgvector ?? 'not installed'}`;
      } finally {
        await sql.end({ timeout: 5 });
      }
    }
    const pglite = await PGlite.create({ extensions: { vector } });
    try {
      await pglite.exec('CREATE EXTENSION IF NOT EXISTS vector');
      const { rows } = await pglite.query<{ version: string; pgvector: string }>(query, ['vector']);
      return `PGlite ${packageVersion('@electric-sql/pglite')} (PostgreSQL ${rows[0]?.version ?? 'unknown'}); pgvector ${rows[0]?.pgvector ?? 'unknown'} from @electric-sql/pglite-pgvector ${packageVersion('@electric-sql/pglite-pgvector')}`;
    } finally {
      await pglite.close();
    }
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  }
}

const outcomes: Outcome[] = [];
const runStarted = performance.now();
for (const run of runs) {
  if (!run.present) {
    console.log(`\n[bench] ${run.name}: src/${run.file} does not exist; skipped`);
    outcomes.push({ run, status: 'missing (script not written yet)', seconds: undefined });
    continue;
  }
  console.log(`\n[bench] ${run.name}: src/${[run.file, ...(run.args ?? [])].join(' ')}`);
  outcomes.push(await runBenchmark(run));
}
const totalMinutes = (performance.now() - runStarted) / 60_000;

const versions: Table = {
  title: 'Versions',
  headers: ['component', 'version'],
  rows: [
    ['machine', machineSummary()],
    ['database', await databaseVersions()],
    ...[
      '@electric-sql/pglite',
      '@electric-sql/pglite-pgvector',
      '@electric-sql/pglite-socket',
      'postgres',
      'pg',
      'drizzle-orm',
      '@langchain/community',
      '@langchain/core',
    ].map((name) => [name, packageVersion(name)]),
  ],
};
const summary: Table = {
  title: 'Benchmarks in this run',
  headers: ['benchmark', 'script', 'measures', 'status', 'seconds'],
  rows: outcomes.map(({ run, status, seconds }) => [
    run.name,
    `src/${[run.file, ...(run.args ?? [])].join(' ')}`,
    run.description,
    status,
    seconds === undefined ? '–' : seconds,
  ]),
};
const failed = outcomes.filter((outcome) => outcome.status !== 'ok' && outcome.run.present);
const missing = outcomes.filter((outcome) => !outcome.run.present);
const notes = [
  `The run took ${formatNumber(totalMinutes)} minutes${target === 'pglite' ? ' (budget on PGlite: 10 minutes)' : ''}. Each benchmark rewrites only its own section below; sections from earlier runs of benchmarks not in this run are kept as they were, with their own dates.`,
  ...(missing.length === 0
    ? []
    : [`Not run, script missing: ${missing.map((outcome) => outcome.run.name).join(', ')}.`]),
  ...(failed.length === 0
    ? []
    : [
        `**Failed:** ${failed.map((outcome) => `${outcome.run.name} (${outcome.status})`).join(', ')}; its section below is from an earlier run, if any.`,
      ]),
];

const command = ['pnpm bench', ...process.argv.slice(2)].join(' ');
if (runs.length === BENCHMARKS.length) {
  publish({
    ...sectionFor(target, { id: 'run', title: 'Benchmark run' }),
    command,
    environment: versions.rows[1]?.[1]?.toString() ?? 'unknown',
    tables: [versions, summary],
    notes,
    first: true,
  });
} else {
  // A partial run (--only) leaves the full run's summary alone.
  for (const table of [versions, summary]) console.log(`\n${renderTextTable(table)}`);
  for (const note of notes) console.log(note);
}
process.exit(failed.length === 0 ? 0 : 1);
