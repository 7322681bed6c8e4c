export { DEFAULT_BATCH_ROWS } from './copy-rows.js';
export { LEGACY_DEFAULT_MODEL, LEGACY_DEFAULT_PROVIDER, LEGACY_TABLE } from './inspect-migration.js';
export { migrationResultFailed } from './migration-errors.js';
export type {
  LegacyCheck,
  LegacyMigrateOptions,
  MigrateOptions,
  MigrationMode,
  MigrationPlan,
  MigrationProgress,
  MigrationResult,
  NamespaceMigration,
  ValidationCheck,
} from './migration-types.js';
export {
  type CreateNamespaceMigrationOptions,
  createNamespaceMigration,
  DEFAULT_LEGACY_TARGET,
} from './namespace-migration.js';
export { type TableChecksum, tableChecksum } from './table-checksum.js';
