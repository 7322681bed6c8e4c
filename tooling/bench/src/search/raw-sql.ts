// The hand-written search statement the benchmark compares ours with, and its parameters.
import type { SearchQuery } from './search-systems.js';

/**
 * Every column a search result of ours carries except the vector, so the raw query moves the same
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

/** pgvector's text input format, `[x,y,…]`. */
export function vectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.prototype.join.call(vector, ',')}]`;
}

/**
 * `ORDER BY embedding <=> $1 LIMIT 10` (through the ANN index), or with `exact`
 * `ORDER BY (embedding <=> $1) + 0, id` (an expression no ANN index serves: the filtered rows are
 * read and sorted); with `WHERE collection_name = $2` or `WHERE metadata @> $2` when filtered.
 * `subquery` writes the exact query as ours does: the filtered rows' ids with their distances in a
 * subquery that `OFFSET 0` keeps apart, the nearest 10 of them ordered by that distance (each
 * distance computed once), and their records joined by id.
 */
export function rawSearchSql(options: {
  readonly tableName: string;
  readonly filter: 'column' | 'metadata' | undefined;
  readonly exact?: boolean;
  readonly subquery?: boolean;
}): string {
  const where =
    options.filter === 'column'
      ? 'WHERE collection_name = $2 '
      : options.filter === 'metadata'
        ? 'WHERE metadata @> $2::jsonb '
        : '';
  // The table name is the benchmark's own constant (validated by the db package), not user input.
  const select = `SELECT ${RESULT_COLUMNS}, embedding <=> $1::vector AS distance FROM "${options.tableName}" ${where}`;
  if (options.exact === true && options.subquery === true) {
    const scanned = `SELECT id, embedding <=> $1::vector AS distance FROM "${options.tableName}" ${where}OFFSET 0`;
    const nearest = `SELECT id, distance FROM (${scanned}) AS scanned ORDER BY distance, id LIMIT 10`;
    const columns = RESULT_COLUMNS.split(', ')
      .map((column) => `t.${column}`)
      .join(', ');
    return `SELECT ${columns}, nearest.distance FROM (${nearest}) AS nearest JOIN "${options.tableName}" AS t ON t.id = nearest.id ORDER BY nearest.distance, nearest.id`;
  }
  const order = options.exact === true ? '(embedding <=> $1::vector) + 0, id' : 'embedding <=> $1::vector';
  return `${select}ORDER BY ${order} LIMIT 10`;
}

/** Parameters of rawSearchSql for a query. */
export function rawSearchParameters(query: SearchQuery): string[] {
  const { filter } = query;
  const vector = vectorLiteral(query.vector);
  if (filter === undefined) return [vector];
  return [vector, filter.kind === 'column' ? filter.collection : JSON.stringify(filter.metadata)];
}
