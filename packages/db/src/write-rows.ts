// Upserts prepared rows into a namespace table inside a write transaction: bulk rows through binary
// COPY into a temporary table merged with INSERT … SELECT … ON CONFLICT; small batches (and
// connections that cannot COPY) through multi-row INSERT … ON CONFLICT.
import { type SQL, sql } from 'drizzle-orm';
import { type CopyColumn, type CopyColumnType, encodeCopyBinary } from './copy-binary.js';
import { queryRow } from './database.js';
import { ident } from './identifiers.js';
import { type NamespaceTable, tableByName } from './namespace-table.js';
import type { PreparedRow } from './prepare-records.js';
import type { WriteTransaction } from './write-transaction.js';

/** Below this many rows a COPY's fixed cost (temp table, merge) outweighs its per-row gain. */
export const COPY_MINIMUM_ROWS = 32;
/** Keeps one multi-row INSERT's text and parameter count moderate whatever the dimensions. */
const INSERT_STATEMENT_BYTES = 4_000_000;
const INSERT_MAX_ROWS_PER_STATEMENT = 1000;
const LOAD_TABLE = 'dje_load';

/** The columns written on insert, in the order they are copied; id and timestamps are defaults. */
export const WRITTEN_COLUMNS = [
  { name: 'chunk_id', type: 'text' },
  { name: 'document_id', type: 'text' },
  { name: 'collection_name', type: 'text' },
  { name: 'text', type: 'text' },
  { name: 'text_hash', type: 'text' },
  { name: 'embedding', type: 'vector' },
  { name: 'strategy', type: 'text' },
  { name: 'content_type', type: 'text' },
  { name: 'path', type: 'text' },
  { name: 'parent_chunk_id', type: 'text' },
  { name: 'depth_level', type: 'int4' },
  { name: 'hierarchy_level', type: 'int4' },
  { name: 'semantic_density', type: 'float8' },
  { name: 'confidence', type: 'float8' },
  { name: 'chunk_size', type: 'int4' },
  { name: 'token_count', type: 'int4' },
  { name: 'key_count', type: 'int4' },
  { name: 'contains_arrays', type: 'bool' },
  { name: 'is_leaf', type: 'bool' },
  { name: 'domain_tags', type: 'text[]' },
  { name: 'original_keys', type: 'text[]' },
  { name: 'metadata', type: 'jsonb' },
] as const satisfies readonly (CopyColumn & { readonly name: keyof PreparedRow })[];

export interface WriteCounts {
  readonly inserted: number;
  readonly updated: number;
}

function sqlType(type: CopyColumnType, dimensions: number): SQL {
  switch (type) {
    case 'text':
      return sql`text`;
    case 'int4':
      return sql`integer`;
    case 'float8':
      return sql`double precision`;
    case 'bool':
      return sql`boolean`;
    case 'text[]':
      return sql`text[]`;
    case 'jsonb':
      return sql`jsonb`;
    case 'vector':
      return sql`vector(${sql.raw(String(dimensions))})`;
  }
}

const columnList = sql.join(
  WRITTEN_COLUMNS.map((column) => ident(column.name)),
  sql`, `,
);

/** `col = EXCLUDED.col` for every written column but the conflict key, and a fresh updated_at. */
const conflictUpdates = sql.join(
  [
    ...WRITTEN_COLUMNS.filter((column) => column.name !== 'chunk_id').map(
      (column) => sql`${ident(column.name)} = EXCLUDED.${ident(column.name)}`,
    ),
    sql`${ident('updated_at')} = now()`,
  ],
  sql`, `,
);

