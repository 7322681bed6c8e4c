// PostgreSQL's estimate of how many rows a search's filters match, from planning one statement
// (nothing is read), remembered on the connection per filter for a while; and, the same way,
// a count of matching rows that was small enough for an exact search.
import { getTableName, type SQL, sql } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { queryRows } from './database.js';
import type { NamespaceTable } from './namespace-table.js';

type QueryRunner = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export interface Estimate {
  /** Rows the filters match, as the planner estimates them. */
  readonly matching: number;
  /** Rows in the table, as the planner estimates them. */
  readonly total: number;
}

/** Estimates by filter (its SQL and parameters), with when they were made. */
export type EstimateCache = Map<string, { readonly estimate: Estimate | undefined; readonly at: number }>;
/**
 * Counts of matching rows by filter: exact (within the exact cutoff) or `at_least` (capped at the
 * cutoff + 1), with the table's estimated rows then (the exact cutoff depends on them) and when
 * they were counted.
 */
export type CountCache = Map<
  string,
  {
    readonly rows: number;
    readonly counted: 'exact' | 'at_least';
    readonly total: number | undefined;
    readonly at: number;
  }
>;

/**
 * How long searches on a connection reuse the estimate or the count of a filter, and for how
 * many filters: an application searching with the same filter again (a tenant, a collection)
 * skips the EXPLAIN round trip, and the count. Both only decide between exact and ANN search; staleness cannot make
 * a search wrong (an exact search is exact however many rows match), only slower.
 */
const ESTIMATE_TTL_MS = 60_000;
const ESTIMATES_KEPT = 256;
const dialect = new PgDialect();

/** A node of EXPLAIN (FORMAT JSON) output; only what the estimate reads. */
interface ExplainNode {
  readonly 'Plan Rows'?: number;
  readonly Plans?: readonly ExplainNode[];
}

/** The two branches of `filtered UNION ALL everything`, planned, not run. */
export async function estimateMatching(
  runner: QueryRunner,
  table: NamespaceTable,
  where: SQL,
): Promise<Estimate | undefined> {
  const [row] = await queryRows<Record<string, unknown>>(
    runner,
    sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table} WHERE ${where} UNION ALL SELECT 1 FROM ${table}`,
  );
  const raw = row?.['QUERY PLAN'];
  const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const root = Array.isArray(parsed) ? (parsed[0] as { Plan?: ExplainNode }).Plan : undefined;
  const [filtered, all] = root?.Plans ?? [];
  const matching = filtered?.['Plan Rows'];
  const total = all?.['Plan Rows'];
  return matching === undefined || total === undefined ? undefined : { matching, total };
}

/** A filter's key in the connection's memos: its table, SQL text and parameters. */
export function filterKey(table: NamespaceTable, where: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(where);
  return JSON.stringify([getTableName(table), text, params]);
}

/** Sets `key`, newest last, dropping the oldest entry when `map` holds ESTIMATES_KEPT. */
export function remember<Entry>(map: Map<string, Entry>, key: string, entry: Entry): void {
  map.delete(key);
  const oldest = map.keys().next();
  if (map.size >= ESTIMATES_KEPT && oldest.done !== true) map.delete(oldest.value);
  map.set(key, entry);
}

/** Whether something remembered at `at` is still fresh at `now`. */
export function isFresh(at: number, now: number): boolean {
  return now - at < ESTIMATE_TTL_MS;
}

/** estimateMatching, remembered in `cache` (the connection's) per filter for ESTIMATE_TTL_MS. */
export async function cachedEstimate(options: {
  readonly runner: QueryRunner;
  readonly table: NamespaceTable;
  readonly where: SQL;
  readonly cache: { estimates?: EstimateCache } | undefined;
  /** filterKey(table, where), when the caller has it already. */
  readonly key?: string;
  readonly now?: number;
}): Promise<Estimate | undefined> {
  const { runner, table, where, cache } = options;
  if (cache === undefined) return estimateMatching(runner, table, where);
  const key = options.key ?? filterKey(table, where);
  cache.estimates ??= new Map();
  const now = options.now ?? Date.now();
  const cached = cache.estimates.get(key);
  if (cached !== undefined && isFresh(cached.at, now)) return cached.estimate;
  const estimate = await estimateMatching(runner, table, where);
  remember(cache.estimates, key, { estimate, at: now });
  return estimate;
}
