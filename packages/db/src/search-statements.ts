// The statements a nearest-neighbour search sends (similarity-search.ts decides which): the exact
// query, the ANN query and the capped count with the exact top k. Each is built with the query
// vector, the limit and the threshold as parameters, so that outside a transaction a connection
// builds a statement once per shape and filter and later searches only run it: building a select
// with drizzle costs about as much JavaScript as the database spends on a small exact search.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { recordColumns, toEmbeddingRecord } from './embedding-record.js';
import { remember } from './filter-estimate.js';
import type { NamespaceTable } from './namespace-table.js';
import type { NearestOptions } from './similarity-search.js';
import type { SearchResult } from './vector-store-types.js';

export type QueryRunner = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/**
 * Searches run as prepared statements: postgres.js then parses and describes each statement text
 * once per connection and afterwards sends it in one round trip, where an unprepared statement with
 * parameters costs two (describe, then execute) and cannot be pipelined. The name is only a flag
 * for drizzle; postgres.js keys its statements by their text.
 */
export const PREPARED = 'dje_search';

/** A statement built and prepared by drizzle, run with the values of its placeholders. */
interface Prepared {
  execute(values: Record<string, unknown>): Promise<unknown>;
}

/** Built statements by shape and filter, kept per connection (see similarity-search.ts). */
export type StatementCache = Map<string, Prepared>;

/** The query, its distance expression and its filters (collection and filter object). */
export interface SearchQuery {
  readonly table: NamespaceTable;
  /** The query vector as pgvector text: the `vector` placeholder of every statement. */
  readonly vector: string;
  /** Distance to the `vector` placeholder. */
  readonly distance: SQL<number>;
  /** What the ANN index orders by: the distance, or the Hamming distance of the quantized vectors. */
  readonly indexOrder: SQL;
  readonly where: SQL | undefined;
  /** The filter's key (filterKey; '' unfiltered): with a statement's shape, its key in the cache. */
  readonly key: string;
  readonly options: NearestOptions;
}

const vectorParameter = sql.placeholder('vector');
const limitParameter = sql.placeholder('limit');
/** Always 0: drizzle leaves out a literal `OFFSET 0`, which keeps a subquery from being merged. */
const noOffsetParameter = sql.placeholder('no_offset');
/** Cosine similarity is 1 - distance, so similarity ≥ threshold is distance ≤ 1 - threshold. */
const maxDistanceParameter = sql.placeholder('max_distance');

/** The placeholder a search's distance expressions compare the stored vectors with. */
export function queryVector(): SQL {
  return sql`${vectorParameter}`;
}

function values(query: SearchQuery, limit: number): Record<string, unknown> {
  const { threshold } = query.options;
  return {
    vector: query.vector,
    limit,
    no_offset: 0,
    ...(threshold === undefined ? {} : { max_distance: 1 - threshold }),
  };
}

