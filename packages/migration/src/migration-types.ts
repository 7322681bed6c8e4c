// The NamespaceMigration contract: what the CLI and the HTTP server code against.
import type { Database, IndexBuildMemory, IndexBuildProgress, IndexBuildStart } from '@dynamic-embeddings/db';

export type MigrationMode = 'copy' | 'move';

export interface MigrationProgress {
  readonly phase: 'validate' | 'create' | 'copy' | 'verify' | 'index' | 'register' | 'backup' | 'done';
  readonly rows_done?: number;
  readonly rows_total?: number;
  /** Index phase, while the ANN index is built after commit: PostgreSQL's reading of the build. */
  readonly index_build?: IndexBuildProgress;
  /** Index phase, before an HNSW build whose graph will not fit in the memory the build may use. */
  readonly index_memory?: IndexBuildMemory;
  /** Index phase, once, when the build after commit starts (on every database): which index. */
  readonly index_start?: IndexBuildStart;
}

export interface MigrateOptions {
  /** A namespace, or `embeddings` for the legacy table. */
  readonly source: string;
  /** A namespace that does not exist yet (or is empty, with `into: 'existing'`). */
  readonly target: string;
  readonly mode?: MigrationMode;
  /** `new` (default): the target must not exist. `existing`: the target may exist if it is empty and compatible. */
  readonly into?: 'new' | 'existing';
  readonly onProgress?: (progress: MigrationProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * Legacy source only: the embedding provider recorded for the new namespace (default `unknown`;
   * the legacy table does not say which provider made its vectors).
   */
  readonly provider?: string;
  /** Legacy source only: the embedding model recorded for the new namespace (default `legacy`). */
  readonly model?: string;
  /** Rows per `INSERT … SELECT` statement (default 10,000): the granularity of progress and cancellation. */
  readonly batchRows?: number;
  /**
   * Compute the result's `checksum` (default true). Verification compares every row with its source
   * exactly either way; `false` skips only the md5 hashing of every vector, a third or more of a
   * large copy's time, and leaves `checksum` empty.
   */
  readonly checksum?: boolean;
}

/** Options of `migrateLegacyTable`: the legacy table `embeddings` moves to `target` (default `default`). */
export interface LegacyMigrateOptions extends Omit<MigrateOptions, 'source' | 'target' | 'mode'> {
  readonly target?: string;
}

/** The seed's result shape plus a checksum. */
export interface MigrationResult {
  readonly success: boolean;
  readonly source: string;
  readonly target: string;
  readonly mode: MigrationMode;
  readonly rows_migrated: number;
  readonly duration_seconds: number;
  /** `kept` (copy), `renamed to <backup table>` (move/legacy), or `none` on failure. */
  readonly source_action: string;
  readonly backup_table?: string;
  /** md5 over (chunk_id, md5(text), embedding) of all rows, equal on both sides; empty with `checksum: false` or on failure. */
  readonly checksum: string;
  /** Whether the target has a valid ANN index when the call returns (built after commit, see README). */
  readonly vector_index_exists?: boolean;
  /** Things the caller should know that did not fail the migration (columns not copied, index build failed). */
  readonly warnings?: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ValidationCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
}

export interface MigrationPlan {
  readonly source: string;
  readonly target: string;
  readonly mode: MigrationMode;
  /** `namespace`, `legacy` (the table `embeddings`), or null when the source was not found. */
  readonly source_kind?: 'namespace' | 'legacy' | null;
  readonly into?: 'new' | 'existing';
  readonly source_table: string;
  readonly target_table: string;
  /** Move and legacy: the backup table the source would be renamed to (its timestamp is the plan's). */
  readonly backup_table?: string;
  readonly source_rows: number;
  readonly target_rows: number;
  readonly dimensions: number | null;
  readonly provider: string | null;
  readonly model: string | null;
  readonly index_type: string | null;
  readonly estimated_bytes: number;
  readonly steps: readonly string[];
  readonly checks: readonly ValidationCheck[];
  /** True when every check passed. */
  readonly valid: boolean;
}

export interface LegacyCheck {
  readonly legacy_table_exists: boolean;
  readonly legacy_rows: number;
  readonly target_exists: boolean;
  readonly migration_needed: boolean;
}

export interface NamespaceMigration {
  readonly db: Database;
  migrateNamespace(options: MigrateOptions): Promise<MigrationResult>;
  copyNamespace(options: Omit<MigrateOptions, 'mode'>): Promise<MigrationResult>;
  moveNamespace(options: Omit<MigrateOptions, 'mode'>): Promise<MigrationResult>;
  migrateLegacyTable(options?: LegacyMigrateOptions): Promise<MigrationResult>;
  checkLegacyMigrationNeeded(options?: { readonly target?: string }): Promise<LegacyCheck>;
  /** Dry run: changes nothing. */
  planMigration(options: Pick<MigrateOptions, 'source' | 'target' | 'mode' | 'into'>): Promise<MigrationPlan>;
}
