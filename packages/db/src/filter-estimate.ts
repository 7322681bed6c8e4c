// PostgreSQL's estimate of how many rows a search's filters match, from planning one statement
// (nothing is read), remembered on the namespace handle per filter for a while.
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
 * How long a handle reuses the estimate of a filter, and for how many filters: an application
 * searching with the same filter again (a tenant, a collection) skips the EXPLAIN round trip.
 * An estimate only decides whether to count the matching rows; staleness cannot make a search
 * wrong, only a count skipped or spent.
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

/** estimateMatching, remembered in `cache` (the handle's) per filter for ESTIMATE_TTL_MS. */
export async function cachedEstimate(options: {
  readonly runner: QueryRunner;
  readonly table: NamespaceTable;
  readonly where: SQL;
  readonly cache: { estimates?: EstimateCache } | undefined;
  readonly now?: number;
}): Promise<Estimate | undefined> {
  const { runner, table, where, cache } = options;
  if (cache === undefined) return estimateMatching(runner, table, where);
  const { sql: text, params } = dialect.sqlToQuery(where);
  const key = JSON.stringify([getTableName(table), text, params]);
  cache.estimates ??= new Map();
  const now = options.now ?? Date.now();
  const cached = cache.estimates.get(key);
  if (cached !== undefined && now - cached.at < ESTIMATE_TTL_MS) return cached.estimate;
  const estimate = await estimateMatching(runner, table, where);
  cache.estimates.delete(key);
  const oldest = cache.estimates.keys().next();
  if (cache.estimates.size >= ESTIMATES_KEPT && oldest.done !== true) cache.estimates.delete(oldest.value);
  cache.estimates.set(key, { estimate, at: now });
  return estimate;
}
