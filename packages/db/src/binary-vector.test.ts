// The binary query vector on in-process PGlite: the server reads the same float4s as from the text
// form, searches answer the same, and other drivers and halfvec keep the text form.
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchVectorParam, vectorBinary } from './binary-vector.js';
import type { Database } from './database.js';
import { vectorLiteral } from './embedding-vector.js';
import { sendStatement } from './search-driver.js';
import { connectTarget, testRecord, testVector } from './testing/records.js';
import { createVectorStore } from './vector-store.js';

it("writes pgvector's binary layout: dimensions, a zero, big-endian float4s", () => {
  const bytes = vectorBinary([0.5, -2, 1 / 3]);
  const view = new DataView(bytes.buffer);
  expect(bytes.byteLength).toBe(16);
  expect([view.getInt16(0), view.getInt16(2)]).toEqual([3, 0]);
  expect([view.getFloat32(4), view.getFloat32(8), view.getFloat32(12)]).toEqual([
    0.5,
    -2,
    Math.fround(1 / 3),
  ]);
});

describe.each(databaseTargets)('query vectors on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close();
  });

  it('sends binary only to in-process PGlite, and only for vector storage', async () => {
    const vector = testVector(7, 24);
    const param = await searchVectorParam(db, { storage: 'vector', vector });
    expect(param instanceof Uint8Array).toBe(db.pglite !== undefined);
    const half = await searchVectorParam(db, { storage: 'halfvec', vector });
    expect(half).toBe(vectorLiteral(vector));
    // Whichever form, the server reads the same float4s as from the text.
    const [row] = await sendStatement(db, {
      text: 'SELECT $1::vector::text AS sent, $2::vector::text AS typed',
      params: [param, vectorLiteral(vector)],
    });
    expect(row?.sent).toBe(row?.typed);
  });

  it('finds the same rows, in the same order and with the same scores, as with the text vector', async () => {
    const store = createVectorStore(db, {
      namespace: 'binary',
      embedding: { provider: 'test', model: 'binary', dimensions: 24 },
    });
    await store.ensureNamespace({ namespace: 'binary' });
    await store.insertEmbeddings(
      Array.from({ length: 300 }, (_, index) => testRecord({ index, dimensions: 24 })),
    );
    const query = testVector(1234, 24);
    const results = await store.similaritySearch({ vector: query, limit: 5 });
    // The same search by hand, the vector as text: the reference.
    const expected = await sendStatement(db, {
      text: 'SELECT chunk_id, 1 - (embedding <=> $1::vector) AS score FROM embeddings_binary ORDER BY embedding <=> $1::vector, id LIMIT 5',
      params: [vectorLiteral(query)],
    });
    expect(results.map(([record]) => record.chunk_id)).toEqual(expected.map((row) => row.chunk_id));
    for (const [position, [, score]] of results.entries())
      expect(score).toBeCloseTo(Number(expected[position]?.score), 6);
  });
});
