// The errors a migration can end with, each with a stable code and a message that says what to do.
import {
  createError,
  type DjeError,
  dimensionMismatch as sharedDimensionMismatch,
  embeddingModelMismatch as sharedModelMismatch,
} from '@dynamic-embeddings/core';
import { sqlStateOf } from '@dynamic-embeddings/db';
import type { MigrationResult } from './migration-types.js';

export function invalidMigrationOptions(message: string, details?: Record<string, unknown>): DjeError {
  return createError({
    code: 'INVALID_MIGRATION_OPTIONS',
    message,
    ...(details === undefined ? {} : { details }),
  });
}

export function sameSourceAndTarget(source: string, target: string): DjeError {
  return createError({
    code: 'SAME_SOURCE_AND_TARGET',
    message: `Source "${source}" and target "${target}" are the same table; choose a different target namespace.`,
    details: { source, target },
  });
}

export function legacyTableNotFound(): DjeError {
  return createError({
    code: 'LEGACY_TABLE_NOT_FOUND',
    message:
      'There is no legacy table "embeddings" (nor a namespace named "embeddings") to migrate; nothing to do.',
  });
}

export function targetExists(target: string, tableName: string, why: string): DjeError {
  return createError({
    code: 'TARGET_EXISTS',
    message: `Target namespace "${target}" already exists (${why}). Choose a new target name or drop the existing namespace first; an empty namespace with the same model can also be filled by migrating into the existing one.`,
    details: { target, table_name: tableName },
  });
}

export function targetNotEmpty(target: string, rows: number): DjeError {
  return createError({
    code: 'TARGET_NOT_EMPTY',
    message: `Target namespace "${target}" already holds ${rows} row(s); a migration only fills an empty namespace, so nothing is ever overwritten or merged. Choose a new target, or empty it first.`,
    details: { target, rows },
  });
}

export function dimensionMismatch(options: {
  readonly source: string;
  readonly target: string;
  readonly sourceDimensions: number;
  readonly targetDimensions: number;
}): DjeError {
  return sharedDimensionMismatch(
    `Source "${options.source}" stores ${options.sourceDimensions}-dimensional vectors but target "${options.target}" stores ${options.targetDimensions}-dimensional ones. Migrate into a new namespace instead (omit into: 'existing').`,
    { ...options },
  );
}

export function embeddingModelMismatch(options: {
  readonly source: string;
  readonly target: string;
  readonly sourceModel: string;
  readonly targetModel: string;
}): DjeError {
  return sharedModelMismatch(
    `Source "${options.source}" holds vectors of ${options.sourceModel} but target "${options.target}" was created for ${options.targetModel}; mixing them would make search results meaningless. Migrate into a new namespace instead.`,
    { ...options },
  );
}

export function sourceSchemaMismatch(tableName: string, problem: string): DjeError {
  return createError({
    code: 'SOURCE_SCHEMA_MISMATCH',
    message: `Table ${tableName} cannot be migrated: ${problem}. It needs the namespace schema (see the db package README); fix the table by hand first.`,
    details: { table_name: tableName },
  });
}

export function rowCountMismatch(counts: Record<string, number>): DjeError {
  return createError({
    code: 'ROW_COUNT_MISMATCH',
    message: `Verification failed: row counts differ (${Object.entries(counts)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')}). Everything was rolled back; check for triggers or rules on the tables and re-run.`,
    details: counts,
  });
}

export function checksumMismatch(differingRows: number, firstChunkId: string): DjeError {
  return createError({
    code: 'CHECKSUM_MISMATCH',
    message: `Verification failed: ${differingRows} copied ${differingRows === 1 ? 'row differs' : 'rows differ'} from the source (first: chunk_id "${firstChunkId}"). Everything was rolled back; check for triggers or rules on the target table and re-run.`,
    details: { differing_rows: differingRows, first_chunk_id: firstChunkId },
  });
}

export function migrationCancelled(): DjeError {
  return createError({
    code: 'MIGRATION_CANCELLED',
    message: 'The migration was cancelled and rolled back; nothing changed. Re-run it to migrate.',
  });
}

/** Wraps an unexpected database error raised during the copy; the transaction was rolled back. */
export function migrationFailed(error: unknown): DjeError {
  // Drizzle wraps driver errors in one whose message is the whole SQL text; the driver's is the useful one.
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  // The detail names the offending key or value ("Key (chunk_id)=(a) is duplicated.").
  const detail = (root as { readonly detail?: unknown } | undefined)?.detail;
  const message = `${root instanceof Error ? root.message : String(root)}${typeof detail === 'string' ? ` (${detail})` : ''}`;
  const sqlState = sqlStateOf(error);
  return createError({
    code: 'MIGRATION_FAILED',
    message: `The migration failed and was rolled back, nothing changed: ${message}${sqlState === undefined ? '' : ` (SQLSTATE ${sqlState})`}. Fix the cause and re-run.`,
    cause: error,
    ...(sqlState === undefined ? {} : { details: { sql_state: sqlState } }),
  });
}

/**
 * MIGRATION_FAILED for a caller that got a failed result back (the copy was rolled back): the
 * result's own error is in the message and the whole result in the details.
 */
export function migrationResultFailed(result: MigrationResult): DjeError {
  return createError({
    code: 'MIGRATION_FAILED',
    message: `The migration from "${result.source}" to "${result.target}" failed and was rolled back: ${result.error?.message ?? 'unknown error'}`,
    details: { result },
  });
}
