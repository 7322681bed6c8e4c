// Upserts prepared rows into a namespace table inside a write transaction: in a bulk batch, the rows
// whose chunk ids are new go through binary COPY straight into the table, and those that replace
// stored chunks through COPY into a temporary table merged with INSERT … SELECT … ON CONFLICT; a few
// rows on either side (and connections that cannot COPY) through INSERT … SELECT … FROM unnest(…)
// … ON CONFLICT, one text array per column.
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type CopyColumn, type CopyColumnType, encodeCopyBinaryParts } from './copy-binary.js';
import { queryRow, queryRows } from './database.js';
import { ident } from './identifiers.js';
import { type NamespaceTable, schemaColumns, type TextHashMode, writtenColumns } from './namespace-table.js';
import { type PreparedRow, textHash } from './prepare-records.js';
import type { VectorStorage } from './schema/registry.js';
import { sqlStateOf } from './sql-state.js';
import { unnestColumns } from './unnest-columns.js';
import type { WriteTransaction } from './write-transaction.js';

/** Below this many rows a COPY's fixed cost (temp table, merge) outweighs its per-row gain. */
export const COPY_MINIMUM_ROWS = 32;
/**
 * Keeps one INSERT's parameter text moderate whatever the dimensions. pglite-socket gathers a
 * message by concatenating every socket read onto what it holds, so its copying grows with the
 * square of a message's size: 2,048 rows × 256-d through it took ~5% less time in statements of
 * ~256 rows (~1 MB) than of 1,000 (same session, alternating).
 */
const INSERT_STATEMENT_BYTES = 1_000_000;
const INSERT_MAX_ROWS_PER_STATEMENT = 1000;
const LOAD_TABLE = 'dje_load';
/** Size of each CopyData part: encoding the next overlaps the server's work on this one. */
const COPY_PART_BYTES = 1 << 20;

/** The COPY encoder's type of each SQL type the namespace schema uses for written columns. */
const COPY_TYPES: Readonly<Record<string, CopyColumnType>> = {
  PgVarchar: 'text',
  PgText: 'text',
  PgInteger: 'int4',
  PgDoublePrecision: 'float8',
  PgBoolean: 'bool',
  PgArray: 'text[]',
  PgJsonb: 'jsonb',
  PgVector: 'vector',
  PgHalfVector: 'halfvec',
};

interface WrittenColumn extends CopyColumn {
  readonly name: keyof PreparedRow;
  /** The column's SQL type at the table's dimensions, for the load table. */
  readonly sqlType: string;
}

/** The columns a writer supplies, in table order, with their COPY and SQL types (memoized). */
const writtenByShape = new Map<string, readonly WrittenColumn[]>();
function writtenColumnsOf({ dimensions, storage, textHash }: WriteTarget): readonly WrittenColumn[] {
  const key = `${dimensions}:${storage}:${textHash}`;
  let columns = writtenByShape.get(key);
  if (columns === undefined) {
    const shaped = schemaColumns({ dimensions, storage, textHash });
    columns = writtenColumns(textHash).map(({ name }) => {
      const column = shaped.find((candidate) => candidate.name === name) as PgColumn;
      const type = COPY_TYPES[column.columnType];
      if (type === undefined) throw new TypeError(`namespace schema: no COPY type for ${column.name}`);
      return { name: column.name as keyof PreparedRow, type, sqlType: column.getSQLType() };
    });
    writtenByShape.set(key, columns);
  }
  return columns;
}

export interface WriteCounts {
  readonly inserted: number;
  readonly updated: number;
}

function columnList(columns: readonly WrittenColumn[]): SQL {
  return sql.join(
    columns.map((column) => ident(column.name)),
    sql`, `,
  );
}

/**
 * A fresh updated_at on conflict: the proposed row's, which is its column default now() since no
 * write names updated_at. Not `now()` itself: Citus refuses functions that are not IMMUTABLE in
 * DO UPDATE SET on distributed tables, while EXCLUDED's default is evaluated like any insert's.
 */
const FRESH_UPDATED_AT = sql`EXCLUDED.${ident('updated_at')}`;

/** `col = EXCLUDED.col` for every written column but the conflict key, and a fresh updated_at. */
function conflictUpdates(columns: readonly WrittenColumn[]): SQL {
  return sql.join(
    [
      ...columns
        .filter((column) => column.name !== 'chunk_id')
        .map((column) => sql`${ident(column.name)} = EXCLUDED.${ident(column.name)}`),
      sql`${ident('updated_at')} = ${FRESH_UPDATED_AT}`,
    ],
    sql`, `,
  );
}

