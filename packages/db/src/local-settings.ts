// How settings are set for the current transaction only (a search's hnsw.ef_search, ivfflat.probes
// and iterative scans; an index build's maintenance_work_mem): one set_config statement on a single
// server; `SET LOCAL` statements on a Citus coordinator, because only those reach the
// workers, which run the index scans and builds.
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Executor } from './database.js';

type QueryRunner = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** The setting names the library sets: pgvector's, maintenance_work_mem and enable_sort (INDEX_SCAN_ONLY). */
const SETTING_NAME = /^((hnsw|ivfflat)\.[a-z_]+|maintenance_work_mem|enable_sort)$/;
/** The values the library computes: whole numbers (of kB), and pgvector's iterative-scan modes. */
const SETTING_VALUE = /^([0-9]{1,12}(kB)?|off|relaxed_order|strict_order)$/;

/**
 * The `SET LOCAL` statements for `settings` on a Citus coordinator. `SET` takes no bind parameters,
 * so the statement text carries the value: only names and values of the shapes the library computes
 * (integers from search-plan.ts and the index build's memory sizing, pgvector's fixed mode names)
 * are accepted, anything else is a
 * programming error and throws before any SQL is built. `citus.propagate_set_commands = 'local'`
 * makes Citus send the transaction's `SET LOCAL`s to every worker connection of the transaction;
 * `set_config(…, true)` is a function call that only changes the coordinator.
 */
export function citusSettingStatements(settings: Readonly<Record<string, string>>): string[] {
  const statements = ["SET LOCAL citus.propagate_set_commands = 'local'"];
  for (const [name, value] of Object.entries(settings)) {
    if (!SETTING_NAME.test(name) || !SETTING_VALUE.test(value)) {
      throw new TypeError(
        `search setting ${JSON.stringify(name)} = ${JSON.stringify(value)} is not one the library computes`,
      );
    }
    statements.push(`SET LOCAL ${name} = '${value}'`);
  }
  return statements;
}

/** Runs citusSettingStatements one after the other, so they are in force before what follows. */
export async function setLocalOnCitus(
  executor: Pick<Executor, 'execute'>,
  settings: Readonly<Record<string, string>>,
): Promise<void> {
  for (const statement of citusSettingStatements(settings)) await executor.execute(sql.raw(statement));
}

/**
 * The statements that set `settings` for the rest of the current transaction: on one server a
 * single `SELECT set_config($1, $2, true), …` (values as parameters, so a prepared statement serves
 * every search with as many settings); on a Citus coordinator (`citus`) citusSettingStatements.
 */
export function settingStatements(
  settings: Readonly<Record<string, string>>,
  options: { readonly citus: boolean },
): { readonly text: string; readonly params: readonly string[] }[] {
  const entries = Object.entries(settings);
  if (entries.length === 0) return [];
  if (options.citus) return citusSettingStatements(settings).map((text) => ({ text, params: [] }));
  const calls = entries.map((_, index) => `set_config($${2 * index + 1}, $${2 * index + 2}, true)`);
  return [{ text: `SELECT ${calls.join(', ')}`, params: entries.flat() }];
}

/**
 * Sets the settings for the rest of a drizzle transaction (searches send theirs with the query
 * instead, see search-driver.ts). On a Citus coordinator (`citus`): `SET LOCAL` statements, each
 * awaited, so they are in force before what follows.
 */
export async function applySettings(
  tx: QueryRunner,
  options: { readonly settings: Readonly<Record<string, string>>; readonly citus: boolean },
): Promise<void> {
  if (options.citus) return setLocalOnCitus(tx, options.settings);
  const calls = Object.entries(options.settings).map(
    ([name, value]) => sql`set_config(${name}, ${value}, true)`,
  );
  if (calls.length > 0) await tx.execute(sql`SELECT ${sql.join(calls, sql`, `)}`);
}
