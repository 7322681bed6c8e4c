import {
  connect,
  type Database,
  getNamespace,
  indexNamesFor,
  openNamespace,
  queryRows,
} from '@dynamic-embeddings/db';
import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespaceMigration } from './namespace-migration.js';
import { tableChecksum } from './table-checksum.js';
import { makeRows, readTable, seedNamespace } from './testing/fixtures.js';

// Above the 2,000 dimensions a `vector` index takes: these namespaces store halfvec by default.
const DIMENSIONS = 2_500;
const ROWS = 30;

/** The operator class of the table's ANN index, or none. */
async function vectorIndexOpclass(db: Database, tableName: string): Promise<string[]> {
  const rows = await queryRows<{ opclass: string }>(
    db.orm,
    sql`SELECT opc.opcname AS opclass FROM pg_index i JOIN pg_opclass opc ON opc.oid = i.indclass[0]
        WHERE i.indexrelid = to_regclass(quote_ident(${indexNamesFor(tableName).vector}))`,
  );
  return rows.map((row) => row.opclass);
}

describe.each(databaseTargets)('migrating halfvec namespaces on $name', (target) => {
  let server: { readonly url: string; close(): Promise<void> };
  let db: Database;

  beforeAll(async () => {
    server = await target.start();
    db = await connect(server.url);
    await seedNamespace(db, {
      namespace: 'half_src',
      dimensions: DIMENSIONS,
      rows: ROWS,
      indexThreshold: 20,
      seed: 16,
    });
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
  });

  it('copies a halfvec namespace exactly: same values, same checksum, a halfvec index, writable', async () => {
    expect(await getNamespace(db.orm, 'half_src')).toMatchObject({ storage: 'halfvec' });
    const before = await readTable(db, 'embeddings_half_src');
    const sourceChecksum = await tableChecksum(db.orm, 'embeddings_half_src');
    const migration = createNamespaceMigration({ db });
    const result = await migration.copyNamespace({ source: 'half_src', target: 'half_copy' });
    expect(result).toMatchObject({
      success: true,
      rows_migrated: ROWS,
      checksum: sourceChecksum.checksum,
      vector_index_exists: true,
    });
    expect(await readTable(db, 'embeddings_half_copy')).toEqual(before);
    expect(await readTable(db, 'embeddings_half_src')).toEqual(before);
    expect(await getNamespace(db.orm, 'half_copy')).toMatchObject({
      storage: 'halfvec',
      dimensions: DIMENSIONS,
    });
    expect(await vectorIndexOpclass(db, 'embeddings_half_copy')).toEqual(['halfvec_cosine_ops']);
    // The checksum hashes the halfvec bytes: a change of one float16 step changes it.
    await db.orm.execute(
      sql`UPDATE embeddings_half_copy SET embedding = (SELECT array_agg(CASE WHEN i = 1 THEN v + 0.01 ELSE v END
            ORDER BY i)::halfvec FROM unnest(embedding::real[]) WITH ORDINALITY AS e(v, i)) WHERE id = 1`,
    );
    expect((await tableChecksum(db.orm, 'embeddings_half_copy')).checksum).not.toBe(sourceChecksum.checksum);
    const handle = await openNamespace(db, 'half_copy');
    const extra = makeRows({ count: 1, dimensions: DIMENSIONS, seed: 99 }).map((row) => ({
      ...row,
      chunk_id: 'extra',
    }));
    expect(await handle.insert(extra)).toMatchObject({ inserted: 1 });
  });

  it('moves a halfvec namespace, keeping the source as a backup with the same checksum', async () => {
    await seedNamespace(db, { namespace: 'half_moving', dimensions: DIMENSIONS, rows: 30, seed: 17 });
    const sourceChecksum = await tableChecksum(db.orm, 'embeddings_half_moving');
    const result = await createNamespaceMigration({ db }).moveNamespace({
      source: 'half_moving',
      target: 'half_moved',
    });
    expect(result).toMatchObject({ success: true, rows_migrated: 30, checksum: sourceChecksum.checksum });
    expect(await getNamespace(db.orm, 'half_moving')).toBeUndefined();
    expect(await getNamespace(db.orm, 'half_moved')).toMatchObject({ storage: 'halfvec' });
    expect(await tableChecksum(db.orm, result.backup_table ?? '')).toEqual(sourceChecksum);
  });

  it('refuses to fill an existing namespace of the other storage, changing nothing', async () => {
    await seedNamespace(db, {
      namespace: 'float_target',
      dimensions: DIMENSIONS,
      rows: 0,
      storage: 'vector',
      index: 'none',
    });
    const migration = createNamespaceMigration({ db });
    const plan = await migration.planMigration({
      source: 'half_src',
      target: 'float_target',
      into: 'existing',
    });
    expect(plan.checks.find((check) => check.name === 'storage')).toMatchObject({ ok: false });
    const error = await djeErrorOf(
      migration.copyNamespace({ source: 'half_src', target: 'float_target', into: 'existing' }),
    );
    expect(error.code).toBe('STORAGE_MISMATCH');
    expect(await readTable(db, 'embeddings_float_target')).toEqual([]);
  });
});