/** Where rows go: the bound table, how it stores vectors and text_hash, and its written columns. */
export interface WriteTarget {
  readonly table: NamespaceTable;
  readonly dimensions: number;
  readonly storage: VectorStorage;
  readonly textHash: TextHashMode;
}

type CopyingTransaction = WriteTransaction & { readonly copy: NonNullable<WriteTransaction['copy']> };

/** `COPY <table> (<written columns>) FROM <source> (FORMAT binary)` with `rows` as its data. */
async function copyInto(options: {
  readonly transaction: CopyingTransaction;
  readonly table: SQL | NamespaceTable;
  readonly columns: readonly WrittenColumn[];
  readonly rows: readonly PreparedRow[];
}): Promise<void> {
  const { transaction, table, columns, rows } = options;
  const parts = encodeCopyBinaryParts({
    columns,
    rows: rows.map((row) => columns.map((column) => row[column.name])),
    partBytes: COPY_PART_BYTES,
  });
  const source = transaction.copy.source === 'blob' ? sql.raw(`'/dev/blob'`) : sql.raw('STDIN');
  await transaction.copy.run(
    sql`COPY ${table} (${columnList(columns)}) FROM ${source} (FORMAT binary)`,
    parts,
  );
}

/** Which of `rows`' chunk ids are stored already (one index probe per id, one statement). */
async function storedChunkIds(
  transaction: WriteTransaction,
  target: WriteTarget,
  rows: readonly PreparedRow[],
): Promise<Set<string>> {
  const stored = await queryRows<{ chunk_id: string }>(
    transaction.orm,
    sql`SELECT ${ident('chunk_id')} FROM ${target.table}
        WHERE ${ident('chunk_id')} = ANY(${sql.param(rows.map((each) => each.chunk_id))}::text[])`,
  );
  return new Set(stored.map((row) => row.chunk_id));
}

const DIRECT_SAVEPOINT = 'dje_direct_copy';
const UNIQUE_VIOLATION = '23505';

/**
 * Whether a refused COPY may have hit a chunk id stored meanwhile. Citus's COPY reports a worker's
 * refusal as XX000 from its ReportCopyError, without the worker's SQLSTATE: such a refusal also
 * goes to the merge, which raises any other cause again with its own code.
 */
function mayBeUniqueViolation(error: unknown): boolean {
  return (
    sqlStateOf(error) === UNIQUE_VIOLATION || (error as { routine?: unknown }).routine === 'ReportCopyError'
  );
}

/**
 * COPY straight into the table of rows whose chunk ids were not stored at the check: they are
 * written once, with no temporary table and no merge. A writer that stores one of the ids between
 * the check and the COPY makes it fail with a unique violation; the savepoint undoes it and
 * undefined says the rows must be merged.
 */
async function copyNewRows(options: {
  readonly transaction: CopyingTransaction;
  readonly target: WriteTarget;
  readonly rows: readonly PreparedRow[];
}): Promise<WriteCounts | undefined> {
  const { transaction, target, rows } = options;
  const savepoint = ident(DIRECT_SAVEPOINT);
  await transaction.orm.execute(sql`SAVEPOINT ${savepoint}`);
  try {
    await copyInto({ transaction, table: target.table, columns: writtenColumnsOf(target), rows });
  } catch (error) {
    if (!mayBeUniqueViolation(error)) throw error;
    await transaction.orm.execute(sql`ROLLBACK TO SAVEPOINT ${savepoint}`);
    return undefined;
  }
  await transaction.orm.execute(sql`RELEASE SAVEPOINT ${savepoint}`);
  return { inserted: rows.length, updated: 0 };
}

/**
 * `INSERT INTO <table> (<columns>) <select> ON CONFLICT (chunk_id) DO UPDATE …`: how many of the
 * selected rows were new and how many replaced a stored chunk.
 */
async function upsertSelected(options: {
  readonly transaction: WriteTransaction;
  readonly target: WriteTarget;
  readonly columns: readonly WrittenColumn[];
  readonly select: SQL;
}): Promise<WriteCounts> {
  const { transaction, target, columns } = options;
  const counts = await queryRow<WriteCounts>(
    transaction.orm,
    sql`WITH merged AS (
          INSERT INTO ${target.table} (${columnList(columns)})
          ${options.select}
          ON CONFLICT (${ident('chunk_id')}) DO UPDATE SET ${conflictUpdates(columns)}
          RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
               count(*) FILTER (WHERE NOT inserted)::int AS updated
        FROM merged`,
  );
  return { inserted: counts?.inserted ?? 0, updated: counts?.updated ?? 0 };
}

