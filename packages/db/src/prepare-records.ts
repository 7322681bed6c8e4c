// Validates a whole batch of EmbeddingInput before anything is written and turns it into rows with
// every column filled in, so the COPY and INSERT paths write exactly the same values.
import { createHash } from 'node:crypto';
import { invalidRecord } from './db-errors.js';
import { assertValidVector, type VectorInput } from './embedding-vector.js';
import { REQUIRED_COLUMNS, type TextHashMode, VARCHAR_LIMITS } from './namespace-table.js';
import type { VectorStorage } from './schema/registry.js';
import type { ChunkColumns, EmbeddingInput } from './vector-store-types.js';

/** A validated row, in the shape of the namespace table (minus id and timestamps). */
export interface PreparedRow extends Omit<ChunkColumns, 'text_hash'> {
  readonly embedding: VectorInput;
  /**
   * Only when the table's writers supply text_hash (`written`): current tables generate it, and
   * hashing every text in JavaScript would be work the database repeats.
   */
  readonly text_hash?: string;
}

const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

/** sha256 of the text, hex: lets re-ingestion find the stored vector of an unchanged chunk. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function limitOf(field: string): number {
  const limit = VARCHAR_LIMITS[field];
  if (limit === undefined) throw new TypeError(`namespace schema: ${field} is not a varchar column`);
  return limit;
}

class RecordChecker {
  constructor(
    private readonly record: Record<string, unknown>,
    private readonly label: string,
    private readonly index: number,
  ) {}

  fail(field: string, rule: string): never {
    throw invalidRecord(`${this.label}.${field} ${rule}`, { index: this.index, field });
  }

  private string(field: string, maxLength: number, value: unknown, allowEmpty: boolean): string {
    if (typeof value !== 'string') return this.fail(field, `must be a string (got ${typeOf(value)})`);
    if (!allowEmpty && value.length === 0) return this.fail(field, 'must not be empty');
    // varchar(n) counts characters; UTF-16 length is an upper bound, so count only when needed.
    if (value.length > maxLength && [...value].length > maxLength)
      return this.fail(field, `must be at most ${maxLength} characters`);
    if (value.includes('\u0000')) return this.fail(field, 'must not contain NUL (\\u0000) characters');
    return value;
  }

  /** A varchar column's value, within the schema's length limit. */
  requiredString(field: string): string {
    return this.string(field, limitOf(field), this.record[field], false);
  }

  text(field: string): string {
    return this.string(field, Number.POSITIVE_INFINITY, this.record[field], true);
  }

  optionalString(field: string): string | null {
    const value = this.record[field];
    return value === undefined || value === null ? null : this.string(field, limitOf(field), value, true);
  }

  integer(field: string, fallback: number | null): number | null {
    const value = this.record[field];
    if (value === undefined) return fallback;
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < INT4_MIN || value > INT4_MAX)
      return this.fail(field, `must be a whole number within the 32-bit range (got ${String(value)})`);
    return value;
  }

  float(field: string, fallback: number): number | null {
    const value = this.record[field];
    if (value === undefined) return fallback;
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value))
      return this.fail(field, `must be a finite number (got ${String(value)})`);
    return value;
  }

  boolean(field: string, fallback: boolean): boolean | null {
    const value = this.record[field];
    if (value === undefined) return fallback;
    if (value === null) return null;
    if (typeof value !== 'boolean') return this.fail(field, `must be true or false (got ${typeOf(value)})`);
    return value;
  }

  stringArray(field: string): readonly string[] | null {
    const value = this.record[field];
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) return this.fail(field, `must be an array of strings (got ${typeOf(value)})`);
    value.forEach((element, position) => {
      this.string(`${field}[${position}]`, Number.POSITIVE_INFINITY, element, true);
    });
    return value as string[];
  }

  json(field: string): Readonly<Record<string, unknown>> | null {
    const value = this.record[field];
    if (value === undefined || value === null) return null;
    if (!isPlainObject(value)) return this.fail(field, `must be a plain JSON object (got ${typeOf(value)})`);
    let encoded: string;
    try {
      encoded = JSON.stringify(value);
    } catch (error) {
      return this.fail(field, `must be JSON-serialisable (${(error as Error).message})`);
    }
    // jsonb rejects the NUL character even when escaped.
    if (encoded.includes('\\u0000')) return this.fail(field, 'must not contain NUL (\\u0000) characters');
    return value;
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function prepareRecord(options: {
  readonly record: unknown;
  readonly index: number;
  readonly dimensions: number;
  readonly storage: VectorStorage | undefined;
  readonly namespace: string;
  readonly hashText: boolean;
}): PreparedRow {
  const { record, index, dimensions, storage, namespace } = options;
  const label = `records[${index}]`;
  if (!isPlainObject(record)) {
    throw invalidRecord(`${label} must be an object with ${REQUIRED_COLUMNS.join(', ')}`, { index });
  }
  const check = new RecordChecker(record, label, index);
  const text = check.text('text');
  return {
    chunk_id: check.requiredString('chunk_id'),
    document_id: check.requiredString('document_id'),
    collection_name: check.requiredString('collection_name'),
    text,
    ...(options.hashText ? { text_hash: textHash(text) } : {}),
    embedding: assertValidVector({
      vector: record.embedding,
      dimensions,
      storage,
      namespace,
      label: `${label}.embedding`,
    }),
    strategy: check.requiredString('strategy'),
    content_type: check.requiredString('content_type'),
    path: check.optionalString('path'),
    parent_chunk_id: check.optionalString('parent_chunk_id'),
    // Defaults are the column defaults of the namespace DDL, so both write paths agree with it.
    depth_level: check.integer('depth_level', 0),
    hierarchy_level: check.integer('hierarchy_level', 0),
    semantic_density: check.float('semantic_density', 0),
    confidence: check.float('confidence', 1),
    chunk_size: check.integer('chunk_size', null),
    token_count: check.integer('token_count', null),
    key_count: check.integer('key_count', null),
    contains_arrays: check.boolean('contains_arrays', false),
    is_leaf: check.boolean('is_leaf', false),
    domain_tags: check.stringArray('domain_tags'),
    original_keys: check.stringArray('original_keys'),
    metadata: check.json('metadata'),
  };
}

/**
 * Validates every record (throwing INVALID_RECORD, DIMENSION_MISMATCH or INVALID_VECTOR for the
 * first bad one) and returns the rows to write. When a chunk_id repeats, the last record wins, as
 * if the records had been upserted one after another.
 */
export function prepareRecords(options: {
  readonly records: readonly EmbeddingInput[];
  readonly dimensions: number;
  /** Default `vector`. */
  readonly storage?: VectorStorage;
  readonly namespace: string;
  /** `written` when the table's writers supply text_hash; default `generated` (rows leave it out). */
  readonly textHash?: TextHashMode;
}): PreparedRow[] {
  if (!Array.isArray(options.records)) {
    throw invalidRecord('records must be an array of embedding records');
  }
  const byChunkId = new Map<string, PreparedRow>();
  options.records.forEach((record, index) => {
    const row = prepareRecord({
      record,
      index,
      dimensions: options.dimensions,
      storage: options.storage,
      namespace: options.namespace,
      hashText: options.textHash === 'written',
    });
    // Delete first so a repeated chunk_id takes the position of its last occurrence.
    byChunkId.delete(row.chunk_id);
    byChunkId.set(row.chunk_id, row);
  });
  return [...byChunkId.values()];
}
