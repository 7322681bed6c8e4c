// PGlite in process, as the CLI and an embedded app use it: ours through a Database over the very
// PGlite instance the socket serves, and the raw SQL through that instance's query(), interleaved
// as the socket run is. Over pglite-socket every system's statements go through postgres.js and
// the wire protocol, whose text parameters PGlite parses in WebAssembly; in process ours sends the
// query vector in binary (binary-vector.ts in the db package) and the raw SQL as a user writes it,
// the vector as text.
import {
  areDefaultSettings,
  type Database,
  type NamespaceHandle,
  openNamespace,
  type SearchPlan,
} from '@dynamic-embeddings/db';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { Table } from '../report.js';
import type { Dataset } from './dataset.js';
import { measureSystems } from './measure-search.js';
import { rawSearchParameters, rawSearchSql } from './raw-sql.js';
import {
  ourSearch,
  ourSearchOptions,
  rowOfChunkId,
  type SearchQuery,
  type SearchSystem,
} from './search-systems.js';
import { OVERHEAD_LIMIT, type TargetRow } from './targets.js';
import type { Workload } from './workloads.js';

/** A Database over an open PGlite instance, left open when the handle is closed. */
function inProcessDatabase(pglite: PGlite, versions: Database['versions']): Database {
  return {
    driver: 'pglite',
    isPGliteServer: false,
    versions,
    indexBuildMemoryMB: 0,
    displayUrl: 'memory://',
    orm: drizzle({ client: pglite }) as unknown as Database['orm'],
    pglite,
    postgres: undefined,
    async close() {},
  };
}

/** Raw SQL through PGlite's query(), the vector as pgvector text; exact, or a plan's statement. */
function rawInProcess(options: {
  readonly name: string;
  readonly pglite: PGlite;
  readonly tableName: string;
  readonly plan?: SearchPlan;
}): SearchSystem {
  const { pglite, tableName, plan } = options;
  const exact = plan === undefined || plan.strategy === 'exact';
  // As rawSqlSearch (and ours): pgvector's defaults need no set_config, so no transaction either.
  const settings =
    plan === undefined || exact || areDefaultSettings(plan.settings) ? [] : Object.entries(plan.settings);
  const textOf = (query: SearchQuery) =>
    rawSearchSql({
      tableName,
      filter: query.filter?.kind,
      exact,
      // The same plan is ours' statement form; raw exact is the plain ORDER BY distance + 0.
      subquery: plan !== undefined && exact,
    });
  const run = async (query: SearchQuery, runner: Pick<PGlite, 'query'>) => {
    const { rows } = await runner.query<{ chunk_id: string }>(textOf(query), rawSearchParameters(query));
    return rows.map((row) => rowOfChunkId(row.chunk_id));
  };
  return {
    name: options.name,
    async search(query) {
      if (settings.length === 0) return run(query, pglite);
      return pglite.transaction(async (transaction) => {
        for (const [name, value] of settings)
          await transaction.query('SELECT set_config($1, $2, true)', [name, value]);
        return run(query, transaction);
      });
    },
  };
}

export interface InProcessRun {
  readonly table: Table;
  readonly targets: TargetRow[];
}

/** Ours vs raw exact vs the same SQL, each workload, all through the one PGlite instance in process. */
export async function measureInProcess(options: {
  readonly pglite: PGlite;
  readonly versions: Database['versions'];
  readonly namespace: string;
  readonly tableName: string;
  readonly dataset: Dataset;
  readonly workloads: readonly Workload[];
  readonly log: (message: string) => void;
}): Promise<InProcessRun> {
  const db = inProcessDatabase(options.pglite, options.versions);
  const handle: NamespaceHandle = await openNamespace(db, options.namespace);
  const ours = { ...ourSearch(handle), name: 'ours in process' };
  const rawExact = rawInProcess({ name: 'raw exact SQL in process', ...options });
  const rows: (string | number)[][] = [];
  const targets: TargetRow[] = [];
  for (const workload of options.workloads) {
    const { plan } = await handle.searchWithPlan(ourSearchOptions(workload.queries[0]!));
    const samePlan = rawInProcess({ name: 'same SQL in process', ...options, plan });
    const [oursRun, sameRun, exactRun] = await measureSystems({
      systems: [ours, samePlan, rawExact],
      workload,
      dataset: options.dataset,
    });
    const p50 = { ours: oursRun!.latency.p50, same: sameRun!.latency.p50, exact: exactRun!.latency.p50 };
    options.log(
      `${workload.name} in process: ours ${p50.ours.toFixed(2)}, same SQL ${p50.same.toFixed(2)}, raw exact ${p50.exact.toFixed(2)} ms`,
    );
    rows.push([
      workload.name,
      plan.strategy,
      p50.ours.toFixed(2),
      p50.same.toFixed(2),
      p50.exact.toFixed(2),
      `${(p50.ours / p50.same).toFixed(2)}×`,
      `${(p50.ours / p50.exact).toFixed(2)}×`,
      oursRun!.recall.toFixed(3),
    ]);
    if (workload.key === 'metadata1')
      targets.push({
        target: `p50 ≤ raw exact SQL's, ${workload.name}, PGlite in process`,
        measured: `${p50.ours.toFixed(2)} vs ${p50.exact.toFixed(2)} ms (${(p50.ours / p50.exact).toFixed(2)}×)`,
        holds: p50.ours <= p50.exact,
      });
    targets.push({
      target: `p50 ≤ ${OVERHEAD_LIMIT}× the same SQL, ${workload.name}, PGlite in process`,
      measured: `${(p50.ours / p50.same).toFixed(2)}× (${p50.ours.toFixed(2)} vs ${p50.same.toFixed(2)} ms)`,
      holds: p50.ours / p50.same <= OVERHEAD_LIMIT,
    });
  }
  return {
    table: {
      title:
        'PGlite in process (the embedded database the CLI uses): ours with its binary query vector, the same plan sent by hand and raw exact SQL through the same instance’s query(), the vector as text, interleaved',
      headers: [
        'workload',
        'ours ran',
        'ours p50 ms',
        'same SQL p50 ms',
        'raw exact p50 ms',
        'ours ÷ same SQL',
        'ours ÷ raw exact',
        'ours recall@10',
      ],
      rows,
    },
    targets,
  };
}
