// Sends a search's statements straight through the driver, without drizzle's execute path: the
// statement text is built once per table shape and filter (search-statements.ts), so what is left
// per search is binding the values and mapping the rows, which the callers do by hand. Drizzle's
// per-query work (placeholders, field ordering, result mapping) cost about as much JavaScript as
// PostgreSQL spends on a small exact search (docs/benchmarks.md, search overhead).
import type { Database } from './database.js';
import { settingStatements } from './local-settings.js';

export type Row = Record<string, unknown>;

/** A statement's text and the values of its parameters, in order. */
export interface BoundStatement {
  readonly text: string;
  readonly params: readonly unknown[];
}

function logged(db: Database, statement: BoundStatement): void {
  db.onQuery?.(statement.text, statement.params);
}

function postgresOf(db: Database) {
  const client = db.postgres;
  if (client === undefined)
    throw new Error(`database ${db.displayUrl} has neither a PGlite nor a postgres.js client`);
  return client;
}

/**
 * Runs one statement. postgres.js sends it as a named prepared statement: parsed and described once
 * per connection, afterwards one round trip. jsonb parameters are bound as the JSON text the filters
 * build: the drizzle instance over the same postgres.js client makes its jsonb serializer pass
 * strings through (a string is not encoded a second time).
 */
export async function sendStatement(db: Database, statement: BoundStatement): Promise<Row[]> {
  logged(db, statement);
  if (db.pglite !== undefined)
    return (await db.pglite.query<Row>(statement.text, [...statement.params])).rows;
  return postgresOf(db).unsafe<Row[]>(statement.text, statement.params as never[], { prepare: true });
}

/**
 * Runs `statement` with `settings` in force for it only: in a transaction of its own, after
 * set_config(…, true) (or, on a Citus coordinator, the SET LOCALs that reach the workers). Over
 * postgres.js all of it — BEGIN, the settings, the statement and COMMIT — is written to one reserved
 * connection at once: the server runs them in order, so one round trip where sending them one by
 * one takes four. When a statement fails, the ones after it fail too (the transaction is aborted)
 * and COMMIT ends it as a rollback, so the connection goes back to the pool clean.
 */
export async function sendWithSettings(
  db: Database,
  options: {
    readonly statement: BoundStatement;
    readonly settings: Readonly<Record<string, string>>;
    readonly citus: boolean;
  },
): Promise<Row[]> {
  const settings = settingStatements(options.settings, { citus: options.citus });
  for (const setting of settings) logged(db, setting);
  logged(db, options.statement);
  const { statement } = options;
  if (db.pglite !== undefined) {
    return db.pglite.transaction(async (transaction) => {
      for (const setting of settings) await transaction.query(setting.text, [...setting.params]);
      return (await transaction.query<Row>(statement.text, [...statement.params])).rows;
    });
  }
  const connection = await postgresOf(db).reserve();
  try {
    const sent = [
      connection.unsafe('BEGIN'),
      ...settings.map((setting) =>
        connection.unsafe(setting.text, setting.params as never[], { prepare: setting.params.length > 0 }),
      ),
      connection.unsafe<Row[]>(statement.text, statement.params as never[], { prepare: true }),
      connection.unsafe('COMMIT'),
    ];
    const settled = await Promise.allSettled(sent);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return (settled[settled.length - 2] as PromiseFulfilledResult<Row[]>).value;
  } finally {
    connection.release();
  }
}
