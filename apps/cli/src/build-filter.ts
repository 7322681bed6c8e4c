// Search filters from the command line. `--filter key=value` is the quick form (dotted keys nest:
// `metadata.region=EU`, `depth_level.$gte=2`); `--where` takes the library's JSON filter as is.
// Everything is AND-ed; which columns and operators exist is the db package's call, not ours.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import type { Filter } from '@dynamic-embeddings/pipeline';

/** `true`/`false` → boolean, numbers → number, `"…"` → the quoted string, anything else as typed. */
export function parseFilterValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function parseFilterOption(option: string): Record<string, unknown> {
  const separator = option.indexOf('=');
  const key = separator === -1 ? '' : option.slice(0, separator).trim();
  const path = key.split('.');
  if (separator === -1 || path.some((part) => part === '')) {
    throw createError({
      code: 'INVALID_FILTER_OPTION',
      message: `--filter "${option}" is not key=value. Examples: --filter strategy=flat, --filter depth_level.$gte=2, --filter metadata.region=EU.`,
      details: { filter: option },
    });
  }
  let value: unknown = parseFilterValue(option.slice(separator + 1));
  for (const part of path.reverse()) value = { [part]: value };
  return value as Record<string, unknown>;
}

function invalidWhere(message: string): DjeError {
  return createError({ code: 'INVALID_WHERE', message });
}

export function parseWhereOption(where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(where);
  } catch (error) {
    throw invalidWhere(
      `--where is not valid JSON (${(error as Error).message}). Example: --where '{"depth_level":{"$gte":2},"strategy":{"$in":["flat","semantic"]}}'.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidWhere(
      `--where must be a JSON object such as '{"strategy":"flat"}'; got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}.`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** One filter from every --filter and --where, or undefined when there are none. */
export function buildFilter(options: {
  readonly filters: readonly string[];
  readonly where: string | undefined;
}): Filter | undefined {
  const parts = options.filters.map(parseFilterOption);
  if (options.where !== undefined) parts.push(parseWhereOption(options.where));
  if (parts.length === 0) return undefined;
  return (parts.length === 1 ? parts[0] : { $and: parts }) as Filter;
}
