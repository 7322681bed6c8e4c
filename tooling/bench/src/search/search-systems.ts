// The systems the search benchmark compares, behind one shape: a query vector (and optionally a
// collection to filter to) in, the data set's row indexes of the results out, most similar first.
import type { VectorStore } from '@dynamic-embeddings/db';
import type { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import type { Sql } from 'postgres';

/**
 * Restricts results to one collection, either through the collection_name column (B-tree indexed)
 * or through the rows' metadata `{"collection": …}` (not indexed), the only way LangChain has.
 */
export interface CollectionFilter {
  readonly collection: string;
  readonly via: 'column' | 'metadata';
}

export interface SearchQuery {
  readonly vector: Float32Array;
  readonly filter?: CollectionFilter;
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

/** pgvector's text input format, `[x,y,…]`. */
export function vectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.prototype.join.call(vector, ',')}]`;
}

/** `VectorStore.similaritySearch` from @dynamic-embeddings/db. */
export function ourSearch(store: VectorStore): SearchSystem {
  return {
    name: 'VectorStore.similaritySearch',
    async search(query) {
      const { filter } = query;
      const results = await store.similaritySearch({
        vector: query.vector,
        limit: RESULT_LIMIT,
        ...(filter?.via === 'column' ? { collectionName: filter.collection } : {}),
        ...(filter?.via === 'metadata'
          ? { filters: { metadata: { $contains: { collection: filter.collection } } } }
          : {}),
      });
      return results.map(([record]) => rowOfChunkId(record.chunk_id));
    },
  };
}

/**
 * Every column a VectorStore result carries except the vector, so the raw query moves the same
 * payload over the wire as ours and the comparison isolates the library's own overhead.
 */
const RESULT_COLUMNS = [
  'id',
  'chunk_id',
  'document_id',
  'collection_name',
  'text',
  'text_hash',
  'strategy',
  'content_type',
  'path',
  'parent_chunk_id',
  'depth_level',
  'hierarchy_level',
  'semantic_density',
  'confidence',
  'chunk_size',
  'token_count',
  'key_count',
  'contains_arrays',
  'is_leaf',
  'domain_tags',
  'original_keys',
  'metadata',
  'created_at',
  'updated_at',
].join(', ');

/**
 * The hand-written query: `ORDER BY embedding <=> $1 LIMIT 10`, with `WHERE collection_name = $2`
 * or `WHERE metadata @> $2` (the condition ours compiles a metadata filter to) when filtered.
 */
export function rawSearchSql(options: {
  readonly tableName: string;
  readonly filter: CollectionFilter['via'] | undefined;
}): string {
  const where =
    options.filter === 'column'
      ? 'WHERE collection_name = $2 '
      : options.filter === 'metadata'
        ? 'WHERE metadata @> $2::jsonb '
        : '';
  // The table name is the benchmark's own constant (validated by the db package), not user input.
  return `SELECT ${RESULT_COLUMNS}, embedding <=> $1::vector AS distance FROM "${options.tableName}" ${where}ORDER BY embedding <=> $1::vector LIMIT ${RESULT_LIMIT}`;
}

/** Parameters of rawSearchSql for a query. */
export function rawSearchParameters(query: SearchQuery): string[] {
  const { filter } = query;
  const vector = vectorLiteral(query.vector);
  if (filter === undefined) return [vector];
  return [
    vector,
    filter.via === 'column' ? filter.collection : JSON.stringify({ collection: filter.collection }),
  ];
}

/**
 * Raw SQL through postgres.js. With `settings` (e.g. `hnsw.ef_search`), the query runs in a
 * transaction after one `set_config(…, true)` statement, so the settings never leak into the pool;
 * without, it is a single round trip with pgvector's defaults.
 */
export function rawSqlSearch(options: {
  readonly name: string;
  readonly sql: Sql;
  readonly tableName: string;
  readonly settings?: Readonly<Record<string, string>>;
}): SearchSystem {
  const { sql, tableName, settings } = options;
  const queries = {
    none: rawSearchSql({ tableName, filter: undefined }),
    column: rawSearchSql({ tableName, filter: 'column' }),
    metadata: rawSearchSql({ tableName, filter: 'metadata' }),
  };
  const entries = Object.entries(settings ?? {});
  const setConfig = entries
    .map((_, index) => `set_config($${index * 2 + 1}, $${index * 2 + 2}, true)`)
    .join(', ');
  const settingParameters = entries.flat();
  const run = async (executor: Sql, query: SearchQuery) => {
    const rows = await executor.unsafe<{ chunk_id: string }[]>(
      queries[query.filter?.via ?? 'none'],
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
        await transaction.unsafe(`SELECT ${setConfig}`, settingParameters);
        return run(transaction as unknown as Sql, query);
      })) as number[];
    },
  };
}

/** LangChain.js `PGVectorStore.similaritySearchVectorWithScore`, filtering on its metadata. */
export function langChainSearch(store: PGVectorStore): SearchSystem {
  return {
    name: 'LangChain PGVectorStore',
    async search(query) {
      const results = await store.similaritySearchVectorWithScore(
        Array.from(query.vector),
        RESULT_LIMIT,
        query.filter === undefined ? undefined : { collection: query.filter.collection },
      );
      return results.map(([document]) => Number((document.metadata as { row: number }).row));
    },
  };
}