async function mergeRows(options: {
  readonly transaction: CopyingTransaction;
  readonly target: WriteTarget;
  readonly rows: readonly PreparedRow[];
}): Promise<WriteCounts> {
  const { transaction, target, rows } = options;
  const columns = writtenColumnsOf(target);
  const loadTable = ident(LOAD_TABLE);
  const definitions = sql.join(
    columns.map((column) => sql`${ident(column.name)} ${sql.raw(column.sqlType)}`),
    sql`, `,
  );
  await transaction.orm.execute(sql`CREATE TEMP TABLE ${loadTable} (${definitions})`);
  await copyInto({ transaction, table: loadTable, columns, rows });
  const select = sql`SELECT ${columnList(columns)} FROM ${loadTable}`;
  const counts = await upsertSelected({ transaction, target, columns, select });
  // Dropped at once rather than at commit, so a transaction can load more than one batch.
  await transaction.orm.execute(sql`DROP TABLE ${loadTable}`);
  return counts;
}

function rowsPerStatement(dimensions: number): number {
  // A vector's text form takes up to ~12 bytes per element; the other columns a few hundred.
  const rowBytes = dimensions * 12 + 512;
  return Math.max(1, Math.min(INSERT_MAX_ROWS_PER_STATEMENT, Math.floor(INSERT_STATEMENT_BYTES / rowBytes)));
}

/** Upserts rows through one `INSERT … SELECT … FROM unnest(<a text array per column>)` per step. */
async function insertRows(options: {
  readonly transaction: WriteTransaction;
  readonly target: WriteTarget;
  readonly rows: readonly PreparedRow[];
}): Promise<WriteCounts> {
  const { transaction, target, rows } = options;
  const columns = writtenColumnsOf(target);
  const step = rowsPerStatement(target.dimensions);
  // Tables whose writers supply text_hash (older ones) get it here; current tables generate it.
  const withHash = columns.some((column) => column.name === 'text_hash')
    ? rows.map((row) => ({ ...row, text_hash: row.text_hash ?? textHash(row.text) }))
    : rows;
  const aliases = columns.map((_, index) => ident(`c${index}`));
  let inserted = 0;
  let updated = 0;
  for (let start = 0; start < withHash.length; start += step) {
    const part = withHash.slice(start, start + step);
    const arrays = unnestColumns({ columns, rows: part });
    const select = sql`SELECT ${sql.join(
      columns.map((column, index) => sql`${aliases[index]}::${sql.raw(column.sqlType)}`),
      sql`, `,
    )}
      FROM unnest(${sql.join(
        arrays.map((values) => sql`${sql.param(values)}::text[]`),
        sql`, `,
      )}) AS ${ident('rows')}(${sql.join(aliases, sql`, `)})`;
    const counts = await upsertSelected({ transaction, target, columns, select });
    inserted += counts.inserted;
    updated += counts.updated;
  }
  return { inserted, updated };
}

/**
 * Upserts `rows` (unique chunk_ids, already validated) into the target table, inside `transaction`.
 * Returns how many were new and how many replaced an existing chunk.
 */
export async function writeRows(options: {
  readonly transaction: WriteTransaction;
  readonly target: WriteTarget;
  readonly rows: readonly PreparedRow[];
}): Promise<WriteCounts> {
  const { transaction, target, rows } = options;
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const copy = transaction.copy;
  if (copy === undefined || rows.length < COPY_MINIMUM_ROWS) return insertRows({ transaction, target, rows });
  const copying = { ...transaction, copy };
  // New chunk ids go straight in; those that replace stored chunks take the upsert paths.
  const stored = await storedChunkIds(transaction, target, rows);
  const fresh = rows.filter((row) => !stored.has(row.chunk_id));
  if (fresh.length < COPY_MINIMUM_ROWS) return mergeRows({ transaction: copying, target, rows });
  const copied = await copyNewRows({ transaction: copying, target, rows: fresh });
  if (copied === undefined) return mergeRows({ transaction: copying, target, rows });
  if (stored.size === 0) return copied;
  const replacing = rows.filter((row) => stored.has(row.chunk_id));
  const replaced = await (replacing.length < COPY_MINIMUM_ROWS
    ? insertRows({ transaction, target, rows: replacing })
    : mergeRows({ transaction: copying, target, rows: replacing }));
  return { inserted: copied.inserted + replaced.inserted, updated: replaced.updated };
}
