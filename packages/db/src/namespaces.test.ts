import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { getTableColumns, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRow, queryRows } from './database.js';
import { vectorLiteral } from './embedding-vector.js';
import { ident, MAX_IDENTIFIER_BYTES } from './identifiers.js';
import {
  addKeyConstraints,
  createNamespace,
  dropBackup,
  dropEmptyNamespace,
  dropNamespace,
  getNamespace,
  getNamespaceStats,
  isCitus,
  listBackups,
  listNamespaces,
  tableExists,
} from './index.js';
import { createTableSql } from './namespace-ddl.js';
import { namespaceTable } from './namespace-table.js';
import { backupsTable, namespacesTable } from './schema/registry.js';
import { backupTableName, getTableName, indexNamesFor } from './table-names.js';
import { connectTarget, INVALID_NAMESPACE_NAMES, testRecord } from './testing/records.js';
import { createVectorStore } from './vector-store.js';

const model = { dimensions: 8, provider: 'test', model: 'namespace-model' } as const;

/** Tables, registry rows and other relations: what a failed call must leave unchanged. */
async function catalogSnapshot(db: Database) {
  const relations = await queryRows<{ name: string }>(
    db.orm,
    sql`SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace ORDER BY relname`,
  );
  const registry = await db.orm.select({ namespace: namespacesTable.namespace }).from(namespacesTable);
  return {
    relations: relations.map((row) => row.name),
    registry: registry.map((row) => row.namespace).sort(),
  };
}

