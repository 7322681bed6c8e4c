// Sends a search's statements straight through the driver, without drizzle's execute path: the
// statement text is built once per table shape and filter (search-statements.ts), so what is left
// per search is binding the values and mapping the rows, which the callers do by hand. Drizzle's
// per-query work (placeholders, field ordering, result mapping) cost about as much JavaScript as
// PostgreSQL spends on a small exact search (docs/benchmarks.md, search overhead).
import { pgliteQueryOptions } from './binary-vector.js';
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

/**
 * How many distinct statements the searches on one pool send as named prepared statements.
 * postgres.js keeps a named statement on its connection for the connection's life, and the limit is
 * written into a search's text, so every limit × statement shape × filter would otherwise leave one
 * more statement on every connection of the pool, for good. Past the cap, new texts go unprepared
 * (one round trip more: the server describes the parameters first).
 */
export const MAX_PREPARED_STATEMENTS = 100;

const preparedTexts = new WeakMap<Database, Set<string>>();

/** Whether to send `text` prepared: it was before, or the pool is still under the cap. */
function prepares(db: Database, text: string): boolean {
  let texts = preparedTexts.get(db);
  if (texts === undefined) {
    texts = new Set();
    preparedTexts.set(db, texts);
  }
  if (texts.has(text)) return true;
  if (texts.size >= MAX_PREPARED_STATEMENTS) return false;
  texts.add(text);
  return true;
}

function postgresOf(db: Database) {
  const client = db.postgres;
  if (client === undefined)
    throw new Error(`database ${db.displayUrl} has neither a PGlite nor a postgres.js client`);
  return client;
}

/**
 * Runs one statement. postgres.js sends it as a named prepared statement (within
 * MAX_PREPARED_STATEMENTS): parsed and described once per connection, afterwards one round trip.
 * jsonb parameters are bound as the JSON text the filters build: the drizzle instance over the
 * same postgres.js client makes its jsonb serializer pass strings through (a string is not encoded
 * a second time).
 */
export async function sendStatement(db: Database, statement: BoundStatement): Promise<Row[]> {
  logged(db, statement);
  if (db.pglite !== undefined)
    return (await db.pglite.query<Row>(statement.text, [...statement.params], pgliteQueryOptions(db))).rows;
  return postgresOf(db).unsafe<Row[]>(statement.text, statement.params as never[], {
    prepare: prepares(db, statement.text),
  });
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
      return (await transaction.query<Row>(statement.text, [...statement.params], pgliteQueryOptions(db)))
        .rows;
    });
  }
  const connection = await postgresOf(db).reserve();
  try {
    const sent = [
      connection.unsafe('BEGIN'),
      ...settings.map((setting) =>
        connection.unsafe(setting.text, setting.params as never[], {
          prepare: setting.params.length > 0 && prepares(db, setting.text),
        }),
      ),
      connection.unsafe<Row[]>(statement.text, statement.params as never[], {
        prepare: prepares(db, statement.text),
      }),
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
