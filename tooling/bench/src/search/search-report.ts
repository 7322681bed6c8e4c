// Assembles the search benchmark's section of docs/benchmarks.md: tables, the recall-vs-latency
// chart and the notes, from the stages' measurements.
import os from 'node:os';
import { ROWS_PER_EF_SEARCH } from '@dynamic-embeddings/db';
import { lineChart } from '../charts/svg.js';
import {
  type DatabaseTarget,
  formatNumber,
  type Section,
  sectionFor,
  type Table,
  writeChart,
} from '../report.js';
import type { BenchSystems, WorkloadRun } from './bench-stages.js';
import { type CrossingPoint, crossingRows } from './cutoff-crossing.js';
import { type SweepPoint, sweepSeries } from './ef-sweep.js';
import {
  crossingNote,
  crossingTable,
  filteredSweepTable,
  planTable,
  resultsTable,
  sweepTable,
  targetsTable,
} from './report-tables.js';
import type { TargetRow } from './targets.js';

export interface SearchReport {
  readonly target: DatabaseTarget;
  readonly shape: 'mixture' | 'skewed';
  readonly command: string;
  readonly environment: string;
  readonly setup: Table;
  readonly systems: BenchSystems;
  readonly runs: readonly WorkloadRun[];
  readonly targets: readonly TargetRow[];
  /** PGlite only: the in-process measurement (its targets are among `targets`). */
  readonly inProcess?: Table;
  readonly breakdown: Table;
  readonly explain: Table;
  readonly sweep: readonly SweepPoint[];
  readonly sweepQueries: number;
  /** Raw SQL forced through the index at fixed ef_search, for the largest crossing filters. */
  readonly filteredSweep: readonly SweepPoint[];
  readonly crossing: readonly CrossingPoint[];
  readonly crossingQueries: number;
  readonly cutoff: number;
  /** The planner's recall-aware cutoff for this table and its calibrated settings (recallAwareCutoff). */
  readonly recallAwareCutoff: number;
  readonly dimensions: number;
  readonly rows: number;
  readonly loadAtStart: number;
  readonly publishCharts: boolean;
}

function oursPoints(report: SearchReport) {
  return report.runs
    .filter((run) => run.key !== 'column5')
    .map((run) => {
      const measurement = run.measured.find((entry) => entry.system === report.systems.ours)!.measurement;
      return {
        workload: run.workload.name,
        p50: measurement.latency.p50,
        recall: measurement.recall,
        label:
          run.plan.strategy === 'exact' ? 'ours: exact' : `ours: ef ${run.plan.settings['hnsw.ef_search']}`,
      };
    });
}

function chart(report: SearchReport): string[] {
  if (!report.publishCharts) return [];
  const database = report.target === 'postgres' ? 'PostgreSQL' : 'PGlite';
  return [
    writeChart({
      name: report.shape === 'skewed' ? 'search-recall-latency-skewed' : 'search-recall-latency',
      target: report.target,
      svg: lineChart({
        title: `Recall@10 vs p50 latency, ${formatNumber(report.rows)} × ${report.dimensions} (${report.shape}) on ${database}`,
        subtitle: 'raw SQL at fixed hnsw.ef_search (point labels), and ours with its defaults',
        xLabel: 'p50 latency (ms)',
        yLabel: 'recall@10',
        series: sweepSeries(report.sweep, oursPoints(report)),
      }),
    }),
  ];
}

