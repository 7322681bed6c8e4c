// How settings are set for the current transaction only (a search's hnsw.ef_search, ivfflat.probes
// and iterative scans; an index build's maintenance_work_mem): one prepared set_config statement on
// a single server; `SET LOCAL` statements on a Citus coordinator, because only those reach the
// workers, which run the index scans and builds.
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Executor } from './database.js';

type QueryRunner = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** See similarity-search.ts: searches and their settings run as prepared statements. */
const PREPARED = 'dje_search';

/** The setting names the library sets: pgvector's, and maintenance_work_mem. */
const SETTING_NAME = /^((hnsw|ivfflat)\.[a-z_]+|maintenance_work_mem)$/;
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
 * Sets the settings for the rest of the current transaction. On one server: one prepared
 * statement (so that, once seen, postgres.js can pipeline it with the search that follows instead
 * of waiting for it). On a Citus coordinator (`citus`): `SET LOCAL` statements, each awaited, so
 * they are in force before the search is sent.
 */
export async function applySettings(
  tx: QueryRunner,
  options: { readonly settings: Readonly<Record<string, string>>; readonly citus: boolean },
): Promise<void> {
  const entries = Object.entries(options.settings);
  if (entries.length === 0) return;
  if (options.citus) return setLocalOnCitus(tx, options.settings);
  const selection = Object.fromEntries(
    entries.map(([name, value], index) => [`setting_${index}`, sql`set_config(${name}, ${value}, true)`]),
  );
  await tx.select(selection).from(sql`(SELECT 1) AS dje_settings`).prepare(PREPARED).execute();
}
