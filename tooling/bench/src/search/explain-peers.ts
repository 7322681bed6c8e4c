// Query plans of the peers, for the report (ours are recorded; see statement-timings.ts).
import type pg from 'pg';
import type { Sql } from 'postgres';
import { describePlan, planFromExplainRow } from './query-plan.js';
import { rawSearchParameters, rawSearchSql } from './raw-sql.js';
import type { SearchQuery, SearchSystem } from './search-systems.js';

/** EXPLAIN of the raw query (exact or ANN) for `query`, under `settings` in one transaction. */
export async function explainRaw(options: {
  readonly sql: Sql;
  readonly tableName: string;
  readonly query: SearchQuery;
  readonly exact: boolean;
  readonly settings?: Readonly<Record<string, string>>;
}): Promise<string> {
  const text = rawSearchSql({
    tableName: options.tableName,
    filter: options.query.filter?.kind,
    exact: options.exact,
  });
  const planRows = await options.sql.begin(async (transaction) => {
    for (const [name, value] of Object.entries(options.settings ?? {}))
      await transaction.unsafe('SELECT set_config($1, $2, true)', [name, value]);
    return transaction.unsafe(`EXPLAIN (FORMAT JSON) ${text}`, rawSearchParameters(options.query));
  });
  return describePlan(planFromExplainRow((planRows as unknown as Record<string, unknown>[])[0]!));
}

/** Runs one LangChain search while recording the SQL it sends, then EXPLAINs exactly that. */
export async function explainLangChain(options: {
  readonly pool: pg.Pool;
  readonly system: SearchSystem;
  readonly query: SearchQuery;
}): Promise<string> {
  const { pool } = options;
  const original = pool.query;
  let captured: { text: string; values: unknown[] } | undefined;
  const recorder = (text: unknown, values: unknown) => {
    if (typeof text === 'string' && /ORDER BY/i.test(text)) captured = { text, values: values as unknown[] };
    return (original as (text: unknown, values: unknown) => Promise<unknown>).call(pool, text, values);
  };
  pool.query = recorder as typeof pool.query;
  try {
    await options.system.search(options.query);
  } finally {
    pool.query = original;
  }
  if (captured === undefined) throw new Error('LangChain sent no search query');
  const result = await pool.query(`EXPLAIN (FORMAT JSON) ${captured.text}`, captured.values);
  return describePlan(planFromExplainRow(result.rows[0] as Record<string, unknown>));
}
