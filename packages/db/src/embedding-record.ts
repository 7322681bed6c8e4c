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

/** A selected row as an EmbeddingRecord: timestamps as ISO strings, the vector only when selected. */
export function toEmbeddingRecord(row: Record<string, unknown>): EmbeddingRecord {
  const { embedding, created_at, updated_at, ...rest } = row;
  return {
    ...(rest as Omit<EmbeddingRecord, 'embedding' | 'created_at' | 'updated_at'>),
    ...(embedding === undefined ? {} : { embedding: parseVector(embedding) }),
    created_at: isoString(created_at),
    updated_at: isoString(updated_at),
  };
}
