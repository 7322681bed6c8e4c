import { DjeError } from '@dynamic-embeddings/core';
import {
  connect,
  type Database,
  getNamespace,
  ident,
  indexNamesFor,
  listBackups,
  queryRows,
  tableExists,
} from '@dynamic-embeddings/db';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNamespaceMigration } from './namespace-migration.js';
import { tableChecksum } from './table-checksum.js';
import { catalogSnapshot, indexesOf, makeRows, sha256Hex } from './testing/fixtures.js';

const DIMENSIONS = 8;

/** The seed system's single table: the namespace columns without text_hash, and its own index names. */
async function createLegacyTable(
  db: Database,
  options: {
    readonly rows: number;
    readonly seed: number;
    readonly uniqueChunkIds?: boolean;
    readonly extraColumn?: boolean;
  },
): Promise<void> {
  await db.orm.execute(sql`CREATE TABLE embeddings (
    id serial PRIMARY KEY,
    chunk_id varchar(512) NOT NULL,
    document_id varchar(512) NOT NULL,
    collection_name varchar(255) NOT NULL,
    text text NOT NULL,
    embedding vector(8) NOT NULL,
    strategy varchar(50) NOT NULL,
    content_type varchar(100) NOT NULL,
    path varchar(4096),
    parent_chunk_id varchar(512),
    depth_level integer DEFAULT 0,
    hierarchy_level integer DEFAULT 0,
    semantic_density double precision DEFAULT 0,
    confidence double precision DEFAULT 1,
    chunk_size integer,
    token_count integer,
    key_count integer,
    contains_arrays boolean DEFAULT false,
    is_leaf boolean DEFAULT false,
    domain_tags text[],
    original_keys text[],
    metadata jsonb,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
  )`);
  if (options.uniqueChunkIds !== false) {
    await db.orm.execute(
      sql`ALTER TABLE embeddings ADD CONSTRAINT embeddings_chunk_id_key UNIQUE (chunk_id)`,
    );
  }
  if (options.extraColumn === true)
    await db.orm.execute(sql`ALTER TABLE embeddings ADD COLUMN legacy_score real`);
  // Names the seed chose (not derived from the table name, so they stay with the backup): one set per call.
  await db.orm.execute(
    sql`CREATE INDEX ${ident(`idx_embeddings_collection_${options.seed}`)} ON embeddings (collection_name)`,
  );
  await db.orm.execute(
    sql`CREATE INDEX ${ident(`idx_embeddings_vector_${options.seed}`)} ON embeddings USING hnsw (embedding vector_cosine_ops) WITH (m = 12, ef_construction = 40)`,
  );
  const rows = makeRows({ count: options.rows, dimensions: DIMENSIONS, seed: options.seed }).map(
    (row, index) => ({
      ...row,
      // Without the unique constraint, the seed could hold duplicates: make some.
      chunk_id: options.uniqueChunkIds === false && index % 10 === 0 ? 'duplicate' : row.chunk_id,
      embedding: `[${row.embedding.join(',')}]`,
    }),
  );
  await db.orm.execute(sql`INSERT INTO embeddings (chunk_id, document_id, collection_name, text, embedding, strategy,
                                                  content_type, path, depth_level, domain_tags, metadata)
    SELECT chunk_id, document_id, collection_name, text, embedding::vector, strategy, content_type, path,
           depth_level, domain_tags, metadata
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      chunk_id text, document_id text, collection_name text, text text, embedding text, strategy text,
      content_type text, path text, depth_level int, domain_tags text[], metadata jsonb)`);
}

/** The shared columns of a table, ordered by chunk_id, for comparing legacy rows with migrated ones. */
async function sharedColumns(db: Database, tableName: string) {
  const rows = await queryRows<Record<string, unknown>>(
    db.orm,
    sql`SELECT id, chunk_id, document_id, collection_name, text, embedding::text AS embedding, strategy,
               content_type, path, depth_level, domain_tags::text AS domain_tags, metadata::text AS metadata,
               created_at::text AS created_at
        FROM ${ident(tableName)} ORDER BY chunk_id`,
  );
  return rows;
}

