// Renames a table to a backup together with the indexes, constraints and sequence named after it,
// so the original names are free again (a new namespace of the same name, or the migration's
// target, reuses them) and the backup's names stay unique.
import {
  assertIdentifier,
  backupsTable,
  backupTableName,
  boundedIdentifier,
  type Executor,
  ident,
  indexNamesFor,
  queryRows,
  tableExists,
} from '@dynamic-embeddings/db';
import { eq, sql } from 'drizzle-orm';

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

export async function renameTableToBackup(
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
