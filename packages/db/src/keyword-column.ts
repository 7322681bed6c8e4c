// The keyword index of a namespace table: a generated `tsvector` over the chunk text, with a GIN
// index, in the namespace's text search configuration. JSON text is full of identifiers
// (`cmp_1042`, `john.doe@acme.io`, UUIDs, `campaign.budget.daily`, `campaignId`), so the vector
// holds the text twice: as PostgreSQL's parser reads it (emails, hosts and hyphenated words whole;
// `cmp_1042` as the adjacent pair cmp, 1042, which a query for `cmp_1042` matches as a phrase) and
// split at every non-alphanumeric character and camelCase boundary, so each part matches alone.
import { createError } from '@dynamic-embeddings/core';
import { type SQL, sql } from 'drizzle-orm';
import { customType } from 'drizzle-orm/pg-core';
import { type Executor, queryRow } from './database.js';
import { assertIdentifier, ident } from './identifiers.js';

/** `simple`: no stemming and no stop words, so any language and any identifier matches as typed. */
export const DEFAULT_TEXT_SEARCH_CONFIG = 'simple';

/** The column's name in every namespace table. */
export const KEYWORDS_COLUMN = 'keywords';

/** PostgreSQL's `tsvector`; read as its text form (never selected by searches). */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The configuration as a `regconfig` constant for DDL (a generated column takes no parameters):
 * the name is checked to be a plain identifier first, so nothing but [a-z0-9_] reaches the text.
 */
export function regconfigConstant(config: string): SQL {
  assertIdentifier(config);
  return sql.raw(`'${config}'::regconfig`);
}

/**
 * The generated column's expression over `text`. Both functions are IMMUTABLE with an explicit
 * configuration, as a generated column requires.
 */
export function keywordsExpression(config: string): SQL {
  const regconfig = regconfigConstant(config);
  const parts = sql.raw(
    `regexp_replace(regexp_replace(text, '([[:lower:][:digit:]])([[:upper:]])', '\\1 \\2', 'g'), '[^[:alnum:]]+', ' ', 'g')`,
  );
  return sql`to_tsvector(${regconfig}, text) || to_tsvector(${regconfig}, ${parts})`;
}

/** The configuration named, checked to exist in the database (INVALID_TEXT_SEARCH_CONFIG otherwise). */
export async function validateTextSearchConfig(
  executor: Pick<Executor, 'execute'>,
  config: unknown,
): Promise<string> {
  const fail = (why: string) =>
    createError({
      code: 'INVALID_TEXT_SEARCH_CONFIG',
      message: `Unknown text search configuration ${JSON.stringify(config)}: ${why}. Use simple (the default: any language, no stemming) or a PostgreSQL configuration such as english or german.`,
      details: { text_search_config: config },
    });
  if (typeof config !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(config)) throw fail('not a name');
  const row = await queryRow<{ found: boolean }>(
    executor,
    sql`SELECT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = ${config}) AS found`,
  );
  if (row?.found !== true) throw fail('the database has no such configuration');
  return config;
}

/** Adds the keyword column to a table created before it (rewrites the table; idempotent). */
export function addKeywordsColumnSql(tableName: string, config: string): SQL {
  return sql`ALTER TABLE ${ident(tableName)} ADD COLUMN IF NOT EXISTS ${ident(KEYWORDS_COLUMN)} tsvector GENERATED ALWAYS AS (${keywordsExpression(config)}) STORED`;
}
