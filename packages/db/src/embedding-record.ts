// Maps rows read through a namespace table's Drizzle columns to the EmbeddingRecord shape.
import { getTableColumns } from 'drizzle-orm';
import { parseVector } from './embedding-vector.js';
import type { NamespaceTable } from './namespace-table.js';
import type { EmbeddingRecord } from './vector-store-types.js';

/**
 * The columns to select: all but the keyword index's tsvector (an index, not a field; tables not
 * yet upgraded lack it), and the (large) embedding only when asked for.
 */
export function recordColumns(table: NamespaceTable, includeVectors: boolean) {
  const { embedding, keywords: _keywords, ...rest } = getTableColumns(table);
  return includeVectors ? { ...rest, embedding } : rest;
}

function isoString(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

/** The fields converted (and written last, in this order) rather than copied. */
const CONVERTED = new Set(['embedding', 'created_at', 'updated_at']);

/**
 * A selected row as an EmbeddingRecord: timestamps as ISO strings, the vector only when selected,
 * the row's `omit` columns (a search's distance, counts) left out. One pass that copies each field
 * once: object rest/spread copies of a 24-column row took four times as long, on every result row.
 */
export function recordOmitting(
  row: Readonly<Record<string, unknown>>,
  omit: ReadonlySet<string> | undefined,
): EmbeddingRecord {
  const record: Record<string, unknown> = {};
  for (const key in row) {
    if (!CONVERTED.has(key) && omit?.has(key) !== true) record[key] = row[key];
  }
  if (row.embedding !== undefined) record.embedding = parseVector(row.embedding);
  record.created_at = isoString(row.created_at);
  record.updated_at = isoString(row.updated_at);
  return record as unknown as EmbeddingRecord;
}

/** A selected row (only the record's columns) as an EmbeddingRecord, see recordOmitting. */
export function toEmbeddingRecord(row: Readonly<Record<string, unknown>>): EmbeddingRecord {
  return recordOmitting(row, undefined);
}
