// Which ANN index the target gets after the copy: the namespace's index type and parameters, built
// when the source had one or the row count reaches the namespace's index_threshold.
import { shouldBuildIndex, type VectorIndexParams, type VectorIndexType } from '@dynamic-embeddings/db';
import type { SourceDescription, TargetDescription } from './inspect-migration.js';

export interface TargetIndexPolicy {
  readonly type: VectorIndexType;
  readonly params: VectorIndexParams;
  readonly threshold: number;
  /** The table the data came from had an index: the target gets one whatever its size. */
  readonly restore: boolean;
  readonly build: boolean;
}

export function targetIndexPolicy(
  source: SourceDescription,
  target: TargetDescription,
  rows: number,
): TargetIndexPolicy {
  // An existing target keeps its own registry row, hence its own policy.
  const existing = target.existing;
  const type = existing?.index_type ?? source.indexType;
  const params = existing?.index_params ?? source.indexParams;
  const threshold = existing?.index_threshold ?? source.indexThreshold;
  const hadIndex = existing === undefined ? source.hasVectorIndex : existing.hasVectorIndex;
  const restore = type !== 'none' && hadIndex;
  const due = shouldBuildIndex({
    indexType: type,
    indexThreshold: threshold,
    indexExists: false,
    rowCount: rows,
  });
  return { type, params, threshold, restore, build: restore || due };
}

export function describePolicy(policy: TargetIndexPolicy, rows: number): string {
  if (policy.type === 'none') return 'no vector index (the namespace uses exact search)';
  const params = Object.entries(policy.params)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return policy.build
    ? `build the ${policy.type} index${params === '' ? '' : ` (${params})`} after commit`
    : `no vector index yet (${rows} rows < index_threshold ${policy.threshold}; search stays exact)`;
}
