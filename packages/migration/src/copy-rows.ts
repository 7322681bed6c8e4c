// The data copy: INSERT … SELECT inside the database, in slices of the source's heap blocks so a
// long copy reports progress and can be cancelled between statements.
import { type Executor, ident, queryRow } from '@dynamic-embeddings/db';
import { type SQL, sql } from 'drizzle-orm';
import { migrationCancelled } from './migration-errors.js';

export const DEFAULT_BATCH_ROWS = 10_000;

export interface CopyRowsOptions {
  readonly sourceTable: string;
  readonly targetTable: string;
  readonly columns: readonly string[];
  readonly select: readonly SQL[];
  /** Source rows, counted under the lock that keeps the source unchanged during the copy. */
  readonly totalRows: number;
  readonly batchRows: number;
  readonly signal?: AbortSignal | undefined;
  readonly onBatch?: (rowsDone: number) => void;
}

/**
 * Copies every row and returns how many were inserted. Slices are ctid ranges (TID range scans,
 * PostgreSQL ≥ 14), so the source is still read once, sequentially, as a single INSERT … SELECT
 * would, without needing an ordered index. The caller holds a lock that blocks writers, so the set
 * of blocks cannot change; the last slice is open-ended anyway.
 */
export async function copyRows(
  executor: Pick<Executor, 'execute'>,
  options: CopyRowsOptions,
): Promise<number> {
  // The size of the relation that holds the rows, read through a row of it: on Citus that query
  // runs on the worker, where tableoid is the shard (the coordinator's table is an empty shell, and
  // Citus's size functions are refused in this transaction). An empty table has one open slice.
  const relation = await queryRow<{ blocks: number }>(
    executor,
    sql`SELECT (pg_relation_size(tableoid) / current_setting('block_size')::bigint)::int AS blocks
        FROM ${ident(options.sourceTable)} LIMIT 1`,
  );
  const blocks = relation?.blocks ?? 0;
  const rowsPerBlock = blocks === 0 ? 1 : Math.max(1, options.totalRows / blocks);
  const blocksPerBatch = Math.max(1, Math.ceil(options.batchRows / rowsPerBlock));
  const columnList = sql.join(
    options.columns.map((column) => ident(column)),
    sql`, `,
  );
  const selectList = sql.join([...options.select], sql`, `);
  let rowsDone = 0;
  for (let first = 0; ; first += blocksPerBatch) {
    if (options.signal?.aborted) throw migrationCancelled();
    const last = first + blocksPerBatch >= blocks;
    const range = last
      ? sql`ctid >= ${`(${first},0)`}::tid`
      : sql`ctid >= ${`(${first},0)`}::tid AND ctid < ${`(${first + blocksPerBatch},0)`}::tid`;
    const inserted = await queryRow<{ rows: number }>(
      executor,
      sql`WITH inserted AS (
            INSERT INTO ${ident(options.targetTable)} (${columnList})
            SELECT ${selectList} FROM ${ident(options.sourceTable)} WHERE ${range}
            RETURNING 1
          )
          SELECT count(*)::int AS rows FROM inserted`,
    );
    rowsDone += inserted?.rows ?? 0;
    options.onBatch?.(rowsDone);
    if (last) return rowsDone;
  }
}

/**
 * Ids are copied, so the target's own sequence must continue after them. Two statements: Citus
 * would send one that reads the table whole to the worker, and set the sequence there.
 */
export async function continueIdSequence(
  executor: Pick<Executor, 'execute'>,
  tableName: string,
): Promise<void> {
  const copied = await queryRow<{ max_id: number | null }>(
    executor,
    sql`SELECT max(id)::int AS max_id FROM ${ident(tableName)}`,
  );
  await executor.execute(
    sql`SELECT setval(pg_get_serial_sequence(${tableName}, 'id'), ${copied?.max_id ?? 1}::int,
                      ${copied?.max_id != null}::boolean)`,
  );
}