function notes(report: SearchReport): string[] {
  const failing = report.targets.filter((row) => !row.holds);
  const crossing = crossingRows(report.crossing);
  return [
    `**Targets.** ${report.targets.length - failing.length} of ${report.targets.length} hold${failing.length === 0 ? '.' : `; not: ${failing.map((row) => `${row.target} (${row.measured})`).join('; ')}.`}`,
    `**Systems.** Ours is the library as a user gets it: createNamespace with its defaults and insertEmbeddings (the index policy builds HNSW after the load and calibrates ef_search to the 0.95 recall target), then searchWithPlan on a NamespaceHandle. "Raw SQL, same plan and settings" reads the plan ours returned for the workload's first query and sends that by hand through postgres.js, prepared: the exact query for an exact plan; the ANN query, after one set_config statement in a transaction when the settings are not pgvector's defaults, for an index plan (sql.begin: BEGIN, set_config, the query and COMMIT, each awaited — four round trips). It leaves out what ours adds — the capped count of matching rows that decides the plan, and JavaScript — which is what the 1.15× target measures. Raw exact SQL orders by \`(embedding <=> $1) + 0\`, which no ANN index serves. LangChain filters on its metadata (for the column workload too: it has no collection column). Each query goes to every system in turn, in the orders of a Williams design (each system goes first, and runs right after each other system, equally often: a rotation kept ours right after LangChain's whole-table scan in one query of five, which the raw queries never were), so load from elsewhere and cold caches hit all alike.`,
    `**Where ours spends more than the same SQL.** A filtered search first gets PostgreSQL's estimate of the matching rows (one EXPLAIN, remembered on the connection per filter for a minute), then sends one statement when the rows are few (their ids and distances in one pass, the count and the top k from it). The count, capped at the cutoff + 1, is remembered the same way: while it is, a search with that filter sends only the exact query (the ids and distances of the matching rows, the top k of those, their records joined by id), or only the index search when it counted more. An index search with settings other than pgvector's defaults writes BEGIN, one set_config statement, the query and COMMIT to one reserved connection at once: one round trip. Every search statement is built with drizzle-orm once per connection, table shape and filter (its text and the filter's values) and then sent straight through postgres.js as a named prepared statement (PGlite in process: its query()), with the vector and threshold bound (the limit is written into the text: with \`LIMIT $n\` PostgreSQL re-plans a prepared statement at every execution, where a literal lets it reuse a generic plan as it does for the raw query's \`LIMIT 10\`) and the rows mapped to records by hand, in one pass — drizzle's execute path (placeholder filling, field ordering, result mapping) is not on the way; at most 100 distinct texts per pool are prepared. A filter object is validated and compiled once per table (remembered by its JSON), and the connection's memos key on that JSON. The query vector goes as its float4s in C99 hexadecimal (\`0x1.8p-1\`: the float4's bits, read back exactly; PGlite's strtof reads hexadecimal about 2.5× as fast as decimal, PostgreSQL's alike), where the raw query's \`join(',')\` writes 17-digit decimals; on PGlite in process (the table below) ours sends it in pgvector's binary format instead. A filtered index search also sets enable_sort = off (so does the raw query with the same settings): a generic plan of the prepared statement, costed without the filter's values, otherwise reads the filter's rows through the GIN index and sorts them (an exact search while the plan says index; earlier runs of this bench measured the 20% workload that way). On PGlite the library's JavaScript runs on the same thread as the database and pglite-socket, so it adds to each search in full. The statement table below splits each workload's gap into JavaScript (library minus replay) and statements (replay minus raw); the replay sends each statement unprepared and in sequence, so for an index search with settings it pays the round trips ours saves.`,
    crossingNote(report.crossing, report.cutoff, report.dimensions),
    crossing === undefined
      ? ''
      : `The planner's floor (exactCutoffRows) should sit at or a little below the crossing (exact is also right every time, the ANN search only nearly): ${crossing >= report.cutoff ? 'the floor is not above it' : '**the floor is above it**'}.`,
    `**Recall-aware cutoff.** Above the floor, a filtered search is still exact while exact search is the faster way to the recall target, or the only way to it: the ANN side needs a candidate list of 2 × the calibrated ef_search × selectivity^-1.5 to meet the target (filteredEfSearch; the filtered sweep table shows recall against ef_search for the largest filters), costs about ${ROWS_PER_EF_SEARCH} compared rows per candidate, and cannot meet the target where that list would pass pgvector's 1,000; exact never takes more than twice the rows the 1,000-candidate scan costs (recallAwareCutoff). For this table (${formatNumber(report.rows)} rows, its calibrated settings) that is ${formatNumber(report.recallAwareCutoff)} matching rows; the "ours ran" column shows the plans it chose.`,
    `**Data.** ${report.shape === 'skewed' ? 'Skewed: Zipf-sized clusters, anisotropic spread, heavy-tailed offsets (unlike the fixtures).' : 'A Gaussian mixture, about 10 rows per component, each varying along 64 random directions.'} Collections and the \`within\` tags of the crossing filters are assigned at random, so every filter's rows are scattered over the whole space — the hard case for a filtered ANN scan. Recall counts a returned row tied (within 1e-6) with the 10th exact neighbour as correct; a row outside the filter never counts.`,
    `**Machine.** Load average ${report.loadAtStart.toFixed(1)} at the start and ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end, on ${os.cpus().length} cores shared with other jobs: absolute latencies are noisy; the ratios between systems measured interleaved are the comparison.`,
  ].filter((note) => note !== '');
}

export function buildReport(report: SearchReport): Section {
  const base = sectionFor(report.target, {
    id: report.shape === 'skewed' ? 'search-skewed' : 'search',
    title:
      report.shape === 'skewed'
        ? 'Search on skewed data: planner, recall targets, overhead'
        : 'Search: planner, recall targets, overhead',
  });
  const results = report.runs.flatMap((run) =>
    run.measured.map(({ system, measurement }) => ({
      workload: run.workload.name,
      system: system.name,
      measurement,
    })),
  );
  return {
    ...base,
    command: report.command,
    environment: report.environment,
    tables: [
      report.setup,
      targetsTable(report.targets),
      resultsTable(results, report.systems.ours.name),
      ...(report.inProcess === undefined ? [] : [report.inProcess]),
      planTable(
        report.runs.map((run) => ({ workload: run.workload.name, plan: run.plan, counts: run.strategies })),
      ),
      crossingTable(report.crossing, report.cutoff, report.crossingQueries),
      filteredSweepTable(report.filteredSweep, report.crossingQueries, report.rows),
      sweepTable(report.sweep, report.sweepQueries),
      report.breakdown,
      report.explain,
    ],
    charts: chart(report),
    notes: notes(report),
  };
}
