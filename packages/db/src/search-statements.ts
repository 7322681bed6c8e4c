// The statements a nearest-neighbour search sends (similarity-search.ts decides which): the exact
// query, the ANN query and the capped count with the exact top k. Each is built with the query
// vector, the limit and the threshold as parameters, so that a connection builds a statement once
// per shape and filter — its text and its filter's values — and later searches only bind the values
// and send it through the driver (search-driver.ts): building a select with drizzle, or running one
// through drizzle's execute path, costs about as much JavaScript as the database spends on a small
// exact search.
import { and, eq, is, Placeholder, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { recordColumns, recordOmitting } from './embedding-record.js';
import { remember } from './filter-estimate.js';
import type { NamespaceTable } from './namespace-table.js';
import { type BoundStatement, type Row, sendStatement, sendWithSettings } from './search-driver.js';
import type { NearestOptions } from './similarity-search.js';
import type { SearchResult } from './vector-store-types.js';

type QueryBuilder = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/**
 * A statement built once: its text and, per parameter, either a placeholder (the vector, the
 * limit, the threshold: bound per search) or a value of the filter (fixed for the statement).
 */
interface BuiltStatement {
  readonly text: string;
  /** Per parameter: its placeholder's name, or (a filter's parameter) its value. */
  readonly params: readonly { readonly placeholder?: string; readonly value?: unknown }[];
}

/** Built statements by shape and filter, kept per connection (see similarity-search.ts). */
export type StatementCache = Map<string, BuiltStatement>;

/** The query, its distance expression and its filters (collection and filter object). */
export interface SearchQuery {
  readonly table: NamespaceTable;
  /**
   * The query vector, the `vector` placeholder of every statement: pgvector text, or its binary
   * form on in-process PGlite (binary-vector.ts).
   */
  readonly vector: string | Uint8Array;
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

/**
 * Placeholders written into the statement text as numbers: the limit and the zero offset. With a
 * `LIMIT $n` PostgreSQL cannot reuse a generic plan of a prepared statement (it assumes a tenth of
 * the rows would be fetched, so the generic plan looks dearer than a custom one) and plans the
 * query again at every execution — about 0.3 ms for a 1,536-d ANN query, which a hand-written
 * `LIMIT 10` does not pay. Both are whole numbers the library computes, never user text; the
 * statement cache keys on them.
 */
const INLINED = new Set(['limit', 'no_offset']);

/**
 * `text` with the INLINED placeholders written as numbers and the other parameters renumbered, one
 * parameter per placeholder: drizzle numbers each use of a placeholder apart, so the ANN query (the
 * distance in its result and in its ORDER BY) would send the query vector twice and PostgreSQL
 * would parse it twice — a 1,536-d vector is 22 kB of text, and on PGlite (musl's strtof) parsing
 * 256 elements takes about 0.3 ms.
 */
function inlineNumbers(
  built: { readonly sql: string; readonly params: readonly unknown[] },
  values: Readonly<Record<string, unknown>>,
): BuiltStatement {
  const params: { placeholder?: string; value?: unknown }[] = [];
  const numbered = new Map<string, string>();
  const text = built.sql.replace(/\$(\d+)/g, (_, position: string) => {
    const param = built.params[Number(position) - 1];
    if (!is(param, Placeholder)) {
      params.push({ value: param });
      return `$${params.length}`;
    }
    if (INLINED.has(param.name)) {
      const value = values[param.name];
      if (!Number.isSafeInteger(value))
        throw new TypeError(`search ${param.name} ${String(value)} is not a whole number`);
      return String(value);
    }
    let number = numbered.get(param.name);
    if (number === undefined) {
      params.push({ placeholder: param.name });
      number = `$${params.length}`;
      numbered.set(param.name, number);
    }
    return number;
  });
  return { text, params };
}

/**
 * The statement of `shape` for this query's filter, with this search's values bound: built by
 * `build` the first time the connection sees the shape, filter and limit, from `cache` afterwards.
 */
function statement(
  query: SearchQuery,
  options: {
    readonly shape: string;
    readonly cache: StatementCache;
    readonly values: Record<string, unknown>;
    readonly build: () => { toSQL(): { sql: string; params: unknown[] } };
  },
): BoundStatement {
  const { cache, values } = options;
  const { includeVectors, threshold } = query.options;
  const key = `${options.shape}|${values.limit}|${includeVectors}|${threshold !== undefined}|${query.key}`;
  let built = cache.get(key);
  if (built === undefined) {
    built = inlineNumbers(options.build().toSQL(), values);
    remember(cache, key, built);
  }
  return {
    text: built.text,
    params: built.params.map((param) =>
      param.placeholder === undefined ? param.value : values[param.placeholder],
    ),
  };
}

/** The columns a search statement adds to the record's. */
const SEARCH_COLUMNS: ReadonlySet<string> = new Set(['distance', 'matching', 'total']);

function toResults(rows: readonly Row[]): SearchResult[] {
  return rows.map((row): SearchResult => [recordOmitting(row, SEARCH_COLUMNS), 1 - Number(row.distance)]);
}

function withinThreshold(query: SearchQuery, distance: SQL = query.distance): SQL | undefined {
  return query.options.threshold === undefined ? undefined : sql`${distance} <= ${maxDistanceParameter}`;
}

/** Where a search's statements go: the connection, its drizzle instance and its built statements. */
export interface StatementTarget {
  readonly db: Database;
  readonly cache: StatementCache;
}

/**
 * Exact: the ids of the rows the filters select (bitmap scans of their B-tree/GIN indexes) with
 * their distances, in a subquery that `OFFSET 0` (a parameter) keeps from being merged into the
 * outer query, so no ANN index can serve the `ORDER BY distance`: PostgreSQL reads those rows and
 * keeps the nearest `limit`, whose records it then fetches by primary key. Each distance is
 * computed once (the usual `ORDER BY (distance) + 0` computes it twice per row, a 1,536-d distance
 * each time), and the top-k sort carries only ids and distances instead of whole records: 1 to 4%
 * faster on the bench's 50,000 × 1,536-d table with 500 matching rows, 3.5% with 10,000.
 */
export async function runExact(target: StatementTarget, query: SearchQuery): Promise<SearchResult[]> {
  const { table, distance, options } = query;
  const builder = target.db.orm;
  const bound = statement(query, {
    shape: 'exact',
    cache: target.cache,
    values: values(query, options.limit),
    build: () => {
      const scanned = builder
        .select({ id: table.id, distance: distance.as('distance') })
        .from(table)
        .where(query.where)
        .offset(noOffsetParameter)
        .as('scanned');
      const nearest = builder
        .select({ id: scanned.id, nearestDistance: sql<number>`${scanned.distance}`.as('nearest_distance') })
        .from(scanned)
        .where(withinThreshold(query, sql`${scanned.distance}`))
        .orderBy(scanned.distance, scanned.id)
        .limit(limitParameter)
        .as('nearest');
      return builder
        .select({
          ...recordColumns(table, options.includeVectors),
          // Rows are read by column name (drizzle reads them by position): the name is the key.
          distance: sql<number>`${nearest.nearestDistance}`.as('distance'),
        })
        .from(nearest)
        .innerJoin(table, eq(table.id, nearest.id))
        .orderBy(nearest.nearestDistance, nearest.id);
    },
  });
  return toResults(await sendStatement(target.db, bound));
}

/**
 * The ANN query: `ORDER BY distance LIMIT k`, exactly what a hand-written query sends (a quantized
 * index: the `candidates` nearest by Hamming distance, each with its exact distance), with
 * `settings` in force for it alone when given. The threshold, the re-ranking and the strict order
 * (iterative scans return rows in relaxed order) are applied here, so the index scan stops after
 * its candidates even when none can pass the threshold.
 */
export async function runIndexed(
  target: StatementTarget,
  query: SearchQuery,
  options: {
    readonly candidates: number;
    readonly settings?: { readonly values: Readonly<Record<string, string>>; readonly citus: boolean };
  },
): Promise<{ readonly results: SearchResult[]; readonly candidates: number }> {
  const { table, distance } = query;
  const builder = target.db.orm;
  const bound = statement(query, {
    // The index order differs for a binary-quantized index, which a reindex can add or remove.
    shape: `indexed ${query.indexOrder === query.distance}`,
    cache: target.cache,
    values: { vector: query.vector, limit: options.candidates },
    build: () =>
      builder
        .select({ ...recordColumns(table, query.options.includeVectors), distance: distance.as('distance') })
        .from(table)
        .where(query.where)
        .orderBy(query.indexOrder)
        .limit(limitParameter),
  });
  const { settings } = options;
  const rows = (
    settings === undefined
      ? await sendStatement(target.db, bound)
      : await sendWithSettings(target.db, {
          statement: bound,
          settings: settings.values,
          citus: settings.citus,
        })
  ) as (Row & { id: number; distance: number })[];
  const { threshold } = query.options;
  const limit = threshold === undefined ? 2 : 1 - threshold;
  const passing = rows
    .filter((row) => row.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, query.options.limit);
  return { results: toResults(passing), candidates: rows.length };
}

/**
 * One statement: reads the rows the filters match, up to `cutoff + 1`, with their distances, and
 * when there are no more than `cutoff` returns the nearest of them with their records (fetched by
 * id, `limit` rows) — exact, since every matching row was compared. Also returns how many matched
 * (capped) and PostgreSQL's estimate of the table's rows.
 */
export async function runCountedExact(
  target: StatementTarget,
  query: SearchQuery,
  cutoff: number,
): Promise<{ readonly results: SearchResult[]; readonly matching: number; readonly total: number }> {
  const bound = statement(query, {
    shape: `counted ${cutoff}`,
    cache: target.cache,
    values: values(query, query.options.limit),
    build: () => buildCountedExact(target.db.orm, query, cutoff),
  });
  const rows = await sendStatement(target.db, bound);
  const first = rows[0];
  return {
    results: toResults(rows.filter((row) => row.distance !== null)),
    matching: Number(first?.matching ?? 0),
    total: Number(first?.total ?? -1),
  };
}

function buildCountedExact(builder: QueryBuilder, query: SearchQuery, cutoff: number) {
  const { table, distance, options } = query;
  // One pass over the matching rows (at most cutoff + 1): their ids and distances, kept for the
  // count and the top k; a count first and a search after read every row twice, and with large
  // vectors each row is a page of its own.
  const capped = builder.$with('capped').as(
    builder
      .select({ id: table.id, distance: distance.as('distance') })
      .from(table)
      .where(query.where)
      .limit(cutoff + 1),
  );
  const counted = builder.$with('counted').as(
    builder
      .select({
        matching: sql<number>`count(*)::int`.as('matching'),
        total:
          sql<number>`(SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass(quote_ident(${options.namespace.table_name})))`.as(
            'total',
          ),
      })
      .from(capped),
  );
  const nearest = builder
    .select({ id: capped.id, nearestDistance: sql<number>`${capped.distance}`.as('nearest_distance') })
    .from(capped)
    .where(and(sql`${counted.matching} <= ${cutoff}`, withinThreshold(query, sql`${capped.distance}`)))
    .orderBy(capped.distance, capped.id)
    .limit(limitParameter)
    .as('nearest');
  return builder
    .with(capped, counted)
    .select({
      ...recordColumns(table, options.includeVectors),
      // Rows are read by column name (drizzle reads them by position): the name is the key.
      distance: sql<number>`${nearest.nearestDistance}`.as('distance'),
      matching: counted.matching,
      total: counted.total,
    })
    .from(counted)
    .leftJoinLateral(nearest, sql`true`)
    .leftJoin(table, eq(table.id, nearest.id))
    .orderBy(nearest.nearestDistance, nearest.id);
}
