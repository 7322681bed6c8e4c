// Search filters: a zod-validated object over whitelisted columns, compiled to parameterised SQL.
// Field names map to fixed table columns; values only ever become query parameters.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import {
  and,
  arrayContains,
  arrayOverlaps,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { NamespaceTable } from './namespace-table.js';

/** `$eq`/`$ne` (null means IS NULL / IS NOT NULL), `$in`/`$nin` (lists of values). */
export interface ComparisonOperators<Value> {
  readonly $eq?: Value | null;
  readonly $ne?: Value | null;
  readonly $in?: readonly Value[];
  readonly $nin?: readonly Value[];
}

export interface RangeOperators {
  readonly $gt?: number;
  readonly $gte?: number;
  readonly $lt?: number;
  readonly $lte?: number;
}

/** A bare value means `$eq`. */
export type StringCondition = string | null | ComparisonOperators<string>;
/** `$prefix` matches paths that start with the given text (no wildcards). */
export type PathCondition = string | null | (ComparisonOperators<string> & { readonly $prefix?: string });
export type NumberCondition = number | null | (ComparisonOperators<number> & RangeOperators);
export type BooleanCondition = boolean | null | ComparisonOperators<boolean>;
/** `$any`: the chunk has at least one of the tags; `$all`: it has every one of them. */
export interface TagsCondition {
  readonly $any?: readonly string[];
  readonly $all?: readonly string[];
}
/** `$contains`: JSONB containment (`metadata @> value`). */
export interface MetadataCondition {
  readonly $contains: Readonly<Record<string, unknown>>;
}

/** A search filter. Several keys in one object must all hold; `$or` needs one branch to hold. */
export interface Filter {
  readonly document_id?: StringCondition;
  readonly strategy?: StringCondition;
  readonly content_type?: StringCondition;
  readonly path?: PathCondition;
  readonly depth_level?: NumberCondition;
  readonly hierarchy_level?: NumberCondition;
  readonly semantic_density?: NumberCondition;
  readonly is_leaf?: BooleanCondition;
  readonly contains_arrays?: BooleanCondition;
  readonly domain_tags?: TagsCondition;
  readonly metadata?: MetadataCondition;
  readonly $and?: readonly Filter[];
  readonly $or?: readonly Filter[];
}

/** Columns a filter may name. */
export const FILTER_FIELDS = [
  'document_id',
  'strategy',
  'content_type',
  'path',
  'depth_level',
  'hierarchy_level',
  'semantic_density',
  'is_leaf',
  'contains_arrays',
  'domain_tags',
  'metadata',
] as const satisfies readonly (keyof Filter)[];

const MAX_LIST_LENGTH = 1000;
const MAX_BRANCHES = 100;
/** Bounds the nesting so a hostile filter cannot exhaust the stack or build a huge query. */
const MAX_DEPTH = 16;

const filterString = z
  .string()
  .max(4096)
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL (\\u0000) characters');

function list<Value extends z.ZodType>(value: Value) {
  return z.array(value).max(MAX_LIST_LENGTH).readonly().optional();
}

function comparisonShape<Value extends z.ZodType>(value: Value) {
  return {
    $eq: value.nullable().optional(),
    $ne: value.nullable().optional(),
    $in: list(value),
    $nin: list(value),
  };
}

const rangeShape = {
  $gt: z.number().optional(),
  $gte: z.number().optional(),
  $lt: z.number().optional(),
  $lte: z.number().optional(),
};

/** An operator object for one field kind; a bare scalar is read as `{ $eq: value }`. */
function fieldCondition<Shape extends z.core.$ZodLooseShape>(options: {
  readonly kind: string;
  readonly shape: Shape;
  /** The JavaScript type of a bare value (read as `$eq`), or undefined when there is none. */
  readonly bareType?: 'string' | 'number' | 'boolean';
}) {
  const operators = Object.keys(options.shape);
  const { bareType } = options;
  const expected = `${bareType === undefined ? '' : `a ${options.kind} value, null, or `}an object with ${operators.join(', ')}`;
  const object = z
    .strictObject(options.shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown operator ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; ${options.kind} fields take ${operators.join(', ')}`
          : issue.code === 'invalid_type'
            ? `expected ${expected}`
            : undefined,
    })
    .refine((value) => Object.values(value).some((operand) => operand !== undefined), {
      message: `give at least one operator: ${operators.join(', ')}`,
    });
  if (bareType === undefined) return object.optional();
  // Only a value of the field's type becomes `$eq`; anything else fails as itself, at the field.
  const isBare = (value: unknown) => value === null || typeof value === bareType;
  return z.preprocess((value) => (isBare(value) ? { $eq: value } : value), object).optional();
}

const stringField = () =>
  fieldCondition({ kind: 'string', shape: comparisonShape(filterString), bareType: 'string' });
const numberField = () =>
  fieldCondition({
    kind: 'number',
    shape: { ...comparisonShape(z.number()), ...rangeShape },
    bareType: 'number',
  });
const booleanField = () =>
  fieldCondition({ kind: 'boolean', shape: comparisonShape(z.boolean()), bareType: 'boolean' });
const tagList = z.array(filterString).min(1).max(MAX_LIST_LENGTH).readonly().optional();

const fieldSchemas = {
  document_id: stringField(),
  strategy: stringField(),
  content_type: stringField(),
  path: fieldCondition({
    kind: 'path',
    shape: { ...comparisonShape(filterString), $prefix: filterString.optional() },
    bareType: 'string',
  }),
  depth_level: numberField(),
  hierarchy_level: numberField(),
  semantic_density: numberField(),
  is_leaf: booleanField(),
  contains_arrays: booleanField(),
  domain_tags: fieldCondition({ kind: 'tag list', shape: { $any: tagList, $all: tagList } }),
  metadata: fieldCondition({ kind: 'JSON', shape: { $contains: z.record(z.string(), z.json()) } }),
};

const allowedKeys = [...FILTER_FIELDS, '$and', '$or'];

/** The validated filter: every field condition is an operator object. */
type ParsedFilter = {
  readonly [Field in keyof typeof fieldSchemas]?: z.output<(typeof fieldSchemas)[Field]>;
} & {
  readonly $and?: readonly ParsedFilter[];
  readonly $or?: readonly ParsedFilter[];
};

/** The zod schema of a Filter (bare values are normalised to `{ $eq: value }`). */
export const filterSchema: z.ZodType<ParsedFilter> = z.lazy(() =>
  z.strictObject(
    {
      ...fieldSchemas,
      $and: z.array(filterSchema).min(1).max(MAX_BRANCHES).readonly().optional(),
      $or: z.array(filterSchema).min(1).max(MAX_BRANCHES).readonly().optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown filter key ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; filters may use ${allowedKeys.join(', ')}`
          : issue.code === 'invalid_type'
            ? 'expected a filter object'
            : undefined,
    },
  ),
);

