import { Writable } from 'node:stream';
import { DjeError } from '@dynamic-embeddings/core';
import { createLogger } from '@dynamic-embeddings/core/logger';
import {
  backupsTable,
  backupTableName,
  connect,
  createNamespace,
  type Database,
  freeBackupName,
  getNamespace,
  ident,
  indexNamesFor,
  isCitus,
  listBackups,
  namespaceTable,
  queryRow,
  queryRows,
  tableExists,
} from '@dynamic-embeddings/db';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationProgress } from './migration-types.js';
import { createNamespaceMigration } from './namespace-migration.js';
import { tableChecksum } from './table-checksum.js';
import {
  catalogSnapshot,
  countRows,
  indexesOf,
  makeRows,
  readTable,
  seedNamespace,
  sha256Hex,
} from './testing/fixtures.js';

const DIMENSIONS = 8;

async function expectDjeError(promise: Promise<unknown>, code: string, kind?: string): Promise<DjeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(DjeError.isInstance(error), `expected a DjeError ${code}, got ${String(error)}`).toBe(true);
  const djeError = error as DjeError;
  expect(djeError.code).toBe(code);
  if (kind !== undefined) expect(djeError.kind).toBe(kind);
  expect(djeError.message.length).toBeGreaterThan(20);
  return djeError;
}

/**
 * An empty namespace whose table runs `body` (PL/pgSQL over NEW, test constants only) before every
 * insert: the stand-in for whatever could alter or lose rows on their way into the target.
 */
async function emptyTargetWithTrigger(
  db: Database,
  options: { readonly namespace: string; readonly trigger: string; readonly body: string },
): Promise<void> {
  await createNamespace(db, {
    namespace: options.namespace,
    dimensions: DIMENSIONS,
    provider: 'local',
    model: 'feature-hash-v1',
  });
  await db.orm.execute(
    sql`CREATE FUNCTION ${ident(options.trigger)}() RETURNS trigger LANGUAGE plpgsql
        AS $$ BEGIN ${sql.raw(options.body)} RETURN NEW; END $$`,
  );
  await db.orm.transaction(async (tx) => {
    // Citus refuses triggers on distributed tables unless told to; the shard's fires on its worker.
    if (isCitus(db)) await tx.execute(sql`SET LOCAL citus.enable_unsafe_triggers = on`);
    await tx.execute(
      sql`CREATE TRIGGER ${ident(options.trigger)} BEFORE INSERT ON ${ident(`embeddings_${options.namespace}`)}
          FOR EACH ROW EXECUTE FUNCTION ${ident(options.trigger)}()`,
    );
  });
}

