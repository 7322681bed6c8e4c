// Progress of an ANN index build, read from PostgreSQL's pg_stat_progress_create_index while the
// build runs: an HNSW build over millions of rows takes an hour, and without this a CLI sits silent.
import { sql } from 'drizzle-orm';
import { isCitus } from './citus-placement.js';
import { type Database, type Executor, queryRow } from './database.js';
import type { VectorIndexType } from './schema/registry.js';
import type { IndexBuildMemory } from './vector-index.js';

/** One reading of a running index build. */
export interface IndexBuildProgress {
  /** PostgreSQL's phase of the build, e.g. `building index: loading tuples`. */
  readonly phase: string;
  /** Table blocks the build has read, and the table's blocks: the share of the build that is done. */
  readonly blocks_done: number;
  readonly blocks_total: number;
  /** Rows added to the index so far. */
  readonly tuples_done: number;
}

/** How often a build's progress is read unless the caller says otherwise. */
export const INDEX_PROGRESS_INTERVAL_MS = 1000;

export interface IndexProgressOptions {
  /** Called with each reading while the build runs (at most one reading per interval). */
  readonly onProgress: (progress: IndexBuildProgress) => void;
  /** Milliseconds between readings (default INDEX_PROGRESS_INTERVAL_MS). */
  readonly intervalMs?: number;
  /**
   * Called before an HNSW build whose graph will not fit in the memory the build may use
   * (`indexBuildMemoryMB`): pgvector then builds it several times slower.
   */
  readonly onMemoryShort?: (memory: IndexBuildMemory) => void;
  /**
   * Called once the build is certain to run, before it starts (on every driver, PGlite included,
   * where no readings follow): what a display shows while a long build runs.
   */
  readonly onStart?: (start: IndexBuildStart) => void;
}

/** An ANN index build about to run over the namespace's rows. */
export interface IndexBuildStart {
  /** The kind of index being built. */
  readonly type: VectorIndexType;
}

/** The progress row of the index build running on the backend `pid`, or undefined when none runs. */
export async function readIndexBuildProgress(
  executor: Pick<Executor, 'execute'>,
  pid: number,
): Promise<IndexBuildProgress | undefined> {
  const row = await queryRow<{
    phase: string;
    blocks_done: string;
    blocks_total: string;
    tuples_done: string;
  }>(
    executor,
    sql`SELECT phase, blocks_done::text, blocks_total::text, tuples_done::text
        FROM pg_stat_progress_create_index WHERE pid = ${pid}`,
  );
  if (row === undefined) return undefined;
  return {
    phase: row.phase,
    blocks_done: Number(row.blocks_done),
    blocks_total: Number(row.blocks_total),
    tuples_done: Number(row.tuples_done),
  };
}

/**
 * Whether another connection can read a build's progress while it runs: a server pool with room
 * for a second connection. PGlite (in process or behind a socket) runs the build on its only
 * connection; on Citus the build runs on the workers, whose progress the coordinator's view does
 * not show.
 */
export function canWatchIndexBuild(db: Database): boolean {
  return (
    db.driver === 'postgres' && !db.isPGliteServer && !isCitus(db) && (db.postgres?.options.max ?? 0) >= 2
  );
}

/**
 * Runs `build` (which creates an index on the connection behind `executor`) while another pool
 * connection reads its progress every interval and hands each reading to `onProgress`. Readings
 * are best effort: one that fails is skipped, and none can fail or delay the build.
 */
export async function withIndexBuildProgress<Result>(
  db: Database,
  executor: Pick<Executor, 'execute'>,
  options: IndexProgressOptions | undefined,
  build: () => Promise<Result>,
): Promise<Result> {
  if (options === undefined || !canWatchIndexBuild(db)) return build();
  const pidRow = await queryRow<{ pid: number }>(executor, sql`SELECT pg_backend_pid() AS pid`);
  if (pidRow === undefined) return build();
  const intervalMs = options.intervalMs ?? INDEX_PROGRESS_INTERVAL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async (): Promise<void> => {
    const progress = await readIndexBuildProgress(db.orm, pidRow.pid).catch(() => undefined);
    if (stopped) return;
    if (progress !== undefined) options.onProgress(progress);
    timer = setTimeout(() => void poll(), intervalMs);
  };
  timer = setTimeout(() => void poll(), intervalMs);
  try {
    return await build();
  } finally {
    stopped = true;
    clearTimeout(timer);
  }
}