function invalidFilter(message: string, details: Record<string, unknown>): DjeError {
  return createError({
    code: 'INVALID_FILTER',
    message: `Invalid filter: ${message}. See the filter reference in the @dynamic-embeddings/db README.`,
    details,
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`),
    '',
  );
}

function assertDepth(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH)
    throw invalidFilter(`it is nested more than ${MAX_DEPTH} levels deep`, { maxDepth: MAX_DEPTH });
  if (typeof value !== 'object' || value === null) return;
  for (const child of Object.values(value)) assertDepth(child, depth + 1);
}

/** Validates a filter from any source; throws INVALID_FILTER naming the offending key. */
export function parseFilter(input: unknown): ParsedFilter {
  assertDepth(input, 0);
  const result = filterSchema.safeParse(input);
  if (result.success) return result.data;
  // An unknown key explains a mistake better than the missing operator it displaced.
  const issues = result.error.issues;
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0];
  const path = formatPath(issue?.path ?? []);
  const keys = issue?.code === 'unrecognized_keys' ? issue.keys : undefined;
  const key = keys?.[0] ?? path;
  throw invalidFilter(`${path === '' ? '' : `at "${path}": `}${issue?.message ?? 'not a valid filter'}`, {
    key,
    path,
    ...(keys === undefined ? {} : { unknownKeys: keys }),
  });
}

type Operators = Record<string, unknown>;

function compileField(column: PgColumn, operators: Operators): SQL[] {
  const conditions: SQL[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    if (operand === undefined) continue;
    switch (operator) {
      case '$eq':
        conditions.push(operand === null ? isNull(column) : eq(column, operand));
        break;
      case '$ne':
        // IS DISTINCT FROM keeps rows whose column is NULL, as "not equal to x" suggests.
        conditions.push(
          operand === null
            ? isNotNull(column)
            : sql`${column} IS DISTINCT FROM ${sql.param(operand, column)}`,
        );
        break;
      case '$in':
        conditions.push(inArray(column, operand as unknown[]));
        break;
      case '$nin': {
        const values = operand as unknown[];
        if (values.length > 0) conditions.push(or(isNull(column), notInArray(column, values)) as SQL);
        break;
      }
      case '$gt':
        conditions.push(gt(column, operand));
        break;
      case '$gte':
        conditions.push(gte(column, operand));
        break;
      case '$lt':
        conditions.push(lt(column, operand));
        break;
      case '$lte':
        conditions.push(lte(column, operand));
        break;
      case '$prefix':
        // starts_with takes the prefix literally: no LIKE wildcards to escape.
        conditions.push(sql`starts_with(${column}, ${operand as string})`);
        break;
      case '$any':
        conditions.push(arrayOverlaps(column, operand as string[]));
        break;
      case '$all':
        conditions.push(arrayContains(column, operand as string[]));
        break;
      case '$contains':
        conditions.push(sql`${column} @> ${JSON.stringify(operand)}::jsonb`);
        break;
      default:
        throw invalidFilter(`unknown operator "${operator}"`, { key: operator });
    }
  }
  return conditions;
}

function compileParsed(table: NamespaceTable, filter: ParsedFilter): SQL | undefined {
  const conditions: SQL[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === '$and') {
      const branches = (value as ParsedFilter[]).map((branch) => compileParsed(table, branch) ?? sql`true`);
      conditions.push(and(...branches) as SQL);
    } else if (key === '$or') {
      const branches = (value as ParsedFilter[]).map((branch) => compileParsed(table, branch) ?? sql`true`);
      conditions.push(or(...branches) as SQL);
    } else {
      const column = table[key as (typeof FILTER_FIELDS)[number]];
      conditions.push(...compileField(column, value as Operators));
    }
  }
  if (conditions.length === 0) return undefined;
  return conditions.length === 1 ? conditions[0] : and(...conditions);
}

/**
 * Validates `filter` and compiles it to a WHERE condition on `table`, or undefined for an empty
 * filter. Throws INVALID_FILTER for unknown keys, unknown operators and ill-typed values.
 */
export function compileFilter(table: NamespaceTable, filter: unknown): SQL | undefined {
  return compileParsed(table, parseFilter(filter));
}

/**
 * compileFilter for a destructive statement: an empty filter would match every row, so it is
 * INVALID_FILTER here rather than "delete everything".
 */
export function compileRequiredFilter(table: NamespaceTable, filter: unknown): SQL {
  const condition = compileFilter(table, filter);
  if (condition !== undefined) return condition;
  throw invalidFilter('it has no condition, and an empty filter would match every row', { key: '' });
}
