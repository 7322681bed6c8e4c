// The nearest rows of many probe vectors in one statement: what recall calibration compares, the
// exact answer and the ANN index's answer at one setting, without a round trip per probe. On
// 10,000 × 256-d rows (PostgreSQL 15, pgvector 0.8) 50 probes through HNSW take ~30 ms as one
// statement where 50 planned searches took ~150 ms, and calibration runs ~5 such rounds.
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { vectorLiteral } from './embedding-vector.js';
import { ident } from './identifiers.js';
import type { VectorStorage } from './schema/registry.js';
import { sendWithSettings } from './search-driver.js';
import { storageType } from './vector-storage.js';
import { writeConcurrency } from './write-transaction.js';

const dialect = new PgDialect();
/**
 * work_mem of an exact pass: its CTE of every row's vector (about 1.1 kB a row at 256 dimensions,
 * 6.2 kB at 1,536) stays in memory up to this, and a larger table's spills to a temporary file.
 */
const EXACT_WORK_MEM = '64MB';

/** A row near a probe: its chunk id and cosine distance. */
export interface Neighbour {
  readonly chunk_id: string;
  readonly distance: number;
}

/**
 * For each probe, its `k` nearest rows by cosine distance, nearest first: exactly
 * (every row compared) when `settings` is undefined, else through the ANN index with `settings`
 * (pgvector's, e.g. `hnsw.ef_search`) in force. Not for a binary-quantized index, whose search
 * re-ranks candidates, nor on Citus (a LATERAL join over a distributed table).
 */
export async function nearestOfEach(
  db: Database,
  options: {
    readonly tableName: string;
    readonly storage: VectorStorage;
    readonly probes: readonly (readonly number[])[];
    readonly k: number;
    readonly settings?: Readonly<Record<string, string>> | undefined;
  },
): Promise<Neighbour[][]> {
  const { probes, k } = options;
  if (probes.length === 0) return [];
  if (!Number.isSafeInteger(k) || k < 1) throw new TypeError(`nearestOfEach k ${String(k)} is not ≥ 1`);
  const type = storageType(options.storage);
  const table = ident(options.tableName);
  const distance = sql`${ident('embedding')} <=> probe.vector`;
  const exact = options.settings === undefined;
  // Exactly: the distances of every row first (OFFSET 0 keeps the subquery whole, so no index can
  // serve the order), the nearest k of those with ties by id, as an exact search orders them. The
  // rows' id, chunk id and vector are read once into a CTE that every probe scans: scanning the
  // table itself walked each row's text and keyword columns again for every probe (10,000 × 256-d
  // rows, 50 probes: ~270 ms from the table, ~190 ms from the CTE).
  const candidates = exact
    ? sql`SELECT id, chunk_id, distance FROM (
            SELECT id, chunk_id, embedding <=> probe.vector AS distance FROM stored OFFSET 0) AS scanned
          ORDER BY distance, id`
    : sql`SELECT ${ident('id')} AS id, ${ident('chunk_id')} AS chunk_id, ${distance} AS distance
          FROM ${table} ORDER BY ${distance}`;
  const stored = exact
    ? sql`WITH stored AS MATERIALIZED (
            SELECT ${ident('id')} AS id, ${ident('chunk_id')} AS chunk_id, ${ident('embedding')} AS embedding
            FROM ${table})`
    : sql``;
  // JIT would compile the per-row distance of the exact statement for ~125 ms, more than it runs.
  // The statement is prepared: a generic plan made at one setting (after five runs PostgreSQL may
  // keep one) can scan exactly at every other, which would measure recall 1 at every step.
  // The CTE stays in memory up to work_mem (the default 4 MB would spill it to a temporary file).
  const settings = {
    jit: 'off',
    plan_cache_mode: 'force_custom_plan',
    ...(exact ? { work_mem: EXACT_WORK_MEM } : {}),
    ...options.settings,
  };
  // The probes arrive as one text array cast once, so no row pays for parsing a probe's text.
  const statement = dialect.sqlToQuery(
    sql`${stored} SELECT probe.position::int AS probe, nearest.chunk_id, nearest.id, nearest.distance
        FROM unnest((${sql.param(probes.map((probe) => vectorLiteral(probe)))}::text[])::${type}[])
             WITH ORDINALITY AS probe(vector, position)
        CROSS JOIN LATERAL (${candidates} LIMIT ${sql.raw(String(k))}) AS nearest`,
  );
  const rows = (await sendWithSettings(db, {
    statement: { text: statement.sql, params: statement.params },
    settings,
    citus: false,
  })) as { probe: number; chunk_id: string; id: number; distance: number }[];
  const nearest = probes.map((): { chunk_id: string; id: number; distance: number }[] => []);
  for (const row of rows) {
    nearest[Number(row.probe) - 1]?.push({ ...row, id: Number(row.id), distance: Number(row.distance) });
  }
  // Nearest first, ties by id: the order a planned search returns its rows in.
  return nearest.map((found) =>
    found
      .sort((a, b) => a.distance - b.distance || a.id - b.id)
      .map((row) => ({ chunk_id: row.chunk_id, distance: row.distance })),
  );
}

/**
 * nearestOfEach with the probes split over the connections a server gives writes (writeConcurrency):
 * each part is a backend of its own, so the exact pass (every probe against every row, most of a
 * calibration's time) runs on as many cores.
 */
export async function nearestInParts(
  db: Database,
  options: Parameters<typeof nearestOfEach>[1],
): Promise<Neighbour[][]> {
  const parts = writeConcurrency(db);
  const size = Math.ceil(options.probes.length / parts);
  const found = await Promise.all(
    Array.from({ length: parts }, (_, part) =>
      nearestOfEach(db, { ...options, probes: options.probes.slice(part * size, (part + 1) * size) }),
    ),
  );
  return found.flat();
}
