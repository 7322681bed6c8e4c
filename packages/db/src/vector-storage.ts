// How a namespace stores its vectors (pgvector `vector` = float32 or `halfvec` = float16) and which
// ANN indexes pgvector can build over each: checked when a namespace is created, so no namespace
// reaches the row count at which its index is built only to find that it cannot be.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import { type SQL, sql } from 'drizzle-orm';
import type { VectorIndexType, VectorStorage } from './schema/registry.js';

export const VECTOR_STORAGES: readonly VectorStorage[] = ['vector', 'halfvec'];

/**
 * The most dimensions pgvector 0.8 indexes (HNSW and IVFFlat alike) per column type: an index
 * page must hold one whole element.
 */
export const INDEX_MAX_DIMENSIONS: Readonly<Record<VectorStorage, number>> = {
  vector: 2_000,
  halfvec: 4_000,
};

/** The most dimensions pgvector indexes as `bit` (a binary-quantized HNSW index). */
export const BIT_INDEX_MAX_DIMENSIONS = 64_000;

/** The largest magnitude a halfvec element holds (float16's largest finite value). */
export const HALFVEC_MAX_VALUE = 65_504;

/** `vector` while a `vector` index can be built at these dimensions, `halfvec` above that. */
export function defaultStorage(dimensions: number): VectorStorage {
  return dimensions > INDEX_MAX_DIMENSIONS.vector ? 'halfvec' : 'vector';
}

/** The storage named, checked (INVALID_STORAGE otherwise); undefined stays undefined. */
export function validateStorage(value: unknown): VectorStorage | undefined {
  if (value === undefined) return undefined;
  if (!VECTOR_STORAGES.includes(value as VectorStorage)) {
    throw createError({
      code: 'INVALID_STORAGE',
      message: `Unknown vector storage ${JSON.stringify(value)}: use vector (float32) or halfvec (float16, half the size).`,
      details: { storage: value },
    });
  }
  return value as VectorStorage;
}

/** STORAGE_MISMATCH: vectors of one storage meet a namespace fixed to the other. */
export function storageMismatch(message: string, details: Record<string, unknown>): DjeError {
  return createError({ code: 'STORAGE_MISMATCH', message, details });
}

/** Bytes one stored vector takes: a 4-byte varlena header, int16 dimensions, int16 unused, the elements. */
export function bytesPerVector(storage: VectorStorage, dimensions: number): number {
  return 8 + (storage === 'halfvec' ? 2 : 4) * dimensions;
}

/** The SQL type name (never user input: a member of VECTOR_STORAGES). */
export function storageType(storage: VectorStorage): SQL {
  if (!VECTOR_STORAGES.includes(storage)) throw new TypeError(`unknown vector storage ${String(storage)}`);
  return sql.raw(storage);
}

/** pgvector's cosine operator class for the storage. */
export function cosineOpsOf(storage: VectorStorage): SQL {
  return sql.raw(`${storage}_cosine_ops`);
}

/** INDEX_DIMENSIONS_UNSUPPORTED when pgvector cannot build `indexType` over these vectors. */
export function indexLimitError(options: {
  readonly namespace: string;
  readonly dimensions: number;
  readonly storage: VectorStorage;
  readonly indexType: VectorIndexType;
  readonly quantization?: 'binary' | undefined;
}): DjeError | undefined {
  const { namespace, dimensions, storage, indexType } = options;
  if (canIndex(options)) return undefined;
  const limit = INDEX_MAX_DIMENSIONS[storage];
  const halfvecFits = storage === 'vector' && dimensions <= INDEX_MAX_DIMENSIONS.halfvec;
  const remedy = halfvecFits
    ? `use storage halfvec (float16: ${indexType} indexes up to ${INDEX_MAX_DIMENSIONS.halfvec.toLocaleString('en-US')} dimensions, half the size)`
    : 'use fewer dimensions (a model option, e.g. 3,072 → 1,536)';
  const quantized =
    indexType === 'hnsw'
      ? ', or index quantization binary (HNSW over 1 bit a dimension, re-ranked exactly)'
      : '';
  return createError({
    code: 'INDEX_DIMENSIONS_UNSUPPORTED',
    message: `Namespace "${namespace}" cannot have a ${indexType} index: pgvector indexes ${storage} columns of at most ${limit.toLocaleString('en-US')} dimensions, and it would store ${dimensions.toLocaleString('en-US')}. To keep an index, ${remedy}${quantized}; or use index none (exact search only).`,
    details: {
      namespace,
      dimensions,
      storage,
      index_type: indexType,
      limit,
      ...(halfvecFits ? { suggested_storage: 'halfvec' } : {}),
    },
  });
}

/** Whether pgvector can build `indexType` over the namespace's vectors. */
export function canIndex(options: {
  readonly dimensions: number;
  readonly storage: VectorStorage;
  readonly indexType: VectorIndexType;
  readonly quantization?: 'binary' | undefined;
}): boolean {
  const limit =
    options.quantization === 'binary' ? BIT_INDEX_MAX_DIMENSIONS : INDEX_MAX_DIMENSIONS[options.storage];
  return options.indexType === 'none' || options.dimensions <= limit;
}
