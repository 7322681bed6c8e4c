// Checks a vector before it reaches the database, so a bad one is a clear error rather than a
// pgvector message in the middle of a batch (or, for a zero vector, a NaN similarity).
import { createError } from '@dynamic-embeddings/core';
import { dimensionMismatch } from './db-errors.js';
import { vectorTextMaxBytes, writeVectorText } from './float4-text.js';
import type { VectorStorage } from './schema/registry.js';
import { HALFVEC_MAX_VALUE } from './vector-storage.js';

/** The largest magnitude each storage holds: larger ones would become Infinity, which pgvector refuses. */
const MAX_VALUE: Readonly<Record<VectorStorage, number>> = {
  vector: 3.4028234663852886e38,
  halfvec: HALFVEC_MAX_VALUE,
};

export type VectorInput = Float32Array | readonly number[];

/**
 * Throws DIMENSION_MISMATCH or INVALID_VECTOR unless `vector` has `dimensions` finite float4
 * elements and is not all zeros (cosine similarity is undefined for a zero vector). Returns it.
 */
export function assertValidVector(options: {
  readonly vector: unknown;
  readonly dimensions: number;
  /** Default `vector` (float4). */
  readonly storage?: VectorStorage | undefined;
  readonly namespace: string;
  /** Says which vector it is in messages, e.g. `records[3].embedding`. */
  readonly label: string;
}): VectorInput {
  const { vector, dimensions, namespace, label } = options;
  const storage = options.storage ?? 'vector';
  const max = MAX_VALUE[storage];
  if (!(vector instanceof Float32Array) && !Array.isArray(vector)) {
    throw invalidVector(`${label} must be an array of numbers or a Float32Array.`, { field: label });
  }
  if (vector.length !== dimensions) {
    throw dimensionMismatch({
      namespace,
      expected: dimensions,
      actual: vector.length,
      what: label,
      field: label,
    });
  }
  const invalid = firstInvalidElement(vector, max);
  if (invalid >= 0) {
    const value: unknown = vector[invalid];
    throw invalidVector(
      `${label}[${invalid}] is ${String(value)}; every element must be a finite number within ${storage === 'vector' ? 'float4' : 'float16 (halfvec: ±65,504)'} range. Check the embedding provider's output.`,
      { field: label, index: invalid, value: String(value) },
    );
  }
  if (isAllZero(vector)) {
    throw invalidVector(
      `${label} is all zeros; a zero vector has no direction, so its cosine similarity is undefined.`,
      { field: label },
    );
  }
  return vector;
}

/**
 * The index of the first element that is not a number within ±max, or -1. `!(|x| <= max)` also
 * catches NaN and ±Infinity in one comparison; a Float32Array gets its own loop, which V8 keeps
 * monomorphic and free of type checks (this runs over every element of every written vector).
 */
function firstInvalidElement(vector: Float32Array | readonly unknown[], max: number): number {
  if (vector instanceof Float32Array) {
    for (let index = 0; index < vector.length; index++) {
      if (!(Math.abs(vector[index] as number) <= max)) return index;
    }
    return -1;
  }
  for (let index = 0; index < vector.length; index++) {
    const value = vector[index];
    if (typeof value !== 'number' || !(Math.abs(value) <= max)) return index;
  }
  return -1;
}

/** Whether every element is 0 (stops at the first one that is not, usually the first). */
function isAllZero(vector: VectorInput): boolean {
  for (let index = 0; index < vector.length; index++) {
    if (vector[index] !== 0) return false;
  }
  return true;
}

/** INVALID_VECTOR: a vector that is not a finite, non-zero array of numbers. */
function invalidVector(message: string, details: Record<string, unknown>) {
  return createError({ code: 'INVALID_VECTOR', message, details });
}

/** vectorLiteral's buffer, grown to the largest vector written so far. */
let literalBytes = Buffer.allocUnsafe(0);

/**
 * pgvector's text form, `[0x1p+0,0x1p-1,-0x1p+1]` for [1, 0.5, -2], for use as a query parameter
 * cast to `vector` (or halfvec): each element as the float4 PostgreSQL would read, in C99 hexadecimal,
 * which reads back exactly and parses fastest (float4-text.ts).
 */
export function vectorLiteral(vector: VectorInput): string {
  const needed = vectorTextMaxBytes(vector.length);
  if (literalBytes.length < needed) literalBytes = Buffer.allocUnsafe(needed);
  return literalBytes.toString('latin1', 0, writeVectorText(literalBytes, 0, vector));
}

/**
 * A stored vector as numbers. pgvector prints the shortest decimal that identifies each float4, so
 * every element is rounded back to that float4: the same values whichever driver or path read it.
 */
export function parseVector(value: unknown): number[] {
  const elements = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(elements))
    throw new TypeError(`Unexpected vector value from the database: ${typeof value}`);
  return elements.map((element) => Math.fround(Number(element)));
}