/** The statement of `shape` for this query's filter: from `cache` when given, else built now. */
function statement(
  query: SearchQuery,
  options: {
    readonly shape: string;
    readonly cache: StatementCache | undefined;
    readonly build: () => Prepared;
  },
): Prepared {
  const { cache } = options;
  if (cache === undefined) return options.build();
  const { includeVectors, threshold } = query.options;
  const key = `${options.shape}|${includeVectors}|${threshold !== undefined}|${query.key}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const built = options.build();
  remember(cache, key, built);
  return built;
}

function toResults(rows: readonly Record<string, unknown>[]): SearchResult[] {
  return rows.map((row): SearchResult => {
    const { distance, matching: _matching, total: _total, ...columns } = row;
    return [toEmbeddingRecord(columns), 1 - Number(distance)];
  });
}

function withinThreshold(query: SearchQuery, distance: SQL = query.distance): SQL | undefined {
  return query.options.threshold === undefined ? undefined : sql`${distance} <= ${maxDistanceParameter}`;
}

/**
 * Exact: the rows the filters select (bitmap scans of their B-tree/GIN indexes) with their
 * distances, in a subquery that `OFFSET 0` (a parameter) keeps from being merged into the outer query, so no
 * ANN index can serve the outer `ORDER BY distance`: PostgreSQL reads those rows and keeps the
 * nearest. Each distance is computed once; the usual `ORDER BY (distance) + 0` computes it twice
 * per row (once for the result column, once for the sort key), a 1,536-d distance each time.
 */
export async function runExact(
  runner: QueryRunner,
  query: SearchQuery,
  cache?: StatementCache,
): Promise<SearchResult[]> {
  const { table, distance, options } = query;
  const prepared = statement(query, {
    shape: 'exact',
    cache,
    build: () => {
      const scanned = runner
        .select({ ...recordColumns(table, options.includeVectors), distance: distance.as('distance') })
        .from(table)
        .where(query.where)
        .offset(noOffsetParameter)
        .as('scanned');
      return runner
        .select()
        .from(scanned)
        .where(withinThreshold(query, sql`${scanned.distance}`))
        .orderBy(scanned.distance, scanned.id)
        .limit(limitParameter)
        .prepare(PREPARED);
    },
  });
  return toResults((await prepared.execute(values(query, options.limit))) as Record<string, unknown>[]);
}

/**
 * The ANN query: `ORDER BY distance LIMIT k`, exactly what a hand-written query sends (a quantized
 * index: the `candidates` nearest by Hamming distance, each with its exact distance). The
 * threshold, the re-ranking and the strict order (iterative scans return rows in relaxed order) are
 * applied here, so the index scan stops after its candidates even when none can pass the threshold.
 */
export async function runIndexed(
  runner: QueryRunner,
  query: SearchQuery,
  options: { readonly candidates: number; readonly cache?: StatementCache | undefined },
): Promise<{ readonly results: SearchResult[]; readonly candidates: number }> {
  const { table, distance } = query;
  const prepared = statement(query, {
    // The index order differs for a binary-quantized index, which a reindex can add or remove.
    shape: `indexed ${query.indexOrder === query.distance}`,
    cache: options.cache,
    build: () =>
      runner
        .select({ ...recordColumns(table, query.options.includeVectors), distance: distance.as('distance') })
        .from(table)
        .where(query.where)
        .orderBy(query.indexOrder)
        .limit(limitParameter)
        .prepare(PREPARED),
  });
  const rows = (await prepared.execute({ vector: query.vector, limit: options.candidates })) as {
    id: number;
    distance: number;
  }[];
  const { threshold } = query.options;
  const limit = threshold === undefined ? 2 : 1 - threshold;
  const passing = rows
    .filter((row) => row.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, query.options.limit);
  return { results: toResults(passing as unknown as Record<string, unknown>[]), candidates: rows.length };
}

/**
 * One statement: reads the rows the filters match, up to `cutoff + 1`, with their distances, and
 * when there are no more than `cutoff` returns the nearest of them with their records (fetched by
 * id, `limit` rows) — exact, since every matching row was compared. Also returns how many matched
 * (capped) and PostgreSQL's estimate of the table's rows.
 */
export async function runCountedExact(
  runner: QueryRunner,
  query: SearchQuery,
  options: { readonly cutoff: number; readonly cache: StatementCache | undefined },
): Promise<{ readonly results: SearchResult[]; readonly matching: number; readonly total: number }> {
  const { cutoff } = options;
  const prepared = statement(query, {
    shape: `counted ${cutoff}`,
    cache: options.cache,
    build: () => buildCountedExact(runner, query, cutoff),
  });
  const rows = (await prepared.execute(values(query, query.options.limit))) as Record<string, unknown>[];
  const first = rows[0];
  return {
    results: toResults(rows.filter((row) => row.distance !== null)),
    matching: Number(first?.matching ?? 0),
    total: Number(first?.total ?? -1),
  };
}

function buildCountedExact(runner: QueryRunner, query: SearchQuery, cutoff: number): Prepared {
  const { table, distance, options } = query;
  // One pass over the matching rows (at most cutoff + 1): their ids and distances, kept for the
  // count and the top k; a count first and a search after read every row twice, and with large
  // vectors each row is a page of its own.
  const capped = runner.$with('capped').as(
    runner
      .select({ id: table.id, distance: distance.as('distance') })
      .from(table)
      .where(query.where)
      .limit(cutoff + 1),
  );
  const counted = runner.$with('counted').as(
    runner
      .select({
        matching: sql<number>`count(*)::int`.as('matching'),
        total:
          sql<number>`(SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass(quote_ident(${options.namespace.table_name})))`.as(
            'total',
          ),
      })
      .from(capped),
  );
  const nearest = runner
    .select({ id: capped.id, nearestDistance: sql<number>`${capped.distance}`.as('nearest_distance') })
    .from(capped)
    .where(and(sql`${counted.matching} <= ${cutoff}`, withinThreshold(query, sql`${capped.distance}`)))
    .orderBy(capped.distance, capped.id)
    .limit(limitParameter)
    .as('nearest');
  return runner
    .with(capped, counted)
    .select({
      ...recordColumns(table, options.includeVectors),
      distance: nearest.nearestDistance,
      matching: counted.matching,
      total: counted.total,
    })
    .from(counted)
    .leftJoinLateral(nearest, sql`true`)
    .leftJoin(table, eq(table.id, nearest.id))
    .orderBy(nearest.nearestDistance, nearest.id)
    .prepare(PREPARED);
}
