// Bringing an older namespace table up to CURRENT_TABLE_VERSION: on its next write, or now with
// `dje namespace reindex`.
import { eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from './database.js';
import { validateNamespaceName } from './identifiers.js';
import { addKeywordsColumnSql } from './keyword-column.js';
import { CURRENT_TABLE_VERSION } from './namespace-ddl.js';
import { indexTable, lockNamespace, requireEntry } from './namespace-registry.js';
import type { NamespaceRecord } from './registry-types.js';
import { namespacesTable } from './schema/registry.js';
import { filterIndexNames, indexNamesFor } from './table-names.js';

/**
 * `dje namespace reindex`: builds whatever filter indexes the namespace's table lacks (a table
 * registered before them, or one whose index was dropped by hand) and records the table version.
 * Returns the indexes it created; the ANN index is left to the index policy.
 */
export async function reindexNamespace(
  db: Database,
  namespace: string,
): Promise<{ readonly namespace: string; readonly created: string[]; readonly table_version: number }> {
  validateNamespaceName(namespace);
  const { record } = await requireEntry(db.orm, namespace);
  const wanted = filterIndexNames(indexNamesFor(record.table_name));
  const present = await queryRows<{ name: string }>(
    db.orm,
    sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = ${record.table_name}`,
  );
  const existing = new Set(present.map((row) => row.name));
  await upgradeTable(db, record);
  return {
    namespace,
    created: wanted.filter((name) => !existing.has(name)),
    table_version: CURRENT_TABLE_VERSION,
  };
}

/**
 * Brings an older namespace table up to CURRENT_TABLE_VERSION and records it, in two
 * transactions under the namespace's lock: the keyword column (a rewrite of the table), then the
 * indexes and the version. Each step is idempotent and the version is recorded last, so an
 * interrupted upgrade resumes at the step it did not finish, on the next write or reindex.
 */
export async function upgradeTable(db: Database, record: NamespaceRecord): Promise<void> {
  await db.orm.transaction(async (tx) => {
    await lockNamespace(tx, record.namespace);
    await tx.execute(addKeywordsColumnSql(record.table_name, record.text_search_config));
  });
  await db.orm.transaction(async (tx) => {
    await lockNamespace(tx, record.namespace);
    await indexTable(tx, record.table_name, record.text_search_config);
    await tx
      .update(namespacesTable)
      .set({ table_version: CURRENT_TABLE_VERSION })
      .where(eq(namespacesTable.namespace, record.namespace));
  });
}
