// The keyword leg of a search: rows whose keyword column matches the query, ranked by ts_rank_cd.
// The query text is a parameter, parsed by websearch_to_tsquery: it never fails on syntax, words
// are ANDed, "quoted words" are a phrase, -word excludes, `or` is OR, and any other punctuation
// (', &, |, !, :) is just a separator — so no query string can produce an SQL error.
import { and, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { queryRow } from './database.js';
import { recordColumns, recordOmitting } from './embedding-record.js';
import type { NamespaceTable } from './namespace-table.js';
import type { EmbeddingRecord } from './vector-store-types.js';

type QueryRunner = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/**
 * ts_rank_cd's normalization 1 divides by 1 + log(document length): chunks range from one leaf
 * value to a whole object, and without it a large chunk outranks the leaf that is the answer
 * just by repeating the term.
 */
const RANK_NORMALIZATION = 1;

/** The keyword leg in the plan `explain` returns. */
export interface KeywordPlan {
  /** The text search configuration the query was parsed with and the column was built with. */
  readonly text_search_config: string;
  /** The query as PostgreSQL parsed it (`websearch_to_tsquery`); empty when it has no words. */
  readonly tsquery: string;
  /** Rows this leg returned (at most `candidates`). */
  readonly matched_rows: number;
  /** Rows asked of this leg. */
  readonly candidates: number;
}

export interface KeywordHit {
  readonly record: EmbeddingRecord;
  readonly keyword_score: number;
  /** Cosine similarity to the query vector, when one was given. */
  readonly similarity?: number;
}

export interface KeywordLegOptions {
  readonly table: NamespaceTable;
  readonly config: string;
  readonly query: string;
  /** The collection and filter conditions, the same as the vector leg's. */
  readonly where: SQL | undefined;
  readonly limit: number;
  readonly includeVectors: boolean;
  /** The query vector, typed as the embedding column: each hit then carries its similarity. */
  readonly vector?: SQL | undefined;
  /** With a vector: only rows at least this similar, as in the vector leg. */
  readonly threshold?: number | undefined;
}

/** The columns the keyword query adds to the record's. */
const KEYWORD_COLUMNS: ReadonlySet<string> = new Set(['keyword_score', 'similarity', 'parsed']);

/** The `limit` best keyword matches (score, then id) and the leg's plan. */
export async function searchKeywords(
  runner: QueryRunner,
  options: KeywordLegOptions,
): Promise<{ readonly hits: KeywordHit[]; readonly plan: KeywordPlan }> {
  const { table, limit } = options;
  const tsquery = sql`websearch_to_tsquery(${options.config}::regconfig, ${options.query})`;
  const score = sql<number>`ts_rank_cd(${table.keywords}, ${tsquery}, ${sql.raw(String(RANK_NORMALIZATION))})`;
  const similarity =
    options.vector === undefined
      ? sql<number | null>`NULL::float8`
      : sql<number | null>`1 - (${table.embedding} <=> ${options.vector})`;
  const rows = await runner
    .select({
      ...recordColumns(table, options.includeVectors),
      keyword_score: score.as('keyword_score'),
      similarity: similarity.as('similarity'),
      parsed: sql<string>`${tsquery}::text`.as('parsed'),
    })
    .from(table)
    .where(
      and(
        sql`${table.keywords} @@ ${tsquery}`,
        options.where,
        options.vector === undefined || options.threshold === undefined
          ? undefined
          : sql`${similarity} >= ${options.threshold}`,
      ),
    )
    .orderBy(sql`keyword_score DESC`, table.id)
    .limit(limit);
  const parsed =
    rows[0]?.parsed ??
    (await queryRow<{ parsed: string }>(runner, sql`SELECT ${tsquery}::text AS parsed`))?.parsed ??
    '';
  const hits = rows.map((row): KeywordHit => {
    const { keyword_score, similarity: rowSimilarity } = row;
    return {
      record: recordOmitting(row, KEYWORD_COLUMNS),
      keyword_score: Number(keyword_score),
      ...(rowSimilarity === null ? {} : { similarity: Number(rowSimilarity) }),
    };
  });
  return {
    hits,
    plan: {
      text_search_config: options.config,
      tsquery: parsed,
      matched_rows: hits.length,
      candidates: limit,
    },
  };
}
