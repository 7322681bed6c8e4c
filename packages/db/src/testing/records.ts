// Deterministic test data for this package's suites (excluded from the build).
import { sql } from 'drizzle-orm';
import { isCitus } from '../citus-placement.js';
import { type ConnectOptions, connect } from '../connect.js';
import type { Database } from '../database.js';
import { createVectorStore } from '../vector-store.js';
import type { EmbeddingIdentity, EmbeddingInput, VectorStore } from '../vector-store-types.js';

/** A pseudo-random unit vector that depends only on `seed` (fract(sin) hashing, no state). */
export function testVector(seed: number, dimensions: number): number[] {
  const values = Array.from({ length: dimensions }, (_, index) => {
    const x = Math.sin((seed + 1) * 12.9898 + (index + 1) * 78.233) * 43758.5453;
    return x - Math.floor(x) - 0.5;
  });
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

/** A complete record for chunk `index` of a document; `overrides` replace any column. */
export function testRecord(options: {
  readonly index: number;
  readonly dimensions: number;
  readonly documentId?: string;
  readonly collectionName?: string;
  readonly overrides?: Partial<EmbeddingInput>;
}): EmbeddingInput {
  const { index, dimensions } = options;
  return {
    chunk_id: `chunk-${index}`,
    document_id: options.documentId ?? `doc-${Math.floor(index / 10)}`,
    collection_name: options.collectionName ?? 'items',
    text: `text of chunk ${index}`,
    embedding: testVector(index, dimensions),
    strategy: index % 2 === 0 ? 'flat' : 'hierarchical',
    content_type: index % 3 === 0 ? 'object' : 'array',
    ...options.overrides,
  };
}

/** Cosine similarity computed in JavaScript, the reference for search results. */
export function cosineSimilarity(left: ArrayLike<number>, right: ArrayLike<number>): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index++) {
    const a = left[index] as number;
    const b = right[index] as number;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return dot / Math.sqrt(leftNorm * rightNorm);
}

/** Rounds a vector to float4 precision, as pgvector stores it. */
export function asStored(vector: readonly number[]): number[] {
  return Array.from(Float32Array.from(vector));
}

/** Connects to a started test target; the caller closes both. */
export async function connectTarget(
  target: { start(): Promise<{ readonly url: string; close(): Promise<void> }> },
  options: Pick<ConnectOptions, 'onQuery'> = {},
): Promise<{ readonly db: Database; close(): Promise<void> }> {
  const server = await target.start();
  const db = await connect(server.url, { poolSize: 6, ...options });
  return {
    db,
    async close() {
      await db.close();
      await server.close();
    },
  };
}

/**
 * Runs a CREATE or DROP TRIGGER statement, such as a row trigger that makes the database fail a
 * write (tests of atomicity). Citus refuses triggers on distributed tables unless told to; the
 * shard's trigger then fires on its worker.
 */
export async function runTriggerStatement(db: Database, statement: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    if (isCitus(db)) await tx.execute(sql`SET LOCAL citus.enable_unsafe_triggers = on`);
    await tx.execute(sql.raw(statement));
  });
}

/** Names that must never become a namespace: injection attempts, case, length, reserved words. */
export const INVALID_NAMESPACE_NAMES: readonly [string, unknown][] = [
  ['an SQL injection', 'x; drop table y'],
  ['a double quote', 'a"b'],
  ['a single quote', "a'b"],
  ['a comment', 'a--b'],
  ['uppercase', 'Production'],
  ['51 characters', 'a'.repeat(51)],
  ['the empty string', ''],
  ['a space', 'my namespace'],
  ['a hyphen', 'my-namespace'],
  ['non-ASCII letters', 'prøduction'],
  ['a NUL character', 'a\u0000b'],
  ['the reserved name backup', 'backup'],
  ['the reserved name temp', 'temp'],
  ['the reserved name tmp', 'tmp'],
  ['the reserved name system', 'system'],
  ['the reserved name admin', 'admin'],
  ['a backup_ prefix', 'backup_x'],
  ['a number', 42],
  ['undefined', undefined],
];

/**
 * A namespace with an HNSW index from its first row, holding `count` test records (chunk `index`
 * with `metadata(index)` when given): the indexed table the search-path tests plan against. Returns
 * the store that wrote it.
 */
export async function seedIndexedNamespace(
  db: Database,
  options: {
    readonly namespace: string;
    readonly identity: EmbeddingIdentity;
    readonly count: number;
    readonly metadata?: (index: number) => Record<string, unknown>;
  },
): Promise<VectorStore> {
  const { namespace, identity, metadata } = options;
  const store = createVectorStore(db, { namespace, embedding: identity });
  await store.createNamespace({ namespace, ...identity, index: 'hnsw', indexThreshold: 0 });
  const records = Array.from({ length: options.count }, (_, index) =>
    testRecord({
      index,
      dimensions: identity.dimensions,
      ...(metadata === undefined ? {} : { overrides: { metadata: metadata(index) } }),
    }),
  );
  await store.insertEmbeddings(records, { namespace });
  return store;
}
