// Executes one migration: preflight, then one transaction for everything that must be atomic,
// then the ANN index build after commit. Writes one audit log line per operation.
import { DjeError } from '@dynamic-embeddings/core';
import type { Logger } from '@dynamic-embeddings/core/logger';
import {
  addKeyConstraints,
  buildIndexIfDue,
  type Database,
  type Executor,
  getNamespace,
  type IndexBuildMemory,
  type IndexBuildProgress,
  type IndexBuildStart,
  ident,
  indexTable,
  isCitus,
  lockNamespace,
  registerNamespace,
  retireToBackup,
  separateColocation,
  vectorIndexExists,
} from '@dynamic-embeddings/db';
import { sql } from 'drizzle-orm';
import { type CopyColumns, copyColumns } from './copy-columns.js';
import { continueIdSequence, copyRows } from './copy-rows.js';
import { countRows } from './count-rows.js';
import {
  firstFailure,
  inspectMigration,
  type MigrationRequest,
  type SourceDescription,
  type TargetDescription,
} from './inspect-migration.js';
import {
  checksumMismatch,
  migrationCancelled,
  migrationFailed,
  rowCountMismatch,
} from './migration-errors.js';
import { backupNamespaceOf } from './migration-plan.js';
import type { MigrationProgress, MigrationResult } from './migration-types.js';
import { type PreparedTarget, prepareTarget } from './prepare-target.js';
import { type TargetIndexPolicy, targetIndexPolicy } from './vector-index-policy.js';
import { type CopyVerification, SOURCE_ALIAS, verifyCopy } from './verify-copy.js';

