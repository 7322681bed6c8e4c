// The migration's target inside its transaction: a new table, or an existing empty one readied for
// the copy.
import {
  createNamespaceTable,
  dropVectorIndex,
  type Executor,
  ident,
  readEntry,
} from '@dynamic-embeddings/db';
import { sql } from 'drizzle-orm';
import { countRows } from './count-rows.js';
import type { MigrationRequest, SourceDescription, TargetDescription } from './inspect-migration.js';
import { targetNotEmpty } from './migration-errors.js';

/** How the prepared target takes the copy. */
export interface PreparedTarget {
  /** Whether the target computes text_hash itself. */
  readonly textHashGenerated: boolean;
  /** A new table without its primary key and unique chunk_id yet: the copy adds them after the load. */
  readonly keysDeferred: boolean;
}

/** Creates the target table, or locks an existing (empty) one and drops its ANN index. */
export async function prepareTarget(
  transaction: Executor,
  options: {
    readonly request: MigrationRequest;
    readonly source: SourceDescription;
    readonly target: TargetDescription;
    /** A Citus coordinator: a new target table is distributed like every namespace table. */
    readonly distributed: boolean;
  },
): Promise<PreparedTarget> {
  const { source, target, distributed } = options;
  // New targets compute text_hash themselves; an existing one may be from before that.
  if (target.existing === undefined) {
    await createNamespaceTable(transaction, {
      tableName: target.tableName,
      dimensions: source.dimensions ?? 0,
      storage: source.storage,
      textSearchConfig: source.textSearchConfig,
      distributed,
      // On Citus, beside the source: the copy and the verification's join then run on one worker.
      colocateWith: source.kind === 'namespace' ? source.tableName : undefined,
      // Two unique indexes maintained row by row cost the load more than building them once after
      // it. Citus keeps its keys from the start: constraints on distributed tables are its DDL.
      keys: distributed,
    });
    return { textHashGenerated: true, keysDeferred: !distributed };
  }
  const textHashGenerated = (await readEntry(transaction, options.request.target))?.textHash !== 'written';
  await transaction.execute(sql`LOCK TABLE ${ident(target.tableName)} IN EXCLUSIVE MODE`);
  const rows = await countRows(transaction, target.tableName);
  if (rows > 0) throw targetNotEmpty(options.request.target, rows);
  // Loading into an ANN index row by row is slow; it is rebuilt after commit instead.
  if (target.existing.hasVectorIndex) await dropVectorIndex(transaction, target.tableName);
  return { textHashGenerated, keysDeferred: false };
}
