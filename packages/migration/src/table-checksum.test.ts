import { createHash } from 'node:crypto';
import {
  connect,
  createNamespace,
  type Database,
  ident,
  namespaceTable,
  queryRows,
} from '@dynamic-embeddings/db';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableChecksum } from './table-checksum.js';
import { makeRows, seedNamespace, sha256Hex } from './testing/fixtures.js';

const DIMENSIONS = 8;

function md5(data: Buffer | string): Buffer {
  return createHash('md5').update(data).digest();
}

/** The documented formula, computed in JavaScript from the rows as read back. */
async function referenceChecksum(db: Database, tableName: string): Promise<string> {
  const rows = await queryRows<{ chunk_id: string; text: string; embedding: string }>(
    db.orm,
    sql`SELECT chunk_id, text, embedding::text AS embedding FROM ${ident(tableName)}`,
  );
  let high = 0n;
  let low = 0n;
  for (const row of rows) {
    const values = JSON.parse(row.embedding) as number[];
    // vector_send: int16 dimensions, int16 unused, then big-endian float4 values.
    const vector = Buffer.alloc(4 + 4 * values.length);
    vector.writeInt16BE(values.length, 0);
    vector.writeInt16BE(0, 2);
    for (const [index, value] of values.entries()) vector.writeFloatBE(value, 4 + 4 * index);
    const hash = md5(`${row.chunk_id}:${md5(row.text).toString('hex')}:${md5(vector).toString('hex')}`);
    high += hash.readBigInt64BE(0);
    low += hash.readBigInt64BE(8);
  }
  return md5(`${rows.length}:${high}:${low}`).toString('hex');
}

describe.each(databaseTargets)('tableChecksum on $name', (target) => {
  let server: { readonly url: string; close(): Promise<void> };
  let db: Database;

  beforeAll(async () => {
    server = await target.start();
    db = await connect(server.url);
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
  });

  it('computes the documented formula', async () => {
    await seedNamespace(db, { namespace: 'sum_formula', dimensions: DIMENSIONS, rows: 50, seed: 31 });
    await createNamespace(db, {
      namespace: 'sum_empty',
      dimensions: DIMENSIONS,
      provider: 'local',
      model: 'feature-hash-v1',
    });
    expect(await tableChecksum(db.orm, 'embeddings_sum_formula')).toEqual({
      rows: 50,
      checksum: await referenceChecksum(db, 'embeddings_sum_formula'),
    });
    expect(await tableChecksum(db.orm, 'embeddings_sum_empty')).toEqual({
      rows: 0,
      checksum: md5('0:0:0').toString('hex'),
    });
  });

  it('does not depend on row order or ids, and changes with any chunk_id, text or vector bit', async () => {
    const rows = makeRows({ count: 20, dimensions: DIMENSIONS, seed: 32 });
    await createNamespace(db, {
      namespace: 'sum_forward',
      dimensions: DIMENSIONS,
      provider: 'local',
      model: 'feature-hash-v1',
    });
    await createNamespace(db, {
      namespace: 'sum_reverse',
      dimensions: DIMENSIONS,
      provider: 'local',
      model: 'feature-hash-v1',
    });
    const withHash = rows.map((row) => ({ ...row, text_hash: sha256Hex(row.text) }));
    await db.orm.insert(namespaceTable('sum_forward', DIMENSIONS)).values(withHash);
    await db.orm.insert(namespaceTable('sum_reverse', DIMENSIONS)).values([...withHash].reverse());
    await db.orm.execute(sql`UPDATE embeddings_sum_reverse SET id = id + 1000, depth_level = 9`);
    const original = await tableChecksum(db.orm, 'embeddings_sum_forward');
    expect(await tableChecksum(db.orm, 'embeddings_sum_reverse')).toEqual(original);

    const changes = [
      sql`UPDATE embeddings_sum_reverse SET chunk_id = chunk_id || 'x' WHERE chunk_id = ${rows[3]!.chunk_id}`,
      sql`UPDATE embeddings_sum_reverse SET text = text || ' ' WHERE chunk_id = ${rows[4]!.chunk_id}`,
      // The smallest possible change of one float: the next representable value.
      sql`UPDATE embeddings_sum_reverse SET embedding = ${`[${rows[5]!.embedding
        .map((value, index) => (index === 0 ? nextFloat32(value) : value))
        .join(',')}]`}::vector WHERE chunk_id = ${rows[5]!.chunk_id}`,
      sql`DELETE FROM embeddings_sum_reverse WHERE chunk_id = ${rows[6]!.chunk_id}`,
    ];
    const seen = new Set([original.checksum]);
    for (const change of changes) {
      await db.orm.execute(change);
      const changed = await tableChecksum(db.orm, 'embeddings_sum_reverse');
      expect(seen.has(changed.checksum)).toBe(false);
      seen.add(changed.checksum);
    }
  });
});

function nextFloat32(value: number): number {
  const buffer = Buffer.alloc(4);
  buffer.writeFloatBE(value, 0);
  const bits = buffer.readInt32BE(0);
  buffer.writeInt32BE(value >= 0 ? bits + 1 : bits - 1, 0);
  return buffer.readFloatBE(0);
}