describe.each(databaseTargets)('namespaces on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close();
  });

  describe('naming rules', () => {
    it.each(INVALID_NAMESPACE_NAMES)(
      'refuses %s with INVALID_NAMESPACE_NAME and creates nothing',
      async (_label, name) => {
        const before = await catalogSnapshot(db);
        const error = await djeErrorOf(createNamespace(db, { ...model, namespace: name as string }));
        expect(error.code).toBe('INVALID_NAMESPACE_NAME');
        if (name !== undefined) {
          // Through the store too (where an undefined namespace means the store's default).
          const store = createVectorStore(db, { embedding: model });
          const calls = [
            () =>
              store.insertEmbeddings([testRecord({ index: 0, dimensions: 8 })], {
                namespace: name as string,
              }),
            () => store.similaritySearch({ vector: [1, 0, 0, 0, 0, 0, 0, 0], namespace: name as string }),
            () => store.ensureNamespace({ namespace: name as string }),
            () => dropNamespace(db, name as string, { confirm: true }),
          ];
          for (const call of calls) expect((await djeErrorOf(call())).code).toBe('INVALID_NAMESPACE_NAME');
        }
        expect(() => getTableName(name as string)).toThrow(
          expect.objectContaining({ code: 'INVALID_NAMESPACE_NAME' }),
        );
        expect(await catalogSnapshot(db)).toEqual(before);
      },
    );
  });

  describe('createNamespace', () => {
    it('creates the table and registry row once, then returns the existing namespace', async () => {
      const first = await createNamespace(db, { ...model, namespace: 'created_once' });
      expect(first.created).toBe(true);
      expect(first.namespace).toMatchObject({
        namespace: 'created_once',
        table_name: 'embeddings_created_once',
        dimensions: 8,
        provider: 'test',
        model: 'namespace-model',
        index_type: 'hnsw',
        index_params: { m: 16, ef_construction: 64 },
        index_threshold: 10_000,
      });
      const second = await createNamespace(db, { ...model, namespace: 'created_once' });
      expect(second).toEqual({ created: false, namespace: first.namespace });
      expect(await tableExists(db.orm, 'embeddings_created_once')).toBe(true);
    });

    it('refuses to reopen a namespace with other dimensions or another model', async () => {
      await createNamespace(db, { ...model, namespace: 'fixed_model' });
      expect(
        (await djeErrorOf(createNamespace(db, { ...model, namespace: 'fixed_model', dimensions: 9 }))).code,
      ).toBe('DIMENSION_MISMATCH');
      expect(
        (await djeErrorOf(createNamespace(db, { ...model, namespace: 'fixed_model', model: 'x' }))).code,
      ).toBe('EMBEDDING_MODEL_MISMATCH');
    });

    it.each([
      [{ index: 'flat' as 'hnsw' }, 'INVALID_INDEX_TYPE'],
      [{ index: 'hnsw' as const, indexParams: { lists: 10 } }, 'INVALID_INDEX_PARAMS'],
      [{ index: 'hnsw' as const, indexParams: { m: 0 } }, 'INVALID_INDEX_PARAMS'],
      [{ indexThreshold: -1 }, 'INVALID_INDEX_THRESHOLD'],
      [{ dimensions: 0 }, 'INVALID_DIMENSIONS'],
      [{ dimensions: 16_001 }, 'INVALID_DIMENSIONS'],
    ])('validates its options: %j → %s', async (override, code) => {
      const before = await catalogSnapshot(db);
      expect(
        (await djeErrorOf(createNamespace(db, { ...model, namespace: 'bad_options', ...override }))).code,
      ).toBe(code);
      expect(await catalogSnapshot(db)).toEqual(before);
    });

    it('is safe when several connections race to create the same namespace', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () => createNamespace(db, { ...model, namespace: 'raced' })),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const tables = await queryRow<{ count: number }>(
        db.orm,
        sql`SELECT count(*)::int AS count FROM pg_tables WHERE tablename = 'embeddings_raced'`,
      );
      expect(tables?.count).toBe(1);
      const rows = await db.orm
        .select()
        .from(namespacesTable)
        .where(sql`${namespacesTable.namespace} = 'raced'`);
      expect(rows).toHaveLength(1);
    });

    it('keeps 1536-d vectors in the heap row, and still stores rows too large for a page', async () => {
      const local = (tableName: string) =>
        queryRow<{ options: string[] | null; toast_bytes: number }>(
          db.orm,
          sql`SELECT c.reloptions AS options, pg_relation_size(c.reltoastrelid)::int AS toast_bytes
              FROM pg_class c WHERE c.oid = to_regclass(${tableName})`,
        );
      // On Citus the rows are in the table's shard on a worker: read that shard's catalog there.
      const onShard = async (tableName: string) => {
        const row = await queryRow<{ result: string }>(
          db.orm,
          sql`SELECT result FROM run_command_on_shards(${tableName},
                $$SELECT json_build_object('options', reloptions, 'toast_bytes', pg_relation_size(reltoastrelid)::int)
                  FROM pg_class WHERE oid = '%s'::regclass$$)`,
        );
        return JSON.parse(row?.result ?? 'null') as { options: string[] | null; toast_bytes: number };
      };
      const storage = isCitus(db) ? onShard : local;
      const inline = { dimensions: 1536, provider: 'test', model: 'inline-model' } as const;
      await createNamespace(db, { ...inline, namespace: 'inline_rows' });
      await createVectorStore(db, { embedding: inline }).insertEmbeddings(
        Array.from({ length: 3 }, (_, index) => testRecord({ index, dimensions: 1536 })),
        { namespace: 'inline_rows' },
      );
      expect(await storage('embeddings_inline_rows')).toEqual({
        options: ['toast_tuple_target=8160'],
        // 6 KB vectors and short texts: nothing went to the TOAST table.
        toast_bytes: 0,
      });

      // 4,000 dimensions (16 KB) and a 20 KB text exceed a page: TOASTed as usual, read back intact.
      const wide = { dimensions: 4000, provider: 'test', model: 'wide-model' } as const;
      await createNamespace(db, { ...wide, namespace: 'wide_rows' });
      const record = testRecord({ index: 1, dimensions: 4000, overrides: { text: 'x'.repeat(20_000) } });
      await createVectorStore(db, { embedding: wide }).insertEmbeddings([record], { namespace: 'wide_rows' });
      expect((await storage('embeddings_wide_rows'))?.toast_bytes).toBeGreaterThan(0);
      const stored = await queryRow<{ same_vector: boolean; text_length: number }>(
        db.orm,
        sql`SELECT embedding = ${vectorLiteral(record.embedding)}::vector AS same_vector, length(text) AS text_length
            FROM ${ident('embeddings_wide_rows')}`,
      );
      expect(stored).toEqual({ same_vector: true, text_length: 20_000 });
    });

    it('adopts an unregistered table of the same dimensions and refuses one of others', async () => {
      await db.orm.execute(createTableSql('embeddings_adopted', { dimensions: 8 }));
      const adopted = await createNamespace(db, { ...model, namespace: 'adopted' });
      expect(adopted.created).toBe(true);
      await db.orm.execute(createTableSql('embeddings_foreign', { dimensions: 3 }));
      expect((await djeErrorOf(createNamespace(db, { ...model, namespace: 'foreign' }))).code).toBe(
        'NAMESPACE_TABLE_CONFLICT',
      );
      expect(await getNamespace(db.orm, 'foreign')).toBeUndefined();
    });

    it('refuses to adopt a table that lacks namespace columns (the seed schema has no text_hash)', async () => {
      await db.orm.execute(createTableSql('embeddings_seed_like', { dimensions: 8 }));
      await db.orm.execute(sql`ALTER TABLE ${ident('embeddings_seed_like')} DROP COLUMN text_hash`);
      const before = await catalogSnapshot(db);
      const error = await djeErrorOf(createNamespace(db, { ...model, namespace: 'seed_like' }));
      expect(error.code).toBe('NAMESPACE_TABLE_CONFLICT');
      expect(error.details).toEqual({ table_name: 'embeddings_seed_like', missing_columns: ['text_hash'] });
      expect(await catalogSnapshot(db)).toEqual(before);
    });
  });

  it('names every index and constraint of 50-character namespaces within 63 bytes, distinctly, as predicted', async () => {
    const namespaces = [`${'n'.repeat(45)}aaaaa`, `${'n'.repeat(45)}bbbbb`];
    const indexes: string[] = [];
    for (const namespace of namespaces) {
      await createNamespace(db, { ...model, namespace, indexThreshold: 0 });
      const tableName = getTableName(namespace);
      const names = indexNamesFor(tableName);
      const actualIndexes = await queryRows<{ name: string }>(
        db.orm,
        sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = ${tableName} ORDER BY indexname`,
      );
      expect(actualIndexes.map((row) => row.name)).toEqual(
        [
          names.primaryKey,
          names.chunkIdUnique,
          names.vector,
          names.collection,
          names.document,
          names.strategy,
          names.metadata,
          names.domainTags,
          names.keywords,
        ].sort(),
      );
      const keyConstraints = await queryRows<{ name: string; type: string }>(
        db.orm,
        sql`SELECT conname AS name, contype AS type FROM pg_constraint
            WHERE conrelid = to_regclass(quote_ident(${tableName})) AND contype IN ('p', 'u') ORDER BY contype`,
      );
      expect(keyConstraints).toEqual([
        { name: names.primaryKey, type: 'p' },
        { name: names.chunkIdUnique, type: 'u' },
      ]);
      const allConstraints = await queryRows<{ name: string }>(
        db.orm,
        sql`SELECT conname AS name FROM pg_constraint WHERE conrelid = to_regclass(quote_ident(${tableName}))`,
      );
      for (const { name } of allConstraints)
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
      indexes.push(...actualIndexes.map((row) => row.name));
    }
    for (const name of indexes) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    expect(new Set(indexes).size).toBe(18);
    const backups = namespaces.map((namespace) =>
      backupTableName(namespace, new Date('2024-01-02T03:04:05Z')),
    );
    for (const name of backups) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    expect(new Set(backups).size).toBe(2);
  });

  it('creates a table without its keys for a bulk load and adds the same keys after it', async () => {
    const keys = (tableName: string) =>
      queryRows<{ name: string; definition: string }>(
        db.orm,
        sql`SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
            WHERE conrelid = to_regclass(quote_ident(${tableName})) AND contype IN ('p', 'u') ORDER BY contype`,
      );
    await db.orm.execute(createTableSql('embeddings_keys_now', { dimensions: 8 }));
    await db.orm.execute(createTableSql('embeddings_keys_later', { dimensions: 8, keys: false }));
    expect(await keys('embeddings_keys_later')).toEqual([]);
    await addKeyConstraints(db.orm, 'embeddings_keys_later');
    const names = indexNamesFor('embeddings_keys_later');
    expect(await keys('embeddings_keys_later')).toEqual([
      { name: names.primaryKey, definition: 'PRIMARY KEY (id)' },
      { name: names.chunkIdUnique, definition: 'UNIQUE (chunk_id)' },
    ]);
    expect((await keys('embeddings_keys_now')).map((key) => key.definition)).toEqual(
      (await keys('embeddings_keys_later')).map((key) => key.definition),
    );
    await db.orm.execute(sql`DROP TABLE embeddings_keys_now, embeddings_keys_later`);
  });

  it.each([
    ['vector', 'columns'],
    ['halfvec', 'columns_half'],
  ] as const)(
    "the table factory's columns are exactly the created table's columns (%s)",
    async (storage, namespace) => {
      const { namespace: record } = await createNamespace(db, { ...model, namespace, storage });
      expect(record.storage).toBe(storage);
      const table = namespaceTable(namespace, { dimensions: model.dimensions, storage });
      expect(table.embedding.getSQLType()).toBe(`${storage}(${model.dimensions})`);
      const actual = await queryRows<{
        column_name: string;
        type: string;
        is_nullable: 'YES' | 'NO';
        column_default: string | null;
      }>(
        db.orm,
        sql`SELECT c.column_name, format_type(a.atttypid, a.atttypmod) AS type, c.is_nullable, c.column_default
          FROM information_schema.columns c
          JOIN pg_attribute a ON a.attrelid = to_regclass(quote_ident(c.table_name)) AND a.attname = c.column_name
          WHERE c.table_name = ${record.table_name} ORDER BY c.ordinal_position`,
      );
      // Drizzle's `serial` is an integer column whose default draws from its own sequence.
      const sqlType = (type: string) =>
        type === 'serial' ? 'integer' : type.replace(/^varchar/, 'character varying');
      const expected = Object.values(getTableColumns(table)).map((column) => ({
        column_name: column.name,
        type: sqlType(column.getSQLType()),
        is_nullable: column.notNull ? 'NO' : 'YES',
      }));
      expect(actual.map(({ column_default: _default, ...column }) => column)).toEqual(expected);
      const defaults = Object.fromEntries(
        actual.map((column) => [column.column_name, column.column_default]),
      );
      expect(defaults.id).toMatch(/^nextval\(/);
      expect(defaults).toMatchObject({
        depth_level: '0',
        hierarchy_level: '0',
        semantic_density: '0',
        confidence: '1',
        contains_arrays: 'false',
        is_leaf: 'false',
        created_at: 'now()',
        updated_at: 'now()',
      });
    },
  );

  describe('inspecting and dropping', () => {
    /** Registers `tableName` as the backup a move of `namespace` (8 dimensions, empty) left behind. */
    const registerMovedBackup = (tableName: string, namespace: string) =>
      db.orm.insert(backupsTable).values({
        table_name: tableName,
        namespace,
        source_table: `embeddings_${namespace}`,
        reason: 'move',
        dimensions: 8,
        provider: 'test',
        model: 'namespace-model',
        index_type: 'hnsw',
        row_count: 0,
      });

    it('lists namespaces and their statistics in the documented shapes', async () => {
      const store = createVectorStore(db, { namespace: 'listed', embedding: model });
      await store.insertEmbeddings(
        Array.from({ length: 12 }, (_, index) =>
          testRecord({ index, dimensions: 8, collectionName: index < 4 ? 'one' : 'two' }),
        ),
      );
      const listed = (await listNamespaces(db)).find((entry) => entry.namespace === 'listed');
      expect(listed).toEqual({
        namespace: 'listed',
        table_name: 'embeddings_listed',
        dimensions: 8,
        storage: 'vector',
        provider: 'test',
        model: 'namespace-model',
        index_type: 'hnsw',
        index_params: { m: 16, ef_construction: 64 },
        index_threshold: 10_000,
        recall_target: 0.95,
        search_tuning: {},
        text_search_config: 'simple',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        embedding_count: 12,
        vector_index_exists: false,
        // On Citus: the one worker holding the namespace's single shard.
        ...(isCitus(db) ? { nodes: [expect.stringMatching(/^[\w.]+:\d+$/)], shard_count: 1 } : {}),
      });
      const stats = await getNamespaceStats(db, 'listed');
      expect(stats).toEqual({
        ...listed,
        exists: true,
        collection_count: 2,
        table_size: expect.stringMatching(/^\d+ (bytes|kB|MB)$/),
        table_size_bytes: expect.any(Number),
        index_size: expect.stringMatching(/^\d+ (bytes|kB|MB)$/),
        index_size_bytes: expect.any(Number),
        bytes_per_vector: 8 + 4 * 8,
      });
      // The indexes (primary key, chunk id, filters, keywords) are part of the table's size.
      if (!stats.exists) throw new Error('expected stats');
      expect(stats.index_size_bytes).toBeGreaterThan(0);
      expect(stats.index_size_bytes).toBeLessThan(stats.table_size_bytes);
      expect(await getNamespaceStats(db, 'missing_one')).toEqual({
        namespace: 'missing_one',
        exists: false,
        table_name: 'embeddings_missing_one',
        error: expect.stringContaining('does not exist'),
      });
    });

    it('lists each namespace with its own count and index state, and leaves out one whose table is gone', async () => {
      const counted = createVectorStore(db, { namespace: 'many_a', embedding: model });
      await counted.insertEmbeddings(
        Array.from({ length: 3 }, (_, index) => testRecord({ index, dimensions: 8 })),
      );
      await createNamespace(db, { ...model, namespace: 'many_b', indexThreshold: 0 });
      await createNamespace(db, { ...model, namespace: 'many_c' });
      await db.orm.execute(sql`DROP TABLE embeddings_many_c`);
      const listed = new Map((await listNamespaces(db)).map((entry) => [entry.namespace, entry]));
      expect(listed.get('many_a')).toMatchObject({ embedding_count: 3, vector_index_exists: false });
      expect(listed.get('many_b')).toMatchObject({ embedding_count: 0, vector_index_exists: true });
      expect(listed.has('many_c')).toBe(false);
      expect(await getNamespace(db.orm, 'many_c')).toBeDefined();

      const gone = backupTableName('many_c', new Date('2024-05-06T07:08:09Z'));
      await registerMovedBackup(gone, 'many_c');
      expect((await listBackups(db)).find((entry) => entry.table_name === gone)).toMatchObject({
        exists: false,
      });
    });

    it('dropNamespace needs confirmation, then removes the table and registry row together', async () => {
      await createNamespace(db, { ...model, namespace: 'doomed' });
      for (const options of [{}, { confirm: false }]) {
        const error = await djeErrorOf(dropNamespace(db, 'doomed', options));
        expect(error.code).toBe('CONFIRMATION_REQUIRED');
        expect(error.message).toContain('confirm');
      }
      expect(await tableExists(db.orm, 'embeddings_doomed')).toBe(true);
      expect(await dropNamespace(db, 'doomed', { confirm: true })).toBe(true);
      expect(await tableExists(db.orm, 'embeddings_doomed')).toBe(false);
      expect(await getNamespace(db.orm, 'doomed')).toBeUndefined();
      expect((await djeErrorOf(dropNamespace(db, 'doomed', { confirm: true }))).code).toBe(
        'NAMESPACE_NOT_FOUND',
      );
    });

    it('dropEmptyNamespace drops a namespace without rows and keeps one with a row', async () => {
      await createNamespace(db, { ...model, namespace: 'empty_one' });
      expect(await dropEmptyNamespace(db, 'empty_one')).toBe(true);
      expect(await tableExists(db.orm, 'embeddings_empty_one')).toBe(false);
      expect(await getNamespace(db.orm, 'empty_one')).toBeUndefined();
      expect(await dropEmptyNamespace(db, 'empty_one')).toBe(false);

      const store = createVectorStore(db, { namespace: 'one_row', embedding: model });
      await store.createNamespace({ ...model, namespace: 'one_row' });
      await store.insertEmbedding(testRecord({ index: 0, dimensions: model.dimensions }));
      expect(await dropEmptyNamespace(db, 'one_row')).toBe(false);
      expect(await getNamespace(db.orm, 'one_row')).toMatchObject({ namespace: 'one_row' });
      expect(await getNamespaceStats(db, 'one_row')).toMatchObject({ embedding_count: 1 });
    });

    it('registers, lists and drops backups', async () => {
      const backup = backupTableName('kept', new Date('2024-01-02T03:04:05Z'));
      await db.orm.execute(createTableSql(backup, { dimensions: 8 }));
      await registerMovedBackup(backup, 'kept');
      expect((await listBackups(db)).find((entry) => entry.table_name === backup)).toMatchObject({
        namespace: 'kept',
        reason: 'move',
        exists: true,
      });
      expect((await djeErrorOf(dropBackup(db, backup, {}))).code).toBe('CONFIRMATION_REQUIRED');
      expect((await djeErrorOf(dropBackup(db, 'embeddings_kept', { confirm: true }))).code).toBe(
        'NOT_A_BACKUP',
      );
      expect(await dropBackup(db, backup, { confirm: true })).toBe(true);
      expect(await tableExists(db.orm, backup)).toBe(false);
      expect((await listBackups(db)).some((entry) => entry.table_name === backup)).toBe(false);
    });
  });
});