export interface RunOptions {
  readonly db: Database;
  readonly logger: Logger;
  readonly request: MigrationRequest;
  readonly batchRows: number;
  /** Whether the verification also hashes every row for the result's checksum. */
  readonly checksum: boolean;
  readonly onProgress?: ((progress: MigrationProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

interface Committed {
  readonly rows: number;
  readonly checksum: string;
  readonly target: TargetDescription;
  readonly backupTable: string | undefined;
  readonly policy: TargetIndexPolicy;
  readonly ignoredColumns: readonly string[];
}

/** What the copy and verification steps share inside the transaction. */
interface CopyStep {
  readonly source: SourceDescription;
  readonly target: TargetDescription;
  readonly columns: CopyColumns;
  readonly totalRows: number;
  readonly prepared: PreparedTarget;
}

/** Locks both namespaces and inspects the migration again; throws what the checks refuse. */
async function lockAndInspect(
  transaction: Executor,
  request: MigrationRequest,
): Promise<{ readonly source: SourceDescription; readonly target: TargetDescription }> {
  // The locks createNamespace, dropNamespace and index builds take, so they wait for a migration and
  // vice versa (the legacy table shares the lock of a namespace called "embeddings"). Sorted: two
  // migrations over the same pair cannot deadlock.
  for (const namespace of [request.source, request.target].sort())
    await lockNamespace(transaction, namespace);
  // Re-checked under the locks: the preflight's answer may be stale by now.
  const inspection = await inspectMigration(transaction, request);
  const refused = firstFailure(inspection);
  if (refused !== undefined) throw refused;
  return {
    source: inspection.source as SourceDescription,
    target: inspection.target as TargetDescription,
  };
}

/** Copies the rows in batches, moves the id sequence past them and indexes the target; returns the count. */
async function copyIntoTarget(transaction: Executor, options: RunOptions, step: CopyStep): Promise<number> {
  const { source, target, columns, totalRows, prepared } = step;
  const inserted = await copyRows(transaction, {
    sourceTable: source.tableName,
    targetTable: target.tableName,
    columns: columns.columns,
    select: columns.select,
    totalRows,
    batchRows: options.batchRows,
    signal: options.signal,
    onBatch: (rowsDone) =>
      options.onProgress?.({ phase: 'copy', rows_done: rowsDone, rows_total: totalRows }),
  });
  // Fails here, and so rolls everything back, if the source held duplicate ids or chunk_ids.
  if (prepared.keysDeferred) await addKeyConstraints(transaction, target.tableName);
  await continueIdSequence(transaction, target.tableName);
  await indexTable(
    transaction,
    target.tableName,
    target.existing?.text_search_config ?? source.textSearchConfig,
  );
  return inserted;
}

/** Compares every target row with its source row; throws on any count or content mismatch. */
async function verifyTarget(
  transaction: Executor,
  options: RunOptions,
  step: CopyStep & { readonly inserted: number },
): Promise<CopyVerification> {
  const { source, target, columns, totalRows, inserted, prepared } = step;
  const { textHashGenerated } = prepared;
  const verification = await verifyCopy(transaction, {
    sourceTable: source.tableName,
    targetTable: target.tableName,
    columns: columns.columns,
    select: copyColumns(source.columns, { textHashGenerated, sourceAlias: SOURCE_ALIAS }).select,
    storage: source.storage,
    checksum: options.checksum,
    citus: isCitus(options.db),
  });
  if (new Set([totalRows, inserted, verification.matchedRows, verification.targetRows]).size !== 1) {
    throw rowCountMismatch({
      source_rows: totalRows,
      inserted_rows: inserted,
      matched_rows: verification.matchedRows,
      target_rows: verification.targetRows,
    });
  }
  if (verification.differingRows > 0)
    throw checksumMismatch(verification.differingRows, verification.firstDifference ?? '');
  return verification;
}

/** Renames the source to a backup table (and unregisters a namespace source); returns the backup's name. */
function retireSource(
  transaction: Executor,
  request: MigrationRequest,
  source: SourceDescription,
  rows: number,
): Promise<string> {
  const backupNamespace = backupNamespaceOf(request, source.kind);
  return retireToBackup(transaction, {
    tableName: source.tableName,
    ...(source.kind === 'namespace' ? { unregister: request.source } : {}),
    backup: {
      namespace: backupNamespace,
      source_table: source.tableName,
      reason: source.kind === 'legacy' ? 'legacy_migration' : 'move',
      dimensions: source.dimensions ?? 0,
      provider: source.provider,
      model: source.model,
      index_type: source.indexType,
      index_params: source.indexParams,
      row_count: rows,
    },
  });
}

/** Everything that must happen atomically; throws (and so rolls back) on any failure. */
async function copyInTransaction(transaction: Executor, options: RunOptions): Promise<Committed> {
  const { request, onProgress } = options;
  const { source, target } = await lockAndInspect(transaction, request);

  // SHARE blocks INSERT/UPDATE/DELETE on the source until commit and lets readers through.
  await transaction.execute(sql`LOCK TABLE ${ident(source.tableName)} IN SHARE MODE`);
  const totalRows = await countRows(transaction, source.tableName);

  onProgress?.({ phase: 'create', rows_total: totalRows });
  const prepared = await prepareTarget(transaction, {
    request,
    source,
    target,
    distributed: isCitus(options.db),
  });

  const columns = copyColumns(source.columns, { textHashGenerated: prepared.textHashGenerated });
  const step: CopyStep = { source, target, columns, totalRows, prepared };
  onProgress?.({ phase: 'copy', rows_done: 0, rows_total: totalRows });
  const inserted = await copyIntoTarget(transaction, options, step);

  onProgress?.({ phase: 'verify', rows_done: inserted, rows_total: totalRows });
  const verification = await verifyTarget(transaction, options, { ...step, inserted });

  // Verified beside the source; from now on the target moves on its own.
  if (isCitus(options.db) && target.existing === undefined && source.kind === 'namespace') {
    await separateColocation(transaction, target.tableName);
  }
  onProgress?.({ phase: 'register', rows_done: inserted, rows_total: totalRows });
  const policy = targetIndexPolicy(source, target, inserted);
  if (target.existing === undefined) {
    await registerNamespace(transaction, {
      namespace: request.target,
      tableName: target.tableName,
      dimensions: source.dimensions ?? 0,
      storage: source.storage,
      provider: source.provider,
      model: source.model,
      indexType: policy.type,
      indexParams: policy.params,
      indexThreshold: policy.threshold,
      textSearchConfig: source.textSearchConfig,
    });
  }

  let backupTable: string | undefined;
  if (request.mode === 'move') {
    onProgress?.({ phase: 'backup', rows_done: inserted, rows_total: totalRows });
    backupTable = await retireSource(transaction, request, source, inserted);
  }
  if (options.signal?.aborted) throw migrationCancelled();
  return {
    rows: inserted,
    checksum: verification.checksum,
    target,
    backupTable,
    policy,
    ignoredColumns: columns.ignored,
  };
}

/**
 * After commit the namespace is complete and searchable (exactly, by a sequential scan); the ANN
 * index only makes search faster. Building it outside the transaction keeps the source's writers
 * waiting for the copy only. Nothing here can fail the migration: problems become warnings.
 */
async function buildIndexAfterCommit(
  options: RunOptions,
  committed: Committed,
): Promise<{ readonly exists: boolean; readonly warning?: string }> {
  const { db, signal } = options;
  const { policy, target } = committed;
  // The target was created (or had its index dropped) inside the transaction: without a build it has none.
  if (!policy.build) return { exists: false };
  if (signal?.aborted) {
    return {
      exists: false,
      warning: `The migration was committed but the ${policy.type} index build was skipped because the operation was cancelled; search is exact until the index is built.`,
    };
  }
  const rows = { phase: 'index', rows_done: committed.rows, rows_total: committed.rows } as const;
  options.onProgress?.(rows);
  const onProgress = options.onProgress;
  const progress =
    onProgress === undefined
      ? undefined
      : {
          onStart: (start: IndexBuildStart) => onProgress({ ...rows, index_start: start }),
          onProgress: (build: IndexBuildProgress) => onProgress({ ...rows, index_build: build }),
          onMemoryShort: (memory: IndexBuildMemory) => onProgress({ ...rows, index_memory: memory }),
        };
  try {
    const record = await getNamespace(db.orm, options.request.target);
    // The db package's policy, under the namespace lock, so a concurrent writer's build cannot race it.
    if (record !== undefined) {
      await buildIndexIfDue(db, { namespace: record, restore: policy.restore, progress });
    }
    return { exists: await vectorIndexExists(db.orm, target.tableName) };
  } catch (error) {
    const reason =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    options.logger.warn(
      { target: target.tableName, err: error },
      'vector index build after migration failed',
    );
    return {
      exists: await vectorIndexExists(db.orm, target.tableName).catch(() => false),
      warning: `The data was migrated and verified, but building the ${policy.type} index on ${target.tableName} failed (${reason}); search is exact and correct until it is built.`,
    };
  }
}

function seconds(startedAt: number): number {
  return Math.round(performance.now() - startedAt) / 1000;
}

/** The result (and the audit log line) of a migration whose transaction was rolled back. */
function rolledBack(
  { logger, request }: RunOptions,
  failure: {
    readonly audit: Readonly<Record<string, unknown>>;
    readonly startedAt: number;
    readonly caught: unknown;
  },
): MigrationResult {
  const { audit, startedAt, caught } = failure;
  const error = DjeError.isInstance(caught) ? caught : migrationFailed(caught);
  const result: MigrationResult = {
    success: false,
    source: request.source,
    target: request.target,
    mode: request.mode,
    rows_migrated: 0,
    duration_seconds: seconds(startedAt),
    source_action: 'none',
    checksum: '',
    error: { code: error.code, message: error.message },
  };
  logger.error(
    {
      ...audit,
      success: false,
      rows: 0,
      duration_seconds: result.duration_seconds,
      error_code: error.code,
      err: caught,
    },
    'migration failed and was rolled back',
  );
  return result;
}

/** Preflight (throws DjeError before anything changes), then the migration; failures are results. */
export async function runMigration(options: RunOptions): Promise<MigrationResult> {
  const { db, logger, request } = options;
  const startedAt = performance.now();
  const operation = request.legacyOnly ? 'migrate_legacy' : request.mode;
  const audit = {
    operation,
    source: request.source,
    target: request.target,
    mode: request.mode,
    into: request.into,
  };

  options.onProgress?.({ phase: 'validate' });
  const refused = firstFailure(await inspectMigration(db.orm, request));
  if (refused !== undefined) {
    logger.warn({ ...audit, success: false, rejected: true, error_code: refused.code }, 'migration refused');
    throw refused;
  }

  let committed: Committed;
  try {
    if (options.signal?.aborted) throw migrationCancelled();
    committed = await db.orm.transaction((transaction) => copyInTransaction(transaction, options));
  } catch (caught) {
    return rolledBack(options, { audit, startedAt, caught });
  }

  const index = await buildIndexAfterCommit(options, committed);
  const warnings = [
    ...(committed.ignoredColumns.length > 0
      ? [
          `Columns not in the namespace schema were not copied (they remain in the source): ${committed.ignoredColumns.join(', ')}.`,
        ]
      : []),
    ...(index.warning === undefined ? [] : [index.warning]),
  ];
  const result: MigrationResult = {
    success: true,
    source: request.source,
    target: request.target,
    mode: request.mode,
    rows_migrated: committed.rows,
    duration_seconds: seconds(startedAt),
    source_action: committed.backupTable === undefined ? 'kept' : `renamed to ${committed.backupTable}`,
    ...(committed.backupTable === undefined ? {} : { backup_table: committed.backupTable }),
    checksum: committed.checksum,
    vector_index_exists: index.exists,
    ...(warnings.length === 0 ? {} : { warnings }),
  };
  options.onProgress?.({ phase: 'done', rows_done: committed.rows, rows_total: committed.rows });
  logger.info(
    {
      ...audit,
      success: true,
      rows: result.rows_migrated,
      duration_seconds: result.duration_seconds,
      checksum: result.checksum,
      source_action: result.source_action,
      vector_index_exists: index.exists,
      ...(warnings.length === 0 ? {} : { warnings }),
    },
    'migration committed',
  );
  return result;
}
