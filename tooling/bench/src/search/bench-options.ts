// Command-line options of `pnpm bench:search`, checked, with the defaults per database.
import { parseArgs } from 'node:util';
import { redactUrl } from '@dynamic-embeddings/db';
import { type DatabaseTarget, databaseTarget } from '../report.js';
import type { DatasetShape } from './dataset.js';

export const usage = `Usage: pnpm bench:search [--rows N] [--dims N] [--queries N] [--seed N] [--data mixture|skewed]
                         [--database-url URL] [--keep] [--reuse] [--no-publish]

  --rows N            stored vectors (default 50000 on PostgreSQL, 10000 on PGlite)
  --dims N            vector dimensions (default 1536 on PostgreSQL, 256 on PGlite)
  --queries N         query vectors per workload (default 200; the sweeps use at most 100)
  --seed N            seed of the generated data (default 42)
  --data SHAPE        mixture (default): the Gaussian mixture of the fixtures; skewed: Zipf-sized,
                      anisotropic, heavy-tailed clusters (written to its own section)
  --database-url URL  a real PostgreSQL with pgvector (default: DATABASE_URL, else PGlite in memory)
  --keep              leave the loaded tables on PostgreSQL (default: drop them at the end)
  --reuse             reuse tables a --keep run left when they hold the same rows (skips the load)
  --recalibrate       calibrate our namespace's search settings again before measuring (after --reuse)
  --no-publish        print the tables only; leave docs/benchmarks.md and docs/charts alone`;

export interface BenchOptions {
  readonly target: DatabaseTarget;
  readonly databaseUrl: string | undefined;
  readonly rows: number;
  readonly dimensions: number;
  readonly queries: number;
  readonly seed: number;
  readonly shape: DatasetShape;
  readonly keep: boolean;
  readonly reuse: boolean;
  readonly recalibrate: boolean;
  readonly publish: boolean;
  /** The command as a user types it from the repository root, with any password removed. */
  readonly command: string;
}

/** Parses `args`; a string is a usage error to print (exit 2), undefined means --help. */
export function parseBenchOptions(
  args: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
): BenchOptions | string | undefined {
  const { values: flags } = parseArgs({
    args: [...args],
    options: {
      rows: { type: 'string' },
      dims: { type: 'string' },
      queries: { type: 'string', default: '200' },
      seed: { type: 'string', default: '42' },
      data: { type: 'string', default: 'mixture' },
      'database-url': { type: 'string' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      recalibrate: { type: 'boolean', default: false },
      'no-publish': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (flags.help) return undefined;
  const databaseUrl = flags['database-url'] ?? environment.DATABASE_URL;
  const target = databaseTarget(databaseUrl);
  if (databaseUrl !== undefined && databaseUrl !== '' && target !== 'postgres')
    return `--database-url / DATABASE_URL must be a postgres:// URL; without one the benchmark uses PGlite.\n\n${usage}`;
  const rows = Number(flags.rows ?? (target === 'postgres' ? 50_000 : 10_000));
  const dimensions = Number(flags.dims ?? (target === 'postgres' ? 1536 : 256));
  const queries = Number(flags.queries);
  const seed = Number(flags.seed);
  if (![rows, dimensions, queries, seed].every((value) => Number.isInteger(value) && value > 0)) return usage;
  if (flags.data !== 'mixture' && flags.data !== 'skewed') return usage;
  const prefix =
    flags['database-url'] === undefined && target === 'postgres' && databaseUrl !== undefined
      ? `DATABASE_URL=${redactUrl(databaseUrl)} `
      : '';
  const shown = args.map(redactUrl);
  return {
    target,
    databaseUrl: target === 'postgres' ? databaseUrl : undefined,
    rows,
    dimensions,
    queries,
    seed,
    shape: flags.data,
    keep: flags.keep,
    reuse: flags.reuse,
    recalibrate: flags.recalibrate,
    publish: !flags['no-publish'],
    command: `${prefix}pnpm bench:search${shown.length > 0 ? ` ${shown.join(' ')}` : ''}`,
  };
}
