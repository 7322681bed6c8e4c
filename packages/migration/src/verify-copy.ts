// Verification of a copy: every target row compared with its source row inside the database, and
// the checksum of what was copied computed in the same scan.
import { type Executor, ident, queryRow, type VectorStorage } from '@dynamic-embeddings/db';
import { type SQL, sql } from 'drizzle-orm';
import { aggregateChecksumSql, rowHashSql } from './table-checksum.js';

export interface CopyVerification {
  /** Target rows that have a source row with the same chunk_id. */
  readonly matchedRows: number;
  /** Matched rows whose copied columns differ from what the copy selected from the source row. */
  readonly differingRows: number;
  /** The smallest chunk_id among the differing rows (for the error message). */
  readonly firstDifference: string | null;
  readonly targetRows: number;
  /** `tableChecksum` of the target; equal to the source's when no row differs. Empty when not asked for. */
  readonly checksum: string;
}

export interface VerifyCopyOptions {
  readonly sourceTable: string;
  readonly targetTable: string;
  readonly columns: readonly string[];
  /** The copy's select expressions over the source, qualified by the alias `s`. */
  readonly select: readonly SQL[];
  /** Both tables' embedding type. */
  readonly storage: VectorStorage;
  /** Hash every row for the checksum (default true); the comparison runs either way. */
  readonly checksum?: boolean;
  /**
   * A Citus coordinator: tables on different workers are joined by repartitioning (Citus's own
   * join across nodes); a migration's new target sits beside its source, so its join stays local.
   */
  readonly citus?: boolean;
}

export const SOURCE_ALIAS = 's';
const TARGET_ALIAS = 't';

/** Whether the target has a unique index on chunk_id alone (every namespace table does). */
async function hasChunkIdIndex(executor: Pick<Executor, 'execute'>, tableName: string): Promise<boolean> {
  const row = await queryRow<{ found: boolean }>(
    executor,
    sql`SELECT EXISTS (
          SELECT 1 FROM pg_index i
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
          WHERE i.indrelid = to_regclass(quote_ident(${tableName}))
            AND i.indisunique AND i.indnatts = 1 AND a.attname = 'chunk_id'
        ) AS found`,
  );
  return row?.found === true;
}

/** Whether the planner may use hash and merge joins ('on'/'off'), as the settings read. */
interface JoinSettings {
  readonly hash: string;
  readonly merge: string;
}

async function joinSettings(executor: Pick<Executor, 'execute'>): Promise<JoinSettings> {
  const row = await queryRow<JoinSettings>(
    executor,
    sql`SELECT current_setting('enable_hashjoin') AS hash, current_setting('enable_mergejoin') AS merge`,
  );
  return row ?? { hash: 'on', merge: 'on' };
}

/** Sets both for the rest of the transaction (set_config's is_local). */
async function setJoinSettings(executor: Pick<Executor, 'execute'>, settings: JoinSettings): Promise<void> {
  await executor.execute(
    sql`SELECT set_config('enable_hashjoin', ${settings.hash}, true),
               set_config('enable_mergejoin', ${settings.merge}, true)`,
  );
}

/**
 * Compares the target with the source row by row: joined on chunk_id, every copied column of the
 * target must equal (IS NOT DISTINCT FROM) the expression the copy selected from the source row,
 * so text, embedding (exactly: vector `=` compares every float), metadata, timestamps and the rest
 * are all checked, which a checksum over (chunk_id, text, embedding) alone would not. The same scan
 * hashes each target row for the checksum, so each table is read once.
 *
 * The join is a nested loop probing the target's unique chunk_id index from a sequential scan of the
 * source. PostgreSQL would otherwise pick a hash join that holds every 6 KB heap-resident vector of
 * one side in memory and spills it to disk beyond work_mem (3× slower at 10,000 × 1536-d, and worse
 * as tables grow); the copy wrote the target in the source's physical order, so the probes read the
 * target sequentially too. The planner settings are transaction-local and restored right after.
 */
export async function verifyCopy(
  transaction: Pick<Executor, 'execute'>,
  options: VerifyCopyOptions,
): Promise<CopyVerification> {
  const target = (column: string) => sql`${ident(TARGET_ALIAS)}.${ident(column)}`;
  const targetRow = sql.join(
    options.columns.map((column) => target(column)),
    sql`, `,
  );
  const sourceRow = sql.join([...options.select], sql`, `);
  const hashed = options.checksum !== false;
  if (options.citus === true) await transaction.execute(sql`SET LOCAL citus.enable_repartition_joins = on`);
  const forceIndexProbes = await hasChunkIdIndex(transaction, options.targetTable);
  const previous = forceIndexProbes ? await joinSettings(transaction) : undefined;
  if (previous !== undefined) await setJoinSettings(transaction, { hash: 'off', merge: 'off' });
  const row = await queryRow<{
    matched_rows: number;
    differing_rows: number;
    first_difference: string | null;
    target_rows: number;
    checksum: string;
  }>(
    transaction,
    sql`SELECT count(*)::int AS matched_rows,
               count(*) FILTER (WHERE NOT same)::int AS differing_rows,
               min(chunk_id) FILTER (WHERE NOT same) AS first_difference,
               (SELECT count(*)::int FROM ${ident(options.targetTable)}) AS target_rows,
               ${hashed ? aggregateChecksumSql : sql`''`} AS checksum
        FROM (
          SELECT ROW(${targetRow}) IS NOT DISTINCT FROM ROW(${sourceRow}) AS same,
                 ${hashed ? rowHashSql({ storage: options.storage, alias: TARGET_ALIAS }) : sql`NULL::text`} AS h,
                 ${target('chunk_id')} AS chunk_id
          FROM ${ident(options.sourceTable)} AS ${ident(SOURCE_ALIAS)}
          JOIN ${ident(options.targetTable)} AS ${ident(TARGET_ALIAS)}
            ON ${target('chunk_id')} = ${ident(SOURCE_ALIAS)}.${ident('chunk_id')}
          -- A fence: without it the planner inlines h into both halves and hashes every row twice.
          OFFSET 0
        ) AS compared`,
  );
  if (previous !== undefined) await setJoinSettings(transaction, previous);
  return {
    matchedRows: row?.matched_rows ?? 0,
    differingRows: row?.differing_rows ?? 0,
    firstDifference: row?.first_difference ?? null,
    targetRows: row?.target_rows ?? 0,
    checksum: row?.checksum ?? '',
  };
}