describe.each(databaseTargets)('legacy table migration on $name', (target) => {
  let server: { readonly url: string; close(): Promise<void> };
  let db: Database;

  beforeAll(async () => {
    server = await target.start();
    db = await connect(server.url);
  });
  afterEach(async () => {
    // One legacy table at a time: each test creates its own.
    await db.orm.execute(sql`DROP TABLE IF EXISTS embeddings`);
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
  });

  it('turns the legacy table into the default namespace and keeps it as a registered backup', async () => {
    const migration = createNamespaceMigration({ db });
    expect(await migration.checkLegacyMigrationNeeded()).toEqual({
      legacy_table_exists: false,
      legacy_rows: 0,
      target_exists: false,
      migration_needed: false,
    });
    await createLegacyTable(db, { rows: 40, seed: 21 });
    expect(await migration.checkLegacyMigrationNeeded()).toEqual({
      legacy_table_exists: true,
      legacy_rows: 40,
      target_exists: false,
      migration_needed: true,
    });
    const legacyRows = await sharedColumns(db, 'embeddings');
    const legacyChecksum = await tableChecksum(db.orm, 'embeddings');

    const result = await migration.migrateLegacyTable();

    expect(result).toMatchObject({
      success: true,
      source: 'embeddings',
      target: 'default',
      mode: 'move',
      rows_migrated: 40,
      checksum: legacyChecksum.checksum,
      vector_index_exists: true,
    });
    const backup = result.backup_table ?? '';
    expect(backup).toMatch(/^embeddings_backup_default_\d{14}$/);
    expect(result.source_action).toBe(`renamed to ${backup}`);
    expect(await tableExists(db.orm, 'embeddings')).toBe(false);

    // Same rows, same ids; text_hash filled in as sha256 of the text.
    expect(await sharedColumns(db, 'embeddings_default')).toEqual(legacyRows);
    expect(await sharedColumns(db, backup)).toEqual(legacyRows);
    const hashes = await queryRows<{ text: string; text_hash: string }>(
      db.orm,
      sql`SELECT text, text_hash FROM embeddings_default`,
    );
    for (const row of hashes) expect(row.text_hash).toBe(sha256Hex(row.text));

    // The registry records the legacy defaults for the model and the index the seed had built.
    expect(await getNamespace(db.orm, 'default')).toMatchObject({
      table_name: 'embeddings_default',
      dimensions: DIMENSIONS,
      provider: 'unknown',
      model: 'legacy',
      index_type: 'hnsw',
      index_params: { m: 12, ef_construction: 40 },
    });
    const vectorIndex = (await indexesOf(db, 'embeddings_default')).find(
      (index) => index.name === indexNamesFor('embeddings_default').vector,
    );
    expect(vectorIndex?.definition).toMatch(/m='?12'?, ef_construction='?40'?/);
    expect((await listBackups(db)).find((entry) => entry.table_name === backup)).toMatchObject({
      namespace: 'default',
      source_table: 'embeddings',
      reason: 'legacy_migration',
      row_count: 40,
      exists: true,
    });
    // Names derived from "embeddings" moved with the backup, so a new legacy table could reuse them.
    const backupIndexes = (await indexesOf(db, backup)).map((index) => index.name);
    expect(backupIndexes).not.toContain('embeddings_pkey');
    expect(backupIndexes).not.toContain('embeddings_chunk_id_key');
    expect(backupIndexes).toContain(indexNamesFor(backup).primaryKey);
    expect(backupIndexes).toContain('idx_embeddings_collection_21');

    expect(await migration.checkLegacyMigrationNeeded()).toMatchObject({
      legacy_table_exists: false,
      target_exists: true,
      migration_needed: false,
    });
  });

  it('copies the legacy table into a named namespace with the given model, keeping the table', async () => {
    await createLegacyTable(db, { rows: 15, seed: 22, extraColumn: true });
    const migration = createNamespaceMigration({ db });
    const plan = await migration.planMigration({ source: 'embeddings', target: 'legacy_copy' });
    expect(plan).toMatchObject({
      source_kind: 'legacy',
      source_table: 'embeddings',
      source_rows: 15,
      valid: true,
    });
    expect(plan.steps.some((step) => step.includes('computing text_hash as sha256(text)'))).toBe(true);
    expect(plan.checks.find((check) => check.name === 'source_schema')?.message).toContain('legacy_score');

    const result = await migration.migrateNamespace({
      source: 'embeddings',
      target: 'legacy_copy',
      mode: 'copy',
      provider: 'openai',
      model: 'text-embedding-3-small',
    });

    expect(result.success).toBe(true);
    expect(result.source_action).toBe('kept');
    expect(result.warnings).toEqual([expect.stringContaining('legacy_score')]);
    expect(await sharedColumns(db, 'embeddings_legacy_copy')).toEqual(await sharedColumns(db, 'embeddings'));
    expect(await getNamespace(db.orm, 'legacy_copy')).toMatchObject({
      provider: 'openai',
      model: 'text-embedding-3-small',
    });
  });

  it('rolls back when legacy rows violate the namespace schema (duplicate chunk ids)', async () => {
    await createLegacyTable(db, { rows: 30, seed: 23, uniqueChunkIds: false });
    const snapshot = await catalogSnapshot(db);
    const result = await createNamespaceMigration({ db }).migrateLegacyTable({ target: 'legacy_dupes' });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe('MIGRATION_FAILED');
    // The error names the duplicated key: on one server the unique chunk_id index is built after
    // the load ("is duplicated"); a Citus target has its keys on the shards during the load, so the
    // second row is refused as it arrives ("already exists").
    expect(result.error?.message).toMatch(
      /Key \(chunk_id\)=\(duplicate\) (is duplicated|already exists).*SQLSTATE 23505/,
    );
    expect(result.source_action).toBe('none');
    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });

  it('refuses a legacy table without the required columns before changing anything', async () => {
    await createLegacyTable(db, { rows: 3, seed: 24 });
    await db.orm.execute(sql`ALTER TABLE embeddings DROP COLUMN strategy`);
    const snapshot = await catalogSnapshot(db);
    const error = await createNamespaceMigration({ db })
      .migrateLegacyTable({ target: 'legacy_partial' })
      .catch((caught: unknown) => caught);
    expect(DjeError.isInstance(error)).toBe(true);
    expect((error as DjeError).code).toBe('SOURCE_SCHEMA_MISMATCH');
    expect((error as DjeError).message).toContain('strategy');
    expect(await catalogSnapshot(db)).toEqual(snapshot);
  });
});
