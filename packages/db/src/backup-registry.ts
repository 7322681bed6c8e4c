// The backup registry: the only code that reads or writes `dje_backups`. A table is retired to a
// backup (renamed with its indexes, constraints and sequence, and recorded) by move and legacy
// migrations, inside their transaction; backups are listed and dropped here.
import { createError } from '@dynamic-embeddings/core';
import { eq, sql } from 'drizzle-orm';
import type { Database, Executor } from './database.js';
import { queryRows } from './database.js';
import { backupNotFound, confirmationRequired } from './db-errors.js';
import { assertIdentifier, boundedIdentifier, ident } from './identifiers.js';
import { unregisterNamespace } from './namespace-registry.js';
import type { BackupInfo } from './registry-types.js';
import { type BackupRow, backupsTable } from './schema/registry.js';
import { tableCatalog, tableExists } from './table-catalog.js';
import { backupTableName, indexNamesFor, isBackupTableName } from './table-names.js';

function toBackupInfo(row: BackupRow, exists: boolean): BackupInfo {
  return {
    table_name: row.table_name,
    namespace: row.namespace,
    source_table: row.source_table,
    reason: row.reason,
    dimensions: row.dimensions,
    provider: row.provider,
    model: row.model,
    index_type: row.index_type,
    row_count: row.row_count,
    exists,
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** Registered backup tables, newest first. */
export async function listBackups(db: Database): Promise<BackupInfo[]> {
  const rows = await db.orm.select().from(backupsTable).orderBy(sql`${backupsTable.created_at} DESC`);
  const existing = await tableCatalog(
    db.orm,
    rows.map((row) => row.table_name),
  );
  return rows.map((row) => toBackupInfo(row, existing.has(row.table_name)));
}

/** Drops a registered backup table and its registry row. Needs `{ confirm: true }`. */
export async function dropBackup(
  db: Database,
  tableName: string,
  options: { readonly confirm?: boolean } = {},
): Promise<boolean> {
  if (!isBackupTableName(tableName)) {
    throw createError({
      code: 'NOT_A_BACKUP',
      message: `"${tableName}" is not a backup table name (backups are named embeddings_backup_…).`,
      details: { table_name: tableName },
    });
  }
  if (options.confirm !== true)
    throw confirmationRequired(`Dropping backup ${tableName}`, {
      details: { action: 'drop_backup', table_name: tableName },
    });
  return db.orm.transaction(async (tx) => {
    const [row] = await tx.select().from(backupsTable).where(eq(backupsTable.table_name, tableName));
    if (row === undefined) {
      throw backupNotFound(tableName);
    }
    if (await tableExists(tx, tableName)) await tx.execute(sql`DROP TABLE ${ident(tableName)}`);
    await tx.delete(backupsTable).where(eq(backupsTable.table_name, tableName));
    return true;
  });
}

function isPlainIdentifier(name: string): boolean {
  try {
    assertIdentifier(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The name an index or sequence of `tableName` gets on `backupName`: the known derived names map
 * one to one; other names that start with the table name keep their suffix; the rest are left.
 */
function renamedFor(name: string, tableName: string, backupName: string): string | undefined {
  const from = indexNamesFor(tableName);
  const to = indexNamesFor(backupName);
  for (const key of Object.keys(from) as (keyof typeof from)[]) {
    if (from[key] === name) return to[key];
  }
  if (name.startsWith(`${tableName}_`) && isPlainIdentifier(name)) {
    return boundedIdentifier(backupName, name.slice(tableName.length));
  }
  return undefined;
}

/** A backup name for `namespace` that no table or backup row uses yet (second resolution, so step on). */
export async function freeBackupName(executor: Executor, namespace: string, at: Date): Promise<string> {
  for (let offset = 0; ; offset++) {
    const name = backupTableName(namespace, new Date(at.getTime() + offset * 1000));
    const registered = await executor
      .select({ table_name: backupsTable.table_name })
      .from(backupsTable)
      .where(eq(backupsTable.table_name, name));
    if (registered.length === 0 && !(await tableExists(executor, name))) return name;
  }
}

async function renameTableToBackup(
  executor: Pick<Executor, 'execute'>,
  options: { readonly tableName: string; readonly backupName: string },
): Promise<void> {
  const { tableName, backupName } = options;
  // Indexes (constraint indexes rename their constraint with them) and owned sequences.
  const dependents = await queryRows<{ name: string; kind: 'index' | 'sequence' }>(
    executor,
    sql`SELECT ic.relname AS name, 'index' AS kind FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = to_regclass(quote_ident(${tableName}))
        UNION ALL
        SELECT s.relname AS name, 'sequence' AS kind FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
        WHERE d.classid = 'pg_class'::regclass AND d.refobjid = to_regclass(quote_ident(${tableName}))
          AND s.relkind = 'S' AND d.deptype IN ('a', 'i')`,
  );
  await executor.execute(sql`ALTER TABLE ${ident(tableName)} RENAME TO ${ident(backupName)}`);
  for (const dependent of dependents) {
    const renamed = renamedFor(dependent.name, tableName, backupName);
    if (renamed === undefined || renamed === dependent.name) continue;
    const statement =
      dependent.kind === 'index'
        ? sql`ALTER INDEX ${ident(dependent.name)} RENAME TO ${ident(renamed)}`
        : sql`ALTER SEQUENCE ${ident(dependent.name)} RENAME TO ${ident(renamed)}`;
    await executor.execute(statement);
  }
}

/** What a retired table's backup row records besides its name. */
export type BackupRecord = Omit<typeof backupsTable.$inferInsert, 'table_name' | 'created_at'>;

/**
 * Renames `tableName` to a fresh backup name, records the backup and, when `unregister` names a
 * namespace, removes that namespace's registry row: the names are free for a new namespace at once.
 * Runs inside the caller's transaction; returns the backup's table name.
 */
export async function retireToBackup(
  executor: Executor,
  options: { readonly tableName: string; readonly backup: BackupRecord; readonly unregister?: string },
): Promise<string> {
  const backupName = await freeBackupName(executor, options.backup.namespace, new Date());
  await renameTableToBackup(executor, { tableName: options.tableName, backupName });
  if (options.unregister !== undefined) await unregisterNamespace(executor, options.unregister);
  await executor.insert(backupsTable).values({ ...options.backup, table_name: backupName });
  return backupName;
}
