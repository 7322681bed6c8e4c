// The main flow against PostgreSQL over the wire (postgres.js): DATABASE_URL from the environment,
// namespaces via DJE_NAMESPACE, search, and every migration command with its safety rails.
import { connect } from '@dynamic-embeddings/pipeline';
import { startTestDatabase, type TestDatabase } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dje, errorCodeOf, examplesDir, jsonOf } from './testing/dje.js';

interface NamespaceJson {
  readonly namespace: string;
  readonly embedding_count: number;
}

describe('dje against PostgreSQL over the wire (postgres://)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let chunks = 0;
  const namespaces = async () =>
    jsonOf<NamespaceJson[]>(await dje(['namespace', 'list', '--json'], { env }))
      .map((entry) => [entry.namespace, entry.embedding_count])
      .sort();

  beforeAll(async () => {
    database = await startTestDatabase();
    env = { DATABASE_URL: database.url };
  });
  afterAll(async () => {
    await database?.close();
  });

  it('ingests into a namespace from DJE_NAMESPACE and searches it', async () => {
    const ingest = await dje(['ingest', examplesDir, '--collection', 'demo', '--json'], {
      env: { ...env, DJE_NAMESPACE: 'production' },
    });
    expect(ingest.stderr).not.toMatch(/^error/m);
    expect(ingest.code).toBe(0);
    const result = jsonOf<{ namespace: string; sources: number; chunks: number; embedded: number }>(ingest);
    expect(result).toMatchObject({ namespace: 'production', sources: 5 });
    chunks = result.chunks;
    expect(result.embedded).toBe(chunks);
    // The same command again embeds nothing and says it skipped every document as already stored.
    const again = await dje(['ingest', examplesDir, '--collection', 'demo'], {
      env: { ...env, DJE_NAMESPACE: 'production' },
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /0 embedded, [\d,]+ reused.*Skipped: all 5 documents were already stored unchanged, nothing embedded for them\./,
    );

    const search = await dje(
      ['-n', 'production', 'search', 'greenhouse temperature sensor with low battery', '--json'],
      {
        env,
      },
    );
    expect(search.code).toBe(0);
    const hits = jsonOf<Array<{ document_id: string; similarity: number }>>(search);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]?.document_id).toBe('sensor-data');

    // --database-url wins over DATABASE_URL.
    const wrongEnv = await dje(['--database-url', database.url, 'namespace', 'list', '--json'], {
      env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    });
    expect(wrongEnv.code).toBe(0);
    expect(await namespaces()).toEqual([['production', chunks]]);
  });

  it('plans, copies and moves namespaces; move and drop-backup need --force', async () => {
    const plan = await dje(['migrate', 'plan', '--source', 'production', '--target', 'staging', '--json'], {
      env,
    });
    expect(plan.code).toBe(0);
    expect(jsonOf(plan)).toMatchObject({
      source: 'production',
      target: 'staging',
      mode: 'copy',
      source_rows: chunks,
      valid: true,
    });
    const dryRun = await dje(
      ['migrate', 'copy', '--source', 'production', '--target', 'staging', '--dry-run'],
      { env },
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/Dry run: nothing was changed/);
    expect(await namespaces()).toEqual([['production', chunks]]);

    const copy = await dje(['migrate', 'copy', '--source', 'production', '--target', 'staging', '--json'], {
      env,
    });
    expect(copy.code).toBe(0);
    expect(jsonOf(copy)).toMatchObject({
      success: true,
      mode: 'copy',
      rows_migrated: chunks,
      source_action: 'kept',
      checksum: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(await namespaces()).toEqual([
      ['production', chunks],
      ['staging', chunks],
    ]);

    const conflict = await dje(['migrate', 'copy', '--source', 'production', '--target', 'staging'], { env });
    expect(conflict.code).toBe(7);
    expect(errorCodeOf(conflict)).toBe('TARGET_EXISTS');
    // The library's message names no command; the CLI adds its own next step.
    expect(conflict.stderr).toContain('`dje namespace drop staging --force`');

    const refused = await dje(['migrate', 'move', '--source', 'staging', '--target', 'archive'], { env });
    expect(refused.code).toBe(8);
    expect(errorCodeOf(refused)).toBe('CONFIRMATION_REQUIRED');
    expect(await namespaces()).toEqual([
      ['production', chunks],
      ['staging', chunks],
    ]);

    const moved = await dje(
      ['migrate', 'move', '--source', 'staging', '--target', 'archive', '--force', '--no-checksum', '--json'],
      {
        env,
      },
    );
    expect(moved.code).toBe(0);
    const movedResult = jsonOf<{
      success: boolean;
      rows_migrated: number;
      backup_table: string;
      checksum: string;
    }>(moved);
    // --no-checksum: every row is still compared, but no checksum is computed.
    expect(movedResult).toMatchObject({ success: true, rows_migrated: chunks, checksum: '' });
    expect(movedResult.backup_table).toMatch(/^embeddings_backup_/);
    expect(await namespaces()).toEqual([
      ['archive', chunks],
      ['production', chunks],
    ]);

    // A dry run the checks refuse prints the plan and fails, so scripts notice.
    const invalidPlan = await dje(
      ['migrate', 'plan', '--source', 'production', '--target', 'archive', '--json'],
      {
        env,
      },
    );
    expect(invalidPlan.code).toBe(4);
    expect(errorCodeOf(invalidPlan)).toBe('MIGRATION_PLAN_INVALID');
    expect(jsonOf(invalidPlan)).toMatchObject({ valid: false, target: 'archive' });

    const backups = jsonOf<Array<{ table_name: string; row_count: number }>>(
      await dje(['namespace', 'backups', '--json'], { env }),
    );
    expect(backups).toEqual([
      expect.objectContaining({ table_name: movedResult.backup_table, row_count: chunks }),
    ]);

    const keep = await dje(['namespace', 'drop-backup', movedResult.backup_table], { env });
    expect(keep.code).toBe(8);
    expect(jsonOf<unknown[]>(await dje(['namespace', 'backups', '--json'], { env }))).toHaveLength(1);
    const drop = await dje(['namespace', 'drop-backup', movedResult.backup_table, '--force', '--json'], {
      env,
    });
    expect(drop.code).toBe(0);
    expect(jsonOf(drop)).toMatchObject({ table_name: movedResult.backup_table, dropped: true });
    expect(jsonOf<unknown[]>(await dje(['namespace', 'backups', '--json'], { env }))).toEqual([]);

    const missingBackup = await dje(['namespace', 'drop-backup', movedResult.backup_table, '--force'], {
      env,
    });
    expect(missingBackup.code).toBe(3);
  });

  it('checks for and migrates a legacy `embeddings` table, only with --force', async () => {
    const none = await dje(['migrate', 'check', '--json'], { env });
    expect(none.code).toBe(0);
    expect(jsonOf(none)).toMatchObject({ legacy_table_exists: false, migration_needed: false });

    // A legacy table as the seed system left it: the namespace schema under the name `embeddings`.
    const db = await connect(database.url);
    try {
      await db.postgres!.unsafe(
        'CREATE TABLE embeddings (LIKE embeddings_production INCLUDING DEFAULTS); INSERT INTO embeddings SELECT * FROM embeddings_production',
      );
    } finally {
      await db.close();
    }
    const needed = await dje(['migrate', 'check', '--json'], { env });
    expect(jsonOf(needed)).toMatchObject({
      legacy_table_exists: true,
      legacy_rows: chunks,
      migration_needed: true,
    });

    const refused = await dje(['migrate', 'legacy'], { env });
    expect(refused.code).toBe(8);
    expect(errorCodeOf(refused)).toBe('CONFIRMATION_REQUIRED');
    expect(jsonOf(await dje(['migrate', 'check', '--json'], { env }))).toMatchObject({
      migration_needed: true,
    });

    const migrated = await dje(['migrate', 'legacy', '--force', '--json'], { env });
    expect(migrated.code).toBe(0);
    expect(jsonOf(migrated)).toMatchObject({ success: true, target: 'default', rows_migrated: chunks });
    expect(jsonOf(await dje(['migrate', 'check', '--json'], { env }))).toMatchObject({
      legacy_table_exists: false,
      migration_needed: false,
    });
    const nothing = await dje(['migrate', 'legacy', '--force'], { env });
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(/nothing to migrate/);
  });
});