async function copyRows(options: {
  readonly transaction: WriteTransaction & { readonly copy: NonNullable<WriteTransaction['copy']> };
  readonly tableName: string;
  readonly dimensions: number;
  readonly rows: readonly PreparedRow[];
}): Promise<WriteCounts> {
  const { transaction, tableName, dimensions, rows } = options;
  const loadTable = ident(LOAD_TABLE);
  const definitions = sql.join(
    WRITTEN_COLUMNS.map((column) => sql`${ident(column.name)} ${sqlType(column.type, dimensions)}`),
    sql`, `,
  );
  await transaction.orm.execute(sql`CREATE TEMP TABLE ${loadTable} (${definitions})`);
  const bytes = encodeCopyBinary({
    columns: WRITTEN_COLUMNS,
    rows: rows.map((row) => WRITTEN_COLUMNS.map((column) => row[column.name])),
  });
  const source = transaction.copy.source === 'blob' ? sql.raw(`'/dev/blob'`) : sql.raw('STDIN');
  await transaction.copy.run(sql`COPY ${loadTable} (${columnList}) FROM ${source} (FORMAT binary)`, bytes);
  const counts = await queryRow<WriteCounts>(
    transaction.orm,
    sql`WITH merged AS (
          INSERT INTO ${ident(tableName)} (${columnList})
          SELECT ${columnList} FROM ${loadTable}
          ON CONFLICT (${ident('chunk_id')}) DO UPDATE SET ${conflictUpdates}
          RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
               count(*) FILTER (WHERE NOT inserted)::int AS updated
        FROM merged`,
  );
  // Dropped at once rather than at commit, so a transaction can load more than one batch.
  await transaction.orm.execute(sql`DROP TABLE ${loadTable}`);
  return { inserted: counts?.inserted ?? 0, updated: counts?.updated ?? 0 };
}

function rowsPerStatement(dimensions: number): number {
  // A vector's text form takes up to ~12 bytes per element; the other columns a few hundred.
  const rowBytes = dimensions * 12 + 512;
  return Math.max(1, Math.min(INSERT_MAX_ROWS_PER_STATEMENT, Math.floor(INSERT_STATEMENT_BYTES / rowBytes)));
}

async function insertRows(options: {
  readonly transaction: WriteTransaction;
  readonly table: NamespaceTable;
  readonly dimensions: number;
  readonly rows: readonly PreparedRow[];
}): Promise<WriteCounts> {
  const { transaction, table, rows } = options;
  const step = rowsPerStatement(options.dimensions);
  const set = Object.fromEntries(
    WRITTEN_COLUMNS.filter((column) => column.name !== 'chunk_id').map((column) => [
      column.name,
      sql`EXCLUDED.${ident(column.name)}`,
    ]),
  );
  let inserted = 0;
  let updated = 0;
  for (let start = 0; start < rows.length; start += step) {
    const values = rows.slice(start, start + step).map((row) => ({
      ...row,
      embedding: Array.from(row.embedding),
      domain_tags: row.domain_tags === null ? null : [...row.domain_tags],
      original_keys: row.original_keys === null ? null : [...row.original_keys],
      metadata: row.metadata === null ? null : { ...row.metadata },
    }));
    const results = await transaction.orm
      .insert(table)
      .values(values)
      .onConflictDoUpdate({ target: table.chunk_id, set: { ...set, updated_at: sql`now()` } })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    for (const result of results) {
      if (result.inserted) inserted++;
      else updated++;
    }
  }
  return { inserted, updated };
}

/**
 * Upserts `rows` (unique chunk_ids, already validated) into the table, inside `transaction`.
 * Returns how many were new and how many replaced an existing chunk.
 */
export async function writeRows(options: {
  readonly transaction: WriteTransaction;
  readonly tableName: string;
  readonly dimensions: number;
  readonly rows: readonly PreparedRow[];
}): Promise<WriteCounts> {
  const { transaction, tableName, dimensions, rows } = options;
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const copy = transaction.copy;
  if (copy !== undefined && rows.length >= COPY_MINIMUM_ROWS) {
    return copyRows({ transaction: { ...transaction, copy }, tableName, dimensions, rows });
  }
  return insertRows({ transaction, table: tableByName(tableName, dimensions), dimensions, rows });
}
