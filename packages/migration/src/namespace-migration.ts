// The NamespaceMigration factory: validates options, then delegates to inspection, planning and
// the runner.
import { createLogger, type Logger } from '@dynamic-embeddings/core/logger';
import { type Database, getNamespace, getTableName, tableExists } from '@dynamic-embeddings/db';
import { DEFAULT_BATCH_ROWS } from './copy-rows.js';
import { countRows } from './count-rows.js';
import { inspectMigration, LEGACY_TABLE, type MigrationRequest } from './inspect-migration.js';
import { invalidMigrationOptions } from './migration-errors.js';
import { buildPlan } from './migration-plan.js';
import type { LegacyCheck, MigrateOptions, MigrationMode, NamespaceMigration } from './migration-types.js';
import { runMigration } from './run-migration.js';

export interface CreateNamespaceMigrationOptions {
  readonly db: Database;
  /** Receives one structured audit line per operation (default: a `migration` logger on stderr). */
  readonly logger?: Logger;
}

/** The namespace the legacy table becomes when no target is given. */
export const DEFAULT_LEGACY_TARGET = 'default';

type RequestOptions = Pick<MigrateOptions, 'source' | 'target' | 'mode' | 'into' | 'provider' | 'model'>;

function toRequest(options: RequestOptions, legacyOnly: boolean): MigrationRequest {
  const mode: MigrationMode = options.mode ?? 'copy';
  const into = options.into ?? 'new';
  if (mode !== 'copy' && mode !== 'move') {
    throw invalidMigrationOptions(`Unknown migration mode ${JSON.stringify(mode)}: use 'copy' or 'move'.`);
  }
  if (into !== 'new' && into !== 'existing') {
    throw invalidMigrationOptions(`Unknown value for into ${JSON.stringify(into)}: use 'new' or 'existing'.`);
  }
  for (const key of ['provider', 'model'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw invalidMigrationOptions(`${key} must be a non-empty string when given.`);
    }
  }
  return {
    source: options.source,
    target: options.target,
    mode,
    into,
    legacyOnly,
    provider: options.provider,
    model: options.model,
  };
}

function batchRowsOf(options: { readonly batchRows?: number }): number {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw invalidMigrationOptions(`batchRows must be a whole number ≥ 1, got ${String(options.batchRows)}.`);
  }
  return batchRows;
}

function checksumOf(options: { readonly checksum?: boolean }): boolean {
  if (options.checksum !== undefined && typeof options.checksum !== 'boolean') {
    throw invalidMigrationOptions(`checksum must be true or false, got ${JSON.stringify(options.checksum)}.`);
  }
  return options.checksum !== false;
}

export function createNamespaceMigration(options: CreateNamespaceMigrationOptions): NamespaceMigration {
  const { db } = options;
  const logger = options.logger ?? createLogger({ name: 'migration' });

  async function migrate(migrateOptions: MigrateOptions, legacyOnly: boolean) {
    const request = toRequest(migrateOptions, legacyOnly);
    // Provider and model describe legacy vectors only; a namespace's model is fixed in its registry.
    if (!legacyOnly && (request.provider !== undefined || request.model !== undefined)) {
      const legacySource =
        request.source === LEGACY_TABLE && (await getNamespace(db.orm, LEGACY_TABLE)) === undefined;
      if (!legacySource) {
        throw invalidMigrationOptions(
          `provider and model can only be given for the legacy table "${LEGACY_TABLE}"; namespace "${request.source}" keeps the model it was created with.`,
        );
      }
    }
    return runMigration({
      db,
      logger,
      request,
      batchRows: batchRowsOf(migrateOptions),
      checksum: checksumOf(migrateOptions),
      onProgress: migrateOptions.onProgress,
      signal: migrateOptions.signal,
    });
  }

  return {
    db,
    migrateNamespace: (migrateOptions) => migrate(migrateOptions, false),
    copyNamespace: (migrateOptions) => migrate({ ...migrateOptions, mode: 'copy' }, false),
    moveNamespace: (migrateOptions) => migrate({ ...migrateOptions, mode: 'move' }, false),
    migrateLegacyTable: (legacyOptions = {}) =>
      migrate(
        {
          ...legacyOptions,
          source: LEGACY_TABLE,
          target: legacyOptions.target ?? DEFAULT_LEGACY_TARGET,
          mode: 'move',
        },
        true,
      ),

    async checkLegacyMigrationNeeded(checkOptions = {}): Promise<LegacyCheck> {
      const target = checkOptions.target ?? DEFAULT_LEGACY_TARGET;
      const targetTable = getTableName(target);
      const legacyExists = await tableExists(db.orm, LEGACY_TABLE);
      const rows = legacyExists ? await countRows(db.orm, LEGACY_TABLE) : 0;
      const targetExists =
        (await tableExists(db.orm, targetTable)) || (await getNamespace(db.orm, target)) !== undefined;
      return {
        legacy_table_exists: legacyExists,
        legacy_rows: rows,
        target_exists: targetExists,
        migration_needed: legacyExists && rows > 0 && !targetExists,
      };
    },

    async planMigration(planOptions) {
      const request = toRequest(planOptions, false);
      const inspection = await inspectMigration(db.orm, request);
      const plan = buildPlan(inspection, request, { batchRows: DEFAULT_BATCH_ROWS, at: new Date() });
      logger.debug(
        { operation: 'plan', source: request.source, target: request.target, valid: plan.valid },
        'migration planned',
      );
      return plan;
    },
  };
}
