// Turns an inspection into the dry-run plan: what would run, in order, and whether it may.
import { backupTableName, getTableName, isValidNamespaceName } from '@dynamic-embeddings/db';
import type { Inspection, MigrationRequest } from './inspect-migration.js';
import type { MigrationPlan } from './migration-types.js';
import { describePolicy, targetIndexPolicy } from './vector-index-policy.js';

/** The namespace a backup of the source is filed under: the source's, or the target's for the legacy table. */
export function backupNamespaceOf(request: MigrationRequest, sourceKind: 'namespace' | 'legacy'): string {
  return sourceKind === 'legacy' ? request.target : request.source;
}

function steps(inspection: Inspection, request: MigrationRequest, options: PlanOptions): string[] {
  const { source, target } = inspection;
  if (source === undefined || target === undefined) return [];
  const existing = target.existing;
  // A source without text_hash gets it from its text: in the copy's SELECT, or by a target that generates it.
  const computesTextHash = !source.columns.includes('text_hash') && source.columns.includes('text');
  const list = [
    `take advisory locks on "${request.source}" and "${request.target}", and LOCK TABLE ${source.tableName} IN SHARE MODE (writers wait until commit; readers continue)`,
    existing === undefined
      ? `create table ${target.tableName} with its own id sequence`
      : `lock ${target.tableName} IN EXCLUSIVE MODE and check it is still empty${existing.hasVectorIndex ? '; drop its vector index until the data is loaded' : ''}`,
    `copy ${source.rows} row(s) with INSERT … SELECT in slices of about ${options.batchRows} rows, keeping ids${computesTextHash ? ', computing text_hash as sha256(text)' : ''}`,
    `set ${target.tableName}'s own id sequence past the largest copied id`,
    `create the B-tree indexes on ${target.tableName} (collection_name, document_id, strategy)`,
    `verify: row counts and checksums of ${source.tableName} and ${target.tableName} must be equal`,
    existing === undefined
      ? `register namespace "${request.target}" (${source.dimensions} dimensions, ${source.provider}/${source.model}, index ${source.indexType})`
      : `keep the registry entry of "${request.target}"`,
  ];
  if (request.mode === 'move') {
    const backup = backupTableName(backupNamespaceOf(request, source.kind), options.at);
    list.push(`rename ${source.tableName} with its indexes and sequence to ${backup}`);
    if (source.kind === 'namespace') list.push(`remove namespace "${request.source}" from the registry`);
    list.push(`register ${backup} as a backup (kept until dropped explicitly)`);
  }
  list.push('commit; any failure before this point rolls back every step above');
  list.push(describePolicy(targetIndexPolicy(source, target, source.rows), source.rows));
  return list;
}

export interface PlanOptions {
  readonly batchRows: number;
  /** When the plan is made: it names the backup table. */
  readonly at: Date;
}

export function buildPlan(
  inspection: Inspection,
  request: MigrationRequest,
  options: PlanOptions,
): MigrationPlan {
  const { source, target } = inspection;
  const backupNamespace = source === undefined ? undefined : backupNamespaceOf(request, source.kind);
  const plan: MigrationPlan = {
    source: request.source,
    target: request.target,
    mode: request.mode,
    into: request.into,
    source_kind: source?.kind ?? null,
    source_table:
      source?.tableName ?? (isValidNamespaceName(request.source) ? getTableName(request.source) : ''),
    target_table: isValidNamespaceName(request.target) ? getTableName(request.target) : '',
    ...(request.mode === 'move' && backupNamespace !== undefined && isValidNamespaceName(backupNamespace)
      ? { backup_table: backupTableName(backupNamespace, options.at) }
      : {}),
    source_rows: source?.rows ?? 0,
    target_rows: target?.existing?.rows ?? 0,
    dimensions: source?.dimensions ?? null,
    provider: source?.provider ?? null,
    model: source?.model ?? null,
    index_type: source?.indexType ?? null,
    // The copy writes about as much as the source holds: heap, TOAST and indexes.
    estimated_bytes: source?.bytes ?? 0,
    steps: steps(inspection, request, options),
    checks: inspection.checks.map(({ name, ok, message }) => ({ name, ok, message })),
    valid: inspection.checks.every((check) => check.ok),
  };
  return plan;
}
