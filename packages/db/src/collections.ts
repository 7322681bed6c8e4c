// Collections are the logical groups inside a namespace table (its collection_name column).
import { sql } from 'drizzle-orm';
import { type Executor, queryRow, queryRows } from './database.js';
import { collectionNotFound } from './db-errors.js';
import { ident } from './identifiers.js';
import type { NamespaceRecord } from './registry-types.js';
import type { CollectionStats, CollectionSummary } from './vector-store-types.js';

/** Every collection of the namespace with counts, strategies and content types: one query. */
export async function listCollections(
  executor: Pick<Executor, 'execute'>,
  namespace: NamespaceRecord,
): Promise<CollectionSummary[]> {
  return queryRows<CollectionSummary>(
    executor,
    sql`SELECT collection_name,
               count(*)::int AS total_embeddings,
               count(DISTINCT document_id)::int AS document_count,
               array_agg(DISTINCT strategy ORDER BY strategy) AS strategies,
               array_agg(DISTINCT content_type ORDER BY content_type) AS content_types
        FROM ${ident(namespace.table_name)}
        GROUP BY collection_name
        ORDER BY collection_name`,
  );
}

interface StatsRow {
  total_embeddings: number;
  document_count: number;
  strategies: string[];
  content_types: string[];
  strategy_distribution: Record<string, number> | string;
  content_type_distribution: Record<string, number> | string;
  avg_semantic_density: number | null;
  avg_confidence: number | null;
  text_length_min: number | null;
  text_length_max: number | null;
  text_length_avg: number | null;
  total_tokens: number;
}

function jsonObject(value: Record<string, number> | string): Record<string, number> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, number>) : value;
}

/** Counts, distributions and averages of one collection; COLLECTION_NOT_FOUND when it is empty. */
export async function getCollectionStats(
  executor: Pick<Executor, 'execute'>,
  options: { readonly namespace: NamespaceRecord; readonly collectionName: string },
): Promise<CollectionStats> {
  const { namespace, collectionName } = options;
  const row = await queryRow<StatsRow>(
    executor,
    sql`WITH chunks AS (
          SELECT * FROM ${ident(namespace.table_name)} WHERE collection_name = ${collectionName}
        )
        SELECT count(*)::int AS total_embeddings,
               count(DISTINCT document_id)::int AS document_count,
               coalesce(array_agg(DISTINCT strategy ORDER BY strategy), '{}') AS strategies,
               coalesce(array_agg(DISTINCT content_type ORDER BY content_type), '{}') AS content_types,
               (SELECT coalesce(jsonb_object_agg(strategy, count), '{}'::jsonb)
                  FROM (SELECT strategy, count(*)::int AS count FROM chunks GROUP BY strategy) AS counted)
                 AS strategy_distribution,
               (SELECT coalesce(jsonb_object_agg(content_type, count), '{}'::jsonb)
                  FROM (SELECT content_type, count(*)::int AS count FROM chunks GROUP BY content_type) AS counted)
                 AS content_type_distribution,
               avg(semantic_density)::float8 AS avg_semantic_density,
               avg(confidence)::float8 AS avg_confidence,
               min(char_length(text))::int AS text_length_min,
               max(char_length(text))::int AS text_length_max,
               avg(char_length(text))::float8 AS text_length_avg,
               coalesce(sum(token_count), 0)::float8 AS total_tokens
        FROM chunks`,
  );
  if (row === undefined || row.total_embeddings === 0) {
    throw collectionNotFound(namespace.namespace, collectionName);
  }
  return {
    namespace: namespace.namespace,
    collection_name: collectionName,
    total_embeddings: row.total_embeddings,
    document_count: row.document_count,
    strategies: row.strategies,
    content_types: row.content_types,
    strategy_distribution: jsonObject(row.strategy_distribution),
    content_type_distribution: jsonObject(row.content_type_distribution),
    avg_semantic_density: row.avg_semantic_density ?? 0,
    avg_confidence: row.avg_confidence ?? 0,
    text_length: {
      min: row.text_length_min ?? 0,
      max: row.text_length_max ?? 0,
      avg: row.text_length_avg ?? 0,
    },
    total_tokens: row.total_tokens,
  };
}
