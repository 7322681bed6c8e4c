// Replays the statements one VectorStore call sent, one at a time, to show where its latency goes
// compared with a single raw query; and EXPLAINs its search query under the settings it made.
import type { Sql } from 'postgres';
import type { RecordedStatement } from './bench-database.js';
import { percentile } from './latency.js';
import { describePlan, planFromExplainRow } from './query-plan.js';

/** The statement in one line, shortened for a table cell. */
export function summarizeStatement(statement: string, maxLength = 110): string {
  const line = statement.replace(/\s+/g, ' ').trim();
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 1)}…`;
}

function isSearchQuery(statement: RecordedStatement): boolean {
  return statement.sql.includes('<=>');
}

function isSetting(statement: RecordedStatement): boolean {
  return /^\s*select set_config\(/i.test(statement.sql);
}

/**
 * p50 milliseconds of each statement run alone `repetitions` times (after a warm-up run), sent the
 * way Drizzle sends it: unprepared, so postgres.js first asks the server for the parameter types
 * (Parse/Describe/Sync) and waits, then binds and executes — two round trips for a statement with
 * parameters, where a prepared statement that was seen before needs one.
 */
export async function timeStatements(options: {
  readonly sql: Sql;
  readonly statements: readonly RecordedStatement[];
  readonly repetitions: number;
}): Promise<{ readonly statement: RecordedStatement; readonly p50: number }[]> {
  const { sql, statements, repetitions } = options;
  const timings: { statement: RecordedStatement; p50: number }[] = [];
  for (const statement of statements) {
    const run = () => sql.unsafe(statement.sql, statement.params as never[], { prepare: false });
    await run();
    const samples: number[] = [];
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const started = performance.now();
      await run();
      samples.push(performance.now() - started);
    }
    timings.push({ statement, p50: percentile(samples, 50) });
  }
  return timings;
}

/** p50 milliseconds of an empty transaction (BEGIN + COMMIT), which Drizzle's statements do not show. */
export async function timeEmptyTransaction(sql: Sql, repetitions: number): Promise<number> {
  const samples: number[] = [];
  await sql.begin(async () => {});
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    const started = performance.now();
    await sql.begin(async () => {});
    samples.push(performance.now() - started);
  }
  return percentile(samples, 50);
}

/** EXPLAIN of the recorded search query, after the recorded set_config calls, in one transaction. */
export async function explainRecorded(sql: Sql, statements: readonly RecordedStatement[]): Promise<string> {
  const searchIndex = statements.findIndex(isSearchQuery);
  if (searchIndex < 0) throw new Error('no search query among the recorded statements');
  const search = statements[searchIndex]!;
  const rows = await sql.begin(async (transaction) => {
    for (const statement of statements.slice(0, searchIndex).filter(isSetting))
      await transaction.unsafe(statement.sql, statement.params as never[]);
    return transaction.unsafe(`EXPLAIN (FORMAT JSON) ${search.sql}`, search.params as never[]);
  });
  return describePlan(planFromExplainRow((rows as unknown as Record<string, unknown>[])[0]!));
}

/**
 * Splits where a search spends its time, with three variants run interleaved (one of each per
 * repetition, so machine load hits them alike): the library call itself; the statements it sent,
 * replayed in the same order through postgres.js (lookups, then the settings and query in one
 * transaction) — the database and round-trip part; and the raw query alone. Library minus replay is
 * time spent in JavaScript (validation, query building, row mapping); replay minus raw is the extra
 * statements and round trips.
 */
export async function compareWithReplay(options: {
  readonly sql: Sql;
  readonly statements: readonly RecordedStatement[];
  readonly library: () => Promise<unknown>;
  readonly raw: () => Promise<unknown>;
  readonly repetitions: number;
}): Promise<{ readonly library: number; readonly replay: number; readonly raw: number }> {
  const { sql, statements, repetitions } = options;
  const firstSetting = statements.findIndex(isSetting);
  const outside = firstSetting < 0 ? statements : statements.slice(0, firstSetting);
  const inside = firstSetting < 0 ? [] : statements.slice(firstSetting);
  const send = (executor: Sql, statement: RecordedStatement) =>
    executor.unsafe(statement.sql, statement.params as never[], { prepare: false });
  const replay = async () => {
    for (const statement of outside) await send(sql, statement);
    if (inside.length > 0)
      await sql.begin(async (transaction) => {
        for (const statement of inside) await send(transaction as unknown as Sql, statement);
      });
  };
  const variants = [options.library, replay, options.raw];
  const samples: number[][] = variants.map(() => []);
  for (const variant of variants) await variant();
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    for (const [index, variant] of variants.entries()) {
      const started = performance.now();
      await variant();
      samples[index]!.push(performance.now() - started);
    }
  }
  const [library, replayed, raw] = samples.map((values) => percentile(values, 50));
  return { library: library!, replay: replayed!, raw: raw! };
}
