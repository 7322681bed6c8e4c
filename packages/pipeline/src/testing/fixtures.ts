// Test helper: the repository's example documents, and small facts about stored rows.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EmbeddingRecord } from '@dynamic-embeddings/db';

export const examplesDir = fileURLToPath(new URL('../../../../examples/', import.meta.url));

export const exampleNames = [
  'campaigns',
  'analytics-report',
  'sensor-data',
  'products',
  'app-config',
] as const;

export function examplePath(name: (typeof exampleNames)[number]): string {
  return `${examplesDir}${name}.json`;
}

/** A fresh parsed copy of an example document, safe to modify. */
export function loadExample(name: (typeof exampleNames)[number]): Record<string, unknown> {
  return JSON.parse(readFileSync(examplePath(name), 'utf8')) as Record<string, unknown>;
}

/** What identifies a stored row's content, sorted by chunk id: for before/after comparisons. */
export function rowSnapshot(rows: readonly EmbeddingRecord[]) {
  return rows
    .map((row) => ({ chunk_id: row.chunk_id, text: row.text, updated_at: row.updated_at }))
    .sort((a, b) => a.chunk_id.localeCompare(b.chunk_id));
}
