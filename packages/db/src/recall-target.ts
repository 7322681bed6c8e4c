// Changing a namespace's recall target: recorded in the registry, then the index settings are
// calibrated to it at once when the namespace has an index (otherwise when the index is built).
import { DjeError } from '@dynamic-embeddings/core';
import { eq } from 'drizzle-orm';
import type { Database } from './database.js';
import { namespaceNotFound } from './db-errors.js';
import { validateNamespaceName } from './identifiers.js';
import { openNamespace } from './namespace-handle.js';
import { lockNamespace, validRecallTarget } from './namespace-registry.js';
import type { NamespaceRecord } from './registry-types.js';
import { namespacesTable } from './schema/registry.js';

export async function setRecallTarget(
  db: Database,
  namespace: string,
  target: number,
): Promise<{ readonly namespace: NamespaceRecord; readonly calibrated: boolean }> {
  validateNamespaceName(namespace);
  const recallTarget = validRecallTarget(target);
  const updated = await db.orm.transaction(async (tx) => {
    await lockNamespace(tx, namespace);
    return tx
      .update(namespacesTable)
      .set({ recall_target: recallTarget, search_tuning: {} })
      .where(eq(namespacesTable.namespace, namespace))
      .returning({ namespace: namespacesTable.namespace });
  });
  if (updated.length === 0) throw namespaceNotFound(namespace);
  const handle = await openNamespace(db, namespace);
  const calibrated = await handle.calibrate().then(
    () => true,
    (error: unknown) => {
      if (DjeError.isInstance(error) && error.code === 'NO_VECTOR_INDEX') return false;
      throw error;
    },
  );
  return { namespace: (await openNamespace(db, namespace)).record, calibrated };
}
