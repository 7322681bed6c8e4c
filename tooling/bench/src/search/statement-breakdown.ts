// Where ours spends its time on one query per workload: each statement it sends timed alone, then
// the library call against those statements replayed and against the raw query with the same plan.
import type { Sql } from 'postgres';
import type { Table } from '../report.js';
import type { QueryRecorder } from './bench-database.js';
import {
  compareWithReplay,
  explainRecorded,
  summarizeStatement,
  timeEmptyTransaction,
  timeStatements,
} from './statement-timings.js';

export const STATEMENT_REPETITIONS = 30;

export interface BreakdownInput {
  readonly workload: string;
  readonly ours: () => Promise<unknown>;
  readonly raw: () => Promise<unknown>;
}

/** The breakdown table, and EXPLAIN of the search query ours sent per workload. */
export async function statementBreakdown(options: {
  readonly sql: Sql;
  readonly recorder: QueryRecorder;
  readonly inputs: readonly BreakdownInput[];
}): Promise<{ readonly table: Table; readonly plans: Map<string, string> }> {
  const { sql, recorder } = options;
  const rows: (string | number)[][] = [];
  const plans = new Map<string, string>();
  for (const input of options.inputs) {
    const { statements } = await recorder.record(input.ours);
    rows.push([input.workload, `${statements.length} statements recorded`, '']);
    plans.set(input.workload, await explainRecorded(sql, statements));
    const timings = await timeStatements({ sql, statements, repetitions: STATEMENT_REPETITIONS });
    for (const { statement, p50 } of timings)
      rows.push([input.workload, `\`${summarizeStatement(statement.sql)}\``, p50]);
    const comparison = await compareWithReplay({
      sql,
      statements,
      library: input.ours,
      raw: input.raw,
      repetitions: STATEMENT_REPETITIONS,
    });
    rows.push(
      [input.workload, '**ours (searchWithPlan)**, interleaved with the next two', comparison.library],
      [input.workload, '**its statements replayed in sequence**, unprepared', comparison.replay],
      [input.workload, '**raw SQL with the same plan and settings**, prepared', comparison.raw],
    );
  }
  rows.push([
    'all',
    'BEGIN + COMMIT (a transaction; not in the recorded statements)',
    await timeEmptyTransaction(sql, STATEMENT_REPETITIONS),
  ]);
  return {
    table: {
      title: `Where ours spends its time: each statement one search sends, replayed alone and unprepared; then the whole call against the same statements replayed and the raw query (${STATEMENT_REPETITIONS} repetitions each, p50 ms)`,
      headers: ['workload', 'statement', 'p50 ms'],
      rows,
    },
    plans,
  };
}
