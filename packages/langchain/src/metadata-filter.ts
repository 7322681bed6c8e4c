// LangChain metadata filters mapped onto the filter language of @dynamic-embeddings/db. A
// Document's metadata is stored in the row's `metadata` column, so every condition becomes JSONB
// containment there; what containment cannot express is an error, never silently ignored.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import type { Filter } from '@dynamic-embeddings/pipeline';

/**
 * A filter over Document metadata. Each key is a metadata key whose value must match:
 * a JSON value (equal; an array matches arrays holding its items, an object matches objects
 * holding its keys), `{ $eq: value }`, or `{ $in: [values] }` (any of them). `$and` / `$or` take
 * lists of filters. Any other `$` key or operator is INVALID_METADATA_FILTER.
 */
export interface MetadataFilter {
  readonly $and?: readonly MetadataFilter[];
  readonly $or?: readonly MetadataFilter[];
  readonly [key: string]: unknown;
}

const operators = ['$eq', '$in'];

function invalid(message: string, key: string): DjeError {
  return createError({
    code: 'INVALID_METADATA_FILTER',
    message: `Invalid metadata filter: ${message}. Metadata keys take a JSON value, { $eq: value } or { $in: [values] }; combine filters with $and / $or.`,
    details: { key },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const contains = (key: string, value: unknown): Filter => ({ metadata: { $contains: { [key]: value } } });

function operatorCondition(key: string, operator: string, operand: unknown): Filter {
  if (operator === '$eq') return contains(key, operand);
  if (operator === '$in') {
    if (!Array.isArray(operand) || operand.length === 0)
      throw invalid(`"${key}.$in" must be a non-empty list`, key);
    return { $or: operand.map((value: unknown) => contains(key, value)) };
  }
  throw invalid(`unknown operator "${operator}" on "${key}" (supported: ${operators.join(', ')})`, key);
}

function keyCondition(key: string, value: unknown): Filter {
  if (key === '$and' || key === '$or') {
    if (!Array.isArray(value) || value.length === 0)
      throw invalid(`"${key}" must be a non-empty list of filters`, key);
    return { [key]: value.map((branch: unknown) => toDatabaseFilter(branch)) };
  }
  if (key.startsWith('$')) throw invalid(`unknown key "${key}"`, key);
  if (!isPlainObject(value) || !Object.keys(value).some((name) => name.startsWith('$')))
    return contains(key, value);
  const conditions = Object.entries(value).map(([operator, operand]) =>
    operatorCondition(key, operator, operand),
  );
  return conditions.length === 1 ? (conditions[0] as Filter) : { $and: conditions };
}

/** The db filter for a metadata filter; `{}` (no condition) for an empty one. */
export function toDatabaseFilter(filter: unknown): Filter {
  if (!isPlainObject(filter)) throw invalid('expected an object', '');
  const conditions = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => keyCondition(key, value));
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? (conditions[0] as Filter) : { $and: conditions };
}
