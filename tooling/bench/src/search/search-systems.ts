// The systems the search benchmark compares, behind one shape: a query vector (and optionally a
// filter) in, the data set's row indexes of the results out, most similar first.
import { areDefaultSettings, type NamespaceHandle, type SearchPlan } from '@dynamic-embeddings/db';
import type { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import type { Sql } from 'postgres';
import { rawSearchParameters, rawSearchSql } from './raw-sql.js';

/**
 * Restricts results through the collection_name column (B-tree indexed), or through metadata
 * containment `metadata @> {…}` (GIN indexed in our namespaces).
 */
export type SearchFilter =
  | { readonly kind: 'column'; readonly collection: string }
  | { readonly kind: 'metadata'; readonly metadata: Readonly<Record<string, unknown>> };

export interface SearchQuery {
  readonly vector: Float32Array;
  readonly filter?: SearchFilter;
}

export interface SearchSystem {
  readonly name: string;
  /** Row indexes of the data set (not database ids), as many as the system returned. */
  search(query: SearchQuery): Promise<number[]>;
}

export const RESULT_LIMIT = 10;

/** Rows are stored with chunk_id `row-N`, and in LangChain's metadata as `row: N`. */
export function chunkIdOf(row: number): string {
  return `row-${row}`;
}

export function rowOfChunkId(chunkId: string): number {
  const match = /^row-(\d+)$/.exec(chunkId);
  if (match === null) throw new Error(`unexpected chunk_id ${JSON.stringify(chunkId)}`);
  return Number(match[1]);
}

/** Our search options for a benchmark query: the column filter, or a `$contains` metadata filter. */
export function ourSearchOptions(query: SearchQuery) {
  const { filter } = query;
  return {
    vector: query.vector,
    limit: RESULT_LIMIT,
    ...(filter?.kind === 'column' ? { collectionName: filter.collection } : {}),
    ...(filter?.kind === 'metadata' ? { filters: { metadata: { $contains: filter.metadata } } } : {}),
  };
}

/** Ours: `searchWithPlan` on a namespace handle, remembering each plan it ran with. */
export interface OurSystem extends SearchSystem {
  /** Plans of the searches since the last `plans.length = 0`. */
  readonly plans: SearchPlan[];
}

export function ourSearch(handle: NamespaceHandle): OurSystem {
  const plans: SearchPlan[] = [];
  return {
    name: 'ours (NamespaceHandle.searchWithPlan)',
    plans,
    async search(query) {
      const { results, plan } = await handle.searchWithPlan(ourSearchOptions(query));
      plans.push(plan);
      return results.map(([record]) => rowOfChunkId(record.chunk_id));
    },
  };
}

/**
 * Raw SQL through postgres.js, prepared. `exact` orders by `distance + 0`, which no ANN index
 * serves, so PostgreSQL reads the filtered rows and sorts them. With `settings` (e.g.
 * `hnsw.ef_search`) other than pgvector's defaults, the query runs in a transaction after one
 * `set_config(…, true)` statement, so the settings never leak into the pool.
 */
export function rawSqlSearch(options: {
  readonly name: string;
  readonly sql: Sql;
  readonly tableName: string;
  readonly exact?: boolean;
  /** The exact query in ours' form (see rawSearchSql). */
  readonly subquery?: boolean;
  readonly settings?: Readonly<Record<string, string>>;
}): SearchSystem {
  const { sql, tableName } = options;
  const exact = options.exact === true;
  const subquery = options.subquery === true;
  // Each system's own statement text, hence its own prepared statement: PostgreSQL keeps a
  // prepared statement's generic plan across setting changes, so two systems sharing one text
  // (pgvector's defaults and the same plan with enable_sort = off) would run whichever plan the
  // first one made.
  const tag = `/* ${options.name.replace(/[^A-Za-z0-9 ,.()-]/g, '')} */ `;
  const statements = {
    none: tag + rawSearchSql({ tableName, filter: undefined, exact, subquery }),
    column: tag + rawSearchSql({ tableName, filter: 'column', exact, subquery }),
    metadata: tag + rawSearchSql({ tableName, filter: 'metadata', exact, subquery }),
  };
  const entries = areDefaultSettings(options.settings ?? {}) ? [] : Object.entries(options.settings ?? {});
  const setConfig = entries
    .map((_, index) => `set_config($${index * 2 + 1}, $${index * 2 + 2}, true)`)
    .join(', ');
  const settingParameters = entries.flat();
  const run = async (executor: Sql, query: SearchQuery) => {
    const rows = await executor.unsafe<{ chunk_id: string }[]>(
      statements[query.filter?.kind ?? 'none'],
      rawSearchParameters(query),
      { prepare: true },
    );
    return rows.map((row) => rowOfChunkId(row.chunk_id));
  };
  return {
    name: options.name,
    async search(query) {
      if (entries.length === 0) return run(sql, query);
      return (await sql.begin(async (transaction) => {
        await transaction.unsafe(`SELECT ${setConfig}`, settingParameters, { prepare: true });
        return run(transaction as unknown as Sql, query);
      })) as number[];
    },
  };
}

/**
 * The raw query a plan of ours amounts to, sent by hand: exact plans as the exact query, index
 * plans as the ANN query under the plan's settings. What it leaves out is our planning (the capped
 * count of matching rows) and our JavaScript, which is what the 1.15× target measures.
 */
export function rawWithPlan(options: {
  readonly sql: Sql;
  readonly tableName: string;
  readonly plan: SearchPlan;
}): SearchSystem {
  const { plan } = options;
  return rawSqlSearch({
    name: 'raw SQL, same plan and settings',
    sql: options.sql,
    tableName: options.tableName,
    exact: plan.strategy === 'exact',
    subquery: true,
    settings: plan.strategy === 'exact' ? {} : plan.settings,
  });
}

/** The filter LangChain gets: its metadata `{collection: …}` (it has no collection column). */
export function langChainFilter(filter: SearchFilter | undefined): Record<string, unknown> | undefined {
  if (filter === undefined) return undefined;
  return filter.kind === 'column' ? { collection: filter.collection } : { ...filter.metadata };
}

/** LangChain.js `PGVectorStore.similaritySearchVectorWithScore`, filtering on its metadata. */
export function langChainSearch(store: PGVectorStore): SearchSystem {
  return {
    name: 'LangChain PGVectorStore',
    async search(query) {
      const results = await store.similaritySearchVectorWithScore(
        Array.from(query.vector),
        RESULT_LIMIT,
        langChainFilter(query.filter) as Parameters<PGVectorStore['similaritySearchVectorWithScore']>[2],
      );
      return results.map(([document]) => Number((document.metadata as { row: number }).row));
    },
  };
}