describe.each(databaseTargets)('NamespaceMigration on $name', (target) => {
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

  it('gives the copy the text search configuration of its source, and so the same keyword index', async () => {
    await seedNamespace(db, {
      namespace: 'english_src',
      dimensions: DIMENSIONS,
      rows: 5,
      textSearchConfig: 'english',
    });
    const migration = createNamespaceMigration({ db });
    expect(await migration.copyNamespace({ source: 'english_src', target: 'english_dst' })).toMatchObject({
      success: true,
    });
    expect(await getNamespace(db.orm, 'english_dst')).toMatchObject({ text_search_config: 'english' });
    const keywordsOf = (table: string) =>
      queryRows<{ keywords: string }>(db.orm, sql`SELECT keywords::text FROM ${ident(table)} ORDER BY id`);
    const copied = await keywordsOf('embeddings_english_dst');
    expect(copied).toEqual(await keywordsOf('embeddings_english_src'));
    expect(copied).toHaveLength(5);
    const expression = await queryRow<{ expression: string }>(
      db.orm,
      sql`SELECT pg_get_expr(d.adbin, d.adrelid) AS expression FROM pg_attrdef d
          JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
          WHERE d.adrelid = to_regclass('embeddings_english_dst') AND a.attname = 'keywords'`,
    );
    expect(expression?.expression).toContain("'english'::regconfig");
  });

  it('copies every row unchanged into a new namespace with its own id sequence and the same registry settings', async () => {
    const seeded = await seedNamespace(db, { namespace: 'copy_src', dimensions: DIMENSIONS, rows: 120 });
    const before = await readTable(db, 'embeddings_copy_src');
    const sourceChecksum = await tableChecksum(db.orm, 'embeddings_copy_src');
    const migration = createNamespaceMigration({ db });

    const result = await migration.copyNamespace({ source: 'copy_src', target: 'copy_dst' });

    expect(result).toMatchObject({
      success: true,
      source: 'copy_src',
      target: 'copy_dst',
      mode: 'copy',
      rows_migrated: seeded.length,
      source_action: 'kept',
      checksum: sourceChecksum.checksum,
    });
    expect(result.error).toBeUndefined();
    expect(result.duration_seconds).toBeGreaterThanOrEqual(0);
    // Source untouched, target identical row for row (ids and timestamps included).
    expect(await readTable(db, 'embeddings_copy_src')).toEqual(before);
    expect(await readTable(db, 'embeddings_copy_dst')).toEqual(before);
    expect((await tableChecksum(db.orm, 'embeddings_copy_dst')).checksum).toBe(sourceChecksum.checksum);

    const sourceRecord = await getNamespace(db.orm, 'copy_src');
    const targetRecord = await getNamespace(db.orm, 'copy_dst');
    expect(targetRecord).toMatchObject({
      table_name: 'embeddings_copy_dst',
      dimensions: sourceRecord?.dimensions,
      provider: sourceRecord?.provider,
      model: sourceRecord?.model,
      index_type: sourceRecord?.index_type,
      index_params: sourceRecord?.index_params,
      index_threshold: sourceRecord?.index_threshold,
    });

    // The target's sequence is its own: it continues after the copied ids, and using it does not
    // advance the source's.
    const sequences = await queryRow<{ source: string; target: string }>(
      db.orm,
      sql`SELECT pg_get_serial_sequence('embeddings_copy_src', 'id') AS source,
                 pg_get_serial_sequence('embeddings_copy_dst', 'id') AS target`,
    );
    expect(sequences?.target).not.toBe(sequences?.source);
    const [extra] = makeRows({ count: 1, dimensions: DIMENSIONS, seed: 99 });
    const [inserted] = await db.orm
      .insert(namespaceTable('copy_dst', DIMENSIONS))
      .values({ ...extra!, chunk_id: 'extra:1', text_hash: sha256Hex(extra!.text) })
      .returning({ id: namespaceTable('copy_dst', DIMENSIONS).id });
    const maxSourceId = Math.max(...before.map((row) => Number(row.id)));
    expect(inserted?.id).toBe(maxSourceId + 1);
    const [sourceInserted] = await db.orm
      .insert(namespaceTable('copy_src', DIMENSIONS))
      .values({ ...extra!, chunk_id: 'extra:1', text_hash: sha256Hex(extra!.text) })
      .returning({ id: namespaceTable('copy_src', DIMENSIONS).id });
    expect(sourceInserted?.id).toBe(maxSourceId + 1);

    // The filter indexes (B-tree and GIN) exist on the target under its own names.
    const names = indexNamesFor('embeddings_copy_dst');
    expect((await indexesOf(db, 'embeddings_copy_dst')).map((index) => index.name).sort()).toEqual(
      [
        names.chunkIdUnique,
        names.collection,
        names.document,
        names.primaryKey,
        names.strategy,
        names.metadata,
        names.domainTags,
        names.keywords,
      ].sort(),
    );
    // Built after the load, the keys are the constraints every namespace table has.
    const keys = (tableName: string) =>
      queryRows<{ type: string; definition: string }>(
        db.orm,
        sql`SELECT contype AS type, pg_get_constraintdef(oid) AS definition FROM pg_constraint
            WHERE conrelid = to_regclass(quote_ident(${tableName})) AND contype IN ('p', 'u') ORDER BY contype`,
      );
    expect(await keys('embeddings_copy_dst')).toEqual([
      { type: 'p', definition: 'PRIMARY KEY (id)' },
      { type: 'u', definition: 'UNIQUE (chunk_id)' },
    ]);
    expect(await keys('embeddings_copy_dst')).toEqual(await keys('embeddings_copy_src'));
    expect(result.vector_index_exists).toBe(false);
  });

  it('moves a namespace: the source becomes a registered backup with renamed indexes, and its name is free again', async () => {
    await seedNamespace(db, { namespace: 'move_src', dimensions: DIMENSIONS, rows: 60, seed: 2 });
    const before = await readTable(db, 'embeddings_move_src');
    const sourceRecord = await getNamespace(db.orm, 'move_src');
    const migration = createNamespaceMigration({ db });

    const result = await migration.moveNamespace({ source: 'move_src', target: 'move_dst' });

    expect(result.success).toBe(true);
    expect(result.rows_migrated).toBe(60);
    const backup = result.backup_table ?? '';
    expect(backup).toMatch(/^embeddings_backup_move_src_\d{14}$/);
    expect(result.source_action).toBe(`renamed to ${backup}`);
    expect(await tableExists(db.orm, 'embeddings_move_src')).toBe(false);
    expect(await getNamespace(db.orm, 'move_src')).toBeUndefined();
    expect(await readTable(db, 'embeddings_move_dst')).toEqual(before);
    expect(await readTable(db, backup)).toEqual(before);

    const backups = await listBackups(db);
    expect(backups.find((entry) => entry.table_name === backup)).toMatchObject({
      namespace: 'move_src',
      source_table: 'embeddings_move_src',
      reason: 'move',
      dimensions: DIMENSIONS,
      provider: sourceRecord?.provider,
      model: sourceRecord?.model,
      row_count: 60,
      exists: true,
    });

    // No index, constraint or sequence of the backup still carries the source's names.
    const sourceNames = Object.values(indexNamesFor('embeddings_move_src'));
    const backupIndexes = (await indexesOf(db, backup)).map((index) => index.name);
    expect(backupIndexes.length).toBe(8);
    for (const name of backupIndexes) expect(sourceNames).not.toContain(name);
    const sequence = await queryRow<{ name: string }>(
      db.orm,
      sql`SELECT pg_get_serial_sequence(${backup}, 'id') AS name`,
    );
    expect(sequence?.name).toContain(indexNamesFor(backup).sequence);

    // The freed name can be created again with the standard index names.
    await seedNamespace(db, { namespace: 'move_src', dimensions: DIMENSIONS, rows: 3, seed: 3 });
    expect((await indexesOf(db, 'embeddings_move_src')).map((index) => index.name)).toContain(
      indexNamesFor('embeddings_move_src').primaryKey,
    );
  });

  it('keeps derived names unique for a 50-character namespace moved twice in a row', async () => {
    const longName = `${'n'.repeat(40)}_long_name`;
    expect(longName).toHaveLength(50);
    const migration = createNamespaceMigration({ db });
    await seedNamespace(db, { namespace: longName, dimensions: DIMENSIONS, rows: 4, seed: 18 });
    const first = await migration.moveNamespace({ source: longName, target: 'long_first' });
    await seedNamespace(db, { namespace: longName, dimensions: DIMENSIONS, rows: 6, seed: 19 });
    const second = await migration.moveNamespace({ source: longName, target: 'long_second' });

    expect(first.success && second.success).toBe(true);
    const backups = [first.backup_table ?? '', second.backup_table ?? ''];
    expect(new Set(backups).size).toBe(2);
    expect(await countRows(db, backups[0]!)).toBe(4);
    expect(await countRows(db, backups[1]!)).toBe(6);
    const originalNames = Object.values(indexNamesFor(`embeddings_${longName}`));
    const backupIndexNames = [
      ...(await indexesOf(db, backups[0]!)),
      ...(await indexesOf(db, backups[1]!)),
    ].map((index) => index.name);
    expect(new Set(backupIndexNames).size).toBe(backupIndexNames.length);
    for (const name of backupIndexNames) {
      expect(originalNames).not.toContain(name);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    }
    // A third generation of the namespace still gets the standard names.
    await seedNamespace(db, { namespace: longName, dimensions: DIMENSIONS, rows: 1, seed: 20 });
    expect((await indexesOf(db, `embeddings_${longName}`)).map((index) => index.name).sort()).toEqual(
      originalNames.filter((name) => !name.endsWith('_id_seq') && !name.endsWith('_vector_idx')).sort(),
    );
  });

  it('steps a backup name on by a second while the name is taken by a table or a backup row', async () => {
    const at = new Date('2030-01-02T03:04:05Z');
    await db.orm.execute(sql`CREATE TABLE ${ident(backupTableName('clash', at))} (id int)`);
    await db.orm.insert(backupsTable).values({
      table_name: backupTableName('clash', new Date(at.getTime() + 1000)),
      namespace: 'clash',
      source_table: 'embeddings_clash',
      reason: 'move',
      dimensions: DIMENSIONS,
      provider: 'local',
      model: 'feature-hash-v1',
      index_type: 'hnsw',
      row_count: 0,
    });
    expect(await freeBackupName(db.orm, 'clash', at)).toBe(
      backupTableName('clash', new Date(at.getTime() + 2000)),
    );
  });

  it('builds the vector index after the load with the source type and parameters when the source had one', async () => {
    await seedNamespace(db, {
      namespace: 'indexed_src',
      dimensions: DIMENSIONS,
      rows: 40,
      index: 'hnsw',
      indexParams: { m: 8, ef_construction: 24 },
      indexThreshold: 0,
    });
    const migration = createNamespaceMigration({ db });
    const events: MigrationProgress[] = [];

    const result = await migration.copyNamespace({
      source: 'indexed_src',
      target: 'indexed_dst',
      onProgress: (progress) => events.push(progress),
    });
    const phases = events.map((event) => event.phase);

    expect(result.success).toBe(true);
    expect(result.vector_index_exists).toBe(true);
    const vectorIndex = (await indexesOf(db, 'embeddings_indexed_dst')).find(
      (index) => index.name === indexNamesFor('embeddings_indexed_dst').vector,
    );
    expect(vectorIndex?.definition).toMatch(
      /USING hnsw \(embedding vector_cosine_ops\) WITH \(m='?8'?, ef_construction='?24'?\)/,
    );
    // The index comes after commit: after verification and registration.
    expect(phases.indexOf('index')).toBeGreaterThan(phases.indexOf('register'));
    expect(phases.at(-1)).toBe('done');
    // Its start is announced once, with the index type, on every database.
    const starts = events.filter((event) => event.index_start !== undefined);
    expect(starts).toEqual([
      { phase: 'index', rows_done: 40, rows_total: 40, index_start: { type: 'hnsw' } },
    ]);
  });

  it('builds no vector index when the namespace is below its threshold or uses exact search', async () => {
    await seedNamespace(db, {
      namespace: 'exact_src',
      dimensions: DIMENSIONS,
      rows: 30,
      index: 'none',
      indexThreshold: 0,
    });
    const migration = createNamespaceMigration({ db });
    const result = await migration.copyNamespace({ source: 'exact_src', target: 'exact_dst' });
    expect(result.success).toBe(true);
    expect(result.vector_index_exists).toBe(false);
    expect((await getNamespace(db.orm, 'exact_dst'))?.index_type).toBe('none');
    expect(
      (await indexesOf(db, 'embeddings_exact_dst')).some((index) => /hnsw|ivfflat/.test(index.definition)),
    ).toBe(false);
  });

  it('refuses bad requests with a stable code before changing anything', async () => {
    await seedNamespace(db, { namespace: 'guard_src', dimensions: DIMENSIONS, rows: 5, seed: 4 });
    await seedNamespace(db, { namespace: 'guard_full', dimensions: DIMENSIONS, rows: 2, seed: 5 });
    await createNamespace(db, {
      namespace: 'guard_wide',
      dimensions: 16,
      provider: 'local',
      model: 'feature-hash-v1',
    });
    await createNamespace(db, {
      namespace: 'guard_other_model',
      dimensions: DIMENSIONS,
      provider: 'openai',
      model: 'text-embedding-3-small',
    });
    const migration = createNamespaceMigration({ db });
    const snapshot = await catalogSnapshot(db);

    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'Bad-Name' }),
      'INVALID_NAMESPACE_NAME',
      'validation',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'backup' }),
      'INVALID_NAMESPACE_NAME',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'x'.repeat(51), target: 'guard_x' }),
      'INVALID_NAMESPACE_NAME',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_missing', target: 'guard_x' }),
      'NAMESPACE_NOT_FOUND',
      'not_found',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'guard_full' }),
      'TARGET_EXISTS',
      'conflict',
    );
    await expectDjeError(
      migration.moveNamespace({ source: 'guard_src', target: 'guard_src' }),
      'SAME_SOURCE_AND_TARGET',
      'usage',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'guard_wide', into: 'existing' }),
      'DIMENSION_MISMATCH',
      'validation',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'guard_other_model', into: 'existing' }),
      'EMBEDDING_MODEL_MISMATCH',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'guard_full', into: 'existing' }),
      'TARGET_NOT_EMPTY',
      'conflict',
    );
    await expectDjeError(
      migration.migrateLegacyTable({ target: 'guard_legacy' }),
      'LEGACY_TABLE_NOT_FOUND',
      'not_found',
    );
    await expectDjeError(
      migration.migrateNamespace({ source: 'guard_src', target: 'guard_x', mode: 'rename' as 'copy' }),
      'INVALID_MIGRATION_OPTIONS',
      'usage',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'guard_x', batchRows: 0 }),
      'INVALID_MIGRATION_OPTIONS',
    );
    await expectDjeError(
      migration.copyNamespace({ source: 'guard_src', target: 'guard_x', model: 'other' }),
      'INVALID_MIGRATION_OPTIONS',
    );
    await expectDjeError(
      migration.copyNamespace({
        source: 'guard_src',
        target: 'guard_x',
        checksum: 'no' as unknown as boolean,
      }),
      'INVALID_MIGRATION_OPTIONS',
    );

    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });

  it("fills an existing empty namespace of the same model with into: 'existing', keeping its registry entry", async () => {
    const seeded = await seedNamespace(db, {
      namespace: 'into_src',
      dimensions: DIMENSIONS,
      rows: 25,
      seed: 6,
    });
    await createNamespace(db, {
      namespace: 'into_dst',
      dimensions: DIMENSIONS,
      provider: 'local',
      model: 'feature-hash-v1',
      index: 'ivfflat',
      indexThreshold: 0,
    });
    const registered = await getNamespace(db.orm, 'into_dst');
    const migration = createNamespaceMigration({ db });

    const result = await migration.copyNamespace({
      source: 'into_src',
      target: 'into_dst',
      into: 'existing',
    });

    expect(result.success).toBe(true);
    expect(result.rows_migrated).toBe(seeded.length);
    expect(await readTable(db, 'embeddings_into_dst')).toEqual(await readTable(db, 'embeddings_into_src'));
    expect(await getNamespace(db.orm, 'into_dst')).toEqual(registered);
    // Its own index policy (IVFFlat, threshold 0): the index it had is rebuilt after the load.
    expect(result.vector_index_exists).toBe(true);
    expect(
      (await indexesOf(db, 'embeddings_into_dst')).some((index) => /USING ivfflat/.test(index.definition)),
    ).toBe(true);
  });

  it('rolls everything back and reports CHECKSUM_MISMATCH when the copied data differs', async () => {
    await seedNamespace(db, { namespace: 'corrupt_src', dimensions: DIMENSIONS, rows: 30, seed: 7 });
    // A trigger that alters one row on its way in: exactly what verification exists to catch.
    await emptyTargetWithTrigger(db, {
      namespace: 'corrupt_dst',
      trigger: 'corrupt_one',
      body: "IF NEW.chunk_id = 'doc7:chunk:7' THEN NEW.text := NEW.text || ' (altered)'; END IF;",
    });
    const snapshot = await catalogSnapshot(db);
    const migration = createNamespaceMigration({ db });

    const result = await migration.moveNamespace({
      source: 'corrupt_src',
      target: 'corrupt_dst',
      into: 'existing',
    });

    expect(result).toMatchObject({ success: false, rows_migrated: 0, source_action: 'none', checksum: '' });
    expect(result.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(result.error?.message).toContain(
      '1 copied row differs from the source (first: chunk_id "doc7:chunk:7")',
    );
    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });

  it('with checksum: false, still compares every row (and refuses a difference) but computes no checksum', async () => {
    await seedNamespace(db, { namespace: 'nosum_src', dimensions: DIMENSIONS, rows: 25, seed: 9 });
    const before = await readTable(db, 'embeddings_nosum_src');
    const migration = createNamespaceMigration({ db });
    const copied = await migration.copyNamespace({
      source: 'nosum_src',
      target: 'nosum_dst',
      checksum: false,
    });
    expect(copied).toMatchObject({ success: true, rows_migrated: 25, checksum: '' });
    expect(await readTable(db, 'embeddings_nosum_dst')).toEqual(before);

    await emptyTargetWithTrigger(db, {
      namespace: 'nosum_bad',
      trigger: 'corrupt_metadata',
      body: "IF NEW.chunk_id = 'doc3:chunk:3' THEN NEW.metadata := '{}'; END IF;",
    });
    const snapshot = await catalogSnapshot(db);
    const refused = await migration.copyNamespace({
      source: 'nosum_src',
      target: 'nosum_bad',
      into: 'existing',
      checksum: false,
    });
    expect(refused).toMatchObject({ success: false, rows_migrated: 0, checksum: '' });
    expect(refused.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(refused.error?.message).toContain('doc3:chunk:3');
    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });

  it('rolls back and reports ROW_COUNT_MISMATCH when rows go missing on the way', async () => {
    await seedNamespace(db, { namespace: 'lossy_src', dimensions: DIMENSIONS, rows: 30, seed: 8 });
    await emptyTargetWithTrigger(db, {
      namespace: 'lossy_dst',
      trigger: 'drop_some',
      body: 'IF NEW.depth_level = 3 THEN RETURN NULL; END IF;',
    });
    const snapshot = await catalogSnapshot(db);
    const result = await createNamespaceMigration({ db }).copyNamespace({
      source: 'lossy_src',
      target: 'lossy_dst',
      into: 'existing',
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe('ROW_COUNT_MISMATCH');
    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });

  it('rolls back a move that fails in the middle of the copy, leaving the source in place', async () => {
    await seedNamespace(db, { namespace: 'failing_src', dimensions: DIMENSIONS, rows: 50, seed: 9 });
    await emptyTargetWithTrigger(db, {
      namespace: 'failing_dst',
      trigger: 'fail_late',
      body: "IF NEW.chunk_id = 'doc3:chunk:40' THEN RAISE EXCEPTION 'disk full (simulated)'; END IF;",
    });
    const snapshot = await catalogSnapshot(db);
    const rowsDone: number[] = [];
    const result = await createNamespaceMigration({ db }).moveNamespace({
      source: 'failing_src',
      target: 'failing_dst',
      into: 'existing',
      batchRows: 10,
      onProgress: (progress) => {
        if (progress.phase === 'copy' && progress.rows_done !== undefined) rowsDone.push(progress.rows_done);
      },
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe('MIGRATION_FAILED');
    expect(result.error?.message).toContain('disk full (simulated)');
    expect(result.source_action).toBe('none');
    // Several slices were written before the failure, and all of them were rolled back.
    expect(Math.max(...rowsDone)).toBeGreaterThan(0);
    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });

  it('cancels through an AbortSignal between slices and rolls back', async () => {
    await seedNamespace(db, { namespace: 'cancel_src', dimensions: DIMENSIONS, rows: 40, seed: 10 });
    const snapshot = await catalogSnapshot(db);
    const controller = new AbortController();
    const result = await createNamespaceMigration({ db }).moveNamespace({
      source: 'cancel_src',
      target: 'cancel_dst',
      batchRows: 5,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === 'copy' && (progress.rows_done ?? 0) > 0) controller.abort();
      },
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe('MIGRATION_CANCELLED');
    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });

  it('reports progress phases in order with rows counting up to the total', async () => {
    await seedNamespace(db, { namespace: 'progress_src', dimensions: DIMENSIONS, rows: 45, seed: 11 });
    const events: MigrationProgress[] = [];
    const result = await createNamespaceMigration({ db }).moveNamespace({
      source: 'progress_src',
      target: 'progress_dst',
      batchRows: 10,
      onProgress: (progress) => events.push(progress),
    });
    expect(result.success).toBe(true);
    const phases = events.map((event) => event.phase).filter((phase, index, all) => phase !== all[index - 1]);
    expect(phases).toEqual(['validate', 'create', 'copy', 'verify', 'register', 'backup', 'done']);
    const copied = events.filter((event) => event.phase === 'copy').map((event) => event.rows_done ?? -1);
    expect(copied.length).toBeGreaterThan(2);
    expect(copied).toEqual([...copied].sort((a, b) => a - b));
    expect(copied.at(-1)).toBe(45);
    expect(events.every((event) => event.rows_total === undefined || event.rows_total === 45)).toBe(true);
  });

  it('writes one structured audit line per operation, for successes, failures and refusals', async () => {
    await seedNamespace(db, { namespace: 'audit_src', dimensions: DIMENSIONS, rows: 12, seed: 12 });
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        callback();
      },
    });
    const migration = createNamespaceMigration({ db, logger: createLogger({ level: 'info', destination }) });

    const result = await migration.copyNamespace({ source: 'audit_src', target: 'audit_dst' });
    await expectDjeError(
      migration.copyNamespace({ source: 'audit_src', target: 'audit_dst' }),
      'TARGET_EXISTS',
    );
    const cancelled = new AbortController();
    cancelled.abort();
    await migration.copyNamespace({
      source: 'audit_src',
      target: 'audit_cancelled',
      signal: cancelled.signal,
    });

    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      operation: 'copy',
      source: 'audit_src',
      target: 'audit_dst',
      rows: 12,
      success: true,
      checksum: result.checksum,
      duration_seconds: result.duration_seconds,
    });
    expect(lines[1]).toMatchObject({
      operation: 'copy',
      success: false,
      rejected: true,
      error_code: 'TARGET_EXISTS',
    });
    expect(lines[2]).toMatchObject({
      operation: 'copy',
      target: 'audit_cancelled',
      success: false,
      error_code: 'MIGRATION_CANCELLED',
    });
  });

  it('plans a dry run without changing anything, and reports what would run and why it may not', async () => {
    await seedNamespace(db, { namespace: 'plan_src', dimensions: DIMENSIONS, rows: 33, seed: 13 });
    await createNamespace(db, {
      namespace: 'plan_taken',
      dimensions: DIMENSIONS,
      provider: 'local',
      model: 'feature-hash-v1',
    });
    const migration = createNamespaceMigration({ db });
    const snapshot = await catalogSnapshot(db);

    const plan = await migration.planMigration({ source: 'plan_src', target: 'plan_dst', mode: 'move' });
    const refused = await migration.planMigration({ source: 'plan_src', target: 'plan_taken' });
    const invalid = await migration.planMigration({ source: 'plan_src', target: 'Nope!' });

    expect(await catalogSnapshot(db)).toEqual(snapshot);
    expect(plan).toMatchObject({
      source: 'plan_src',
      target: 'plan_dst',
      mode: 'move',
      source_kind: 'namespace',
      source_table: 'embeddings_plan_src',
      target_table: 'embeddings_plan_dst',
      source_rows: 33,
      target_rows: 0,
      dimensions: DIMENSIONS,
      provider: 'local',
      model: 'feature-hash-v1',
      index_type: 'hnsw',
      valid: true,
    });
    expect(plan.backup_table).toMatch(/^embeddings_backup_plan_src_\d{14}$/);
    const size = await queryRow<{ bytes: number }>(
      db.orm,
      sql`SELECT pg_total_relation_size('embeddings_plan_src')::float8 AS bytes`,
    );
    expect(plan.estimated_bytes).toBe(size?.bytes);
    expect(plan.checks.every((check) => check.ok)).toBe(true);
    expect(plan.steps.some((step) => step.includes('LOCK TABLE embeddings_plan_src IN SHARE MODE'))).toBe(
      true,
    );
    expect(plan.steps.some((step) => step.includes(`to ${plan.backup_table}`))).toBe(true);

    expect(refused.valid).toBe(false);
    expect(refused.checks.find((check) => !check.ok)).toMatchObject({ name: 'target_available' });
    expect(invalid.valid).toBe(false);
    expect(invalid.checks.find((check) => !check.ok)).toMatchObject({ name: 'target_name' });
    expect(invalid.steps).toEqual([]);
  });

  it('makes writers to the source wait during a copy; their rows land in the source afterwards, none lost', async () => {
    const seeded = await seedNamespace(db, {
      namespace: 'busy_src',
      dimensions: DIMENSIONS,
      rows: 60,
      seed: 14,
    });
    const [late] = makeRows({ count: 1, dimensions: DIMENSIONS, seed: 15 });
    const timeline: string[] = [];
    let write: Promise<unknown> | undefined;

    const result = await createNamespaceMigration({ db }).copyNamespace({
      source: 'busy_src',
      target: 'busy_dst',
      batchRows: 10,
      onProgress: (progress) => {
        timeline.push(progress.phase);
        // Issued while the copy holds its lock (on another pool connection over the wire).
        if (progress.phase === 'copy' && write === undefined) {
          write = db.orm
            .insert(namespaceTable('busy_src', DIMENSIONS))
            .values({ ...late!, chunk_id: 'late:1', text_hash: sha256Hex(late!.text) })
            .then(() => timeline.push('write committed'));
        }
      },
    });
    await write;

    expect(result.success).toBe(true);
    expect(result.rows_migrated).toBe(seeded.length);
    // The write finished only after the copy's transaction had registered the target, i.e. it waited.
    expect(timeline.indexOf('write committed')).toBeGreaterThan(timeline.indexOf('register'));
    expect(await countRows(db, 'embeddings_busy_src')).toBe(seeded.length + 1);
    expect(await countRows(db, 'embeddings_busy_dst')).toBe(seeded.length);
    const lateRows = await queryRows(
      db.orm,
      sql`SELECT chunk_id FROM embeddings_busy_src WHERE chunk_id = 'late:1'`,
    );
    expect(lateRows).toHaveLength(1);
  });

  it('makes writers to the source wait during a move and then fail loudly instead of writing into the backup', async () => {
    const seeded = await seedNamespace(db, {
      namespace: 'moving_src',
      dimensions: DIMENSIONS,
      rows: 40,
      seed: 16,
    });
    const [late] = makeRows({ count: 1, dimensions: DIMENSIONS, seed: 17 });
    let write: Promise<unknown> | undefined;

    const result = await createNamespaceMigration({ db }).moveNamespace({
      source: 'moving_src',
      target: 'moving_dst',
      batchRows: 10,
      onProgress: (progress) => {
        if (progress.phase === 'copy' && write === undefined) {
          write = db.orm
            .insert(namespaceTable('moving_src', DIMENSIONS))
            .values({ ...late!, chunk_id: 'late:1', text_hash: sha256Hex(late!.text) })
            .then(
              () => 'written',
              (error: Error) => (error.cause instanceof Error ? error.cause.message : error.message),
            );
        }
      },
    });

    expect(result.success).toBe(true);
    const outcome = await write;
    expect(outcome).not.toBe('written');
    // pglite-socket multiplexes connections onto one session, and its error for the waiting
    // statement is about the unnamed prepared statement instead; PostgreSQL and PGlite name the table.
    if (!db.isPGliteServer) expect(outcome).toMatch(/relation "embeddings_moving_src" does not exist/);
    expect(await countRows(db, 'embeddings_moving_dst')).toBe(seeded.length);
    expect(await countRows(db, result.backup_table ?? '')).toBe(seeded.length);
  });
});
