// A search's filter compiled once per table and filter: validating a filter object with zod and
// compiling it, then writing its SQL out to key the connection's memos (filter-estimate.ts), cost
// about 0.15 ms per search — as much as the database spends on a small exact search — for a filter
// an application sends again and again (a tenant, a category).
import type { SQL } from 'drizzle-orm';
import { remember } from './filter-estimate.js';
import { compileFilter } from './filters.js';
import type { NamespaceTable } from './namespace-table.js';

export interface CompiledFilter {
  readonly where: SQL | undefined;
  /** Identifies the filter on its table (the filter as canonical JSON), when it is plain JSON. */
  readonly key: string | undefined;
}

const compiled = new WeakMap<NamespaceTable, Map<string, CompiledFilter>>();

/**
 * `value` as JSON when JSON says exactly what it holds: plain objects (own string keys), arrays
 * without holes, strings, booleans, null and finite numbers other than -0. Anything else —
 * undefined, a Date, a class instance, NaN, a symbol key — has no faithful JSON, so it is not a key:
 * such a filter is compiled (and refused or accepted) afresh each time.
 */
export function plainJson(value: unknown): string | undefined {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    return Number.isFinite(value) && !Object.is(value, -0) ? JSON.stringify(value) : undefined;
  }
  if (typeof value !== 'object') return undefined;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!(index in value)) return undefined;
      const part = plainJson(value[index]);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  for (const [name, entry] of Object.entries(value)) {
    const part = plainJson(entry);
    if (part === undefined) return undefined;
    parts.push(`${JSON.stringify(name)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * compileFilter, remembered per table for plain-JSON filters: the same filter is validated and
 * compiled once, from its JSON (so what was compiled is exactly what the key says), and every
 * later search gets the same SQL and key. Invalid filters throw every time (nothing is remembered).
 */
export function compileFilterOnce(table: NamespaceTable, filter: unknown): CompiledFilter {
  const key = plainJson(filter);
  if (key === undefined) return { where: compileFilter(table, filter), key: undefined };
  let byKey = compiled.get(table);
  if (byKey === undefined) {
    byKey = new Map();
    compiled.set(table, byKey);
  }
  const known = byKey.get(key);
  if (known !== undefined) return known;
  const entry = { where: compileFilter(table, JSON.parse(key)), key };
  remember(byKey, key, entry);
  return entry;
}
