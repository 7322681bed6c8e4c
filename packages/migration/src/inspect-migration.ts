// Read-only inspection of a migration request: what the source and target are, and every check
// that must pass. The dry run reports it; the migration runs it twice (before and, under locks,
// inside its transaction) and refuses at the first failed check.
import { DjeError } from '@dynamic-embeddings/core';
import {
  canIndex,
  DEFAULT_INDEX_THRESHOLD,
  DEFAULT_TEXT_SEARCH_CONFIG,
  type Executor,
  getNamespace,
  getTableName,
  type NamespaceRecord,
  namespaceNotFound,
  normalizeIndexParams,
  queryRow,
  storageMismatch,
  tableColumns,
  tableEmbeddingColumn,
  tableExists,
  type VectorIndexParams,
  type VectorIndexType,
  type VectorStorage,
  validateNamespaceName,
} from '@dynamic-embeddings/db';
import { sql } from 'drizzle-orm';
import { copyColumns } from './copy-columns.js';
import { countRows } from './count-rows.js';
import {
  dimensionMismatch,
  embeddingModelMismatch,
  legacyTableNotFound,
  sameSourceAndTarget,
  sourceSchemaMismatch,
  targetExists,
  targetNotEmpty,
} from './migration-errors.js';
import type { MigrationMode } from './migration-types.js';
import { readVectorIndexSettings } from './read-index-settings.js';

/** The seed's single table, before namespaces existed. */
export const LEGACY_TABLE = 'embeddings';
export const LEGACY_DEFAULT_PROVIDER = 'unknown';
export const LEGACY_DEFAULT_MODEL = 'legacy';

export interface MigrationRequest {
  readonly source: string;
  readonly target: string;
  readonly mode: MigrationMode;
  readonly into: 'new' | 'existing';
  /** True for migrateLegacyTable: the source is the table `embeddings`, never a namespace of that name. */
  readonly legacyOnly: boolean;
  readonly provider: string | undefined;
  readonly model: string | undefined;
}

export interface SourceDescription {
  readonly kind: 'namespace' | 'legacy';
  readonly name: string;
  readonly tableName: string;
  readonly dimensions: number | undefined;
  /** The embedding column's type; the target stores the same. */
  readonly storage: VectorStorage;
  readonly provider: string;
  readonly model: string;
  readonly indexType: VectorIndexType;
  readonly indexParams: VectorIndexParams;
  readonly indexThreshold: number;
  /** The keyword index's text search configuration; the target gets the same. */
  readonly textSearchConfig: string;
  readonly hasVectorIndex: boolean;
  readonly rows: number;
  /** pg_total_relation_size: heap, TOAST and indexes. */
  readonly bytes: number;
  readonly columns: readonly string[];
}

export interface TargetDescription {
  readonly namespace: string;
  readonly tableName: string;
  /** Set when the target already exists (only allowed with into: 'existing'). */
  readonly existing:
    | (NamespaceRecord & { readonly rows: number; readonly hasVectorIndex: boolean })
    | undefined;
}

export interface InspectionCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
  /** The error the migration throws when this check fails. */
  readonly error?: DjeError;
}

export interface Inspection {
  readonly source: SourceDescription | undefined;
  readonly target: TargetDescription | undefined;
  readonly checks: readonly InspectionCheck[];
}

function passed(name: string, message: string): InspectionCheck {
  return { name, ok: true, message };
}

function failed(name: string, error: DjeError): InspectionCheck {
  return { name, ok: false, message: error.message, error };
}

/** The namespace naming rules as a check: INVALID_NAMESPACE_NAME becomes a failed check. */
function nameCheck(name: string, value: string): InspectionCheck {
  try {
    validateNamespaceName(value);
    return passed(name, `"${value}" is a valid namespace name`);
  } catch (error) {
    return failed(name, error as DjeError);
  }
}

async function tableFacts(executor: Pick<Executor, 'execute'>, tableName: string) {
  const size = await queryRow<{ bytes: number }>(
    executor,
    sql`SELECT pg_total_relation_size(to_regclass(quote_ident(${tableName})))::float8 AS bytes`,
  );
  return {
    rows: await countRows(executor, tableName),
    bytes: size?.bytes ?? 0,
    columns: await tableColumns(executor, tableName),
    vectorIndex: await readVectorIndexSettings(executor, tableName),
  };
}

async function describeSource(
  executor: Executor,
  request: MigrationRequest,
): Promise<SourceDescription | DjeError> {
  const record = request.legacyOnly ? undefined : await getNamespace(executor, request.source);
  if (record !== undefined) {
    if (!(await tableExists(executor, record.table_name))) return namespaceNotFound(request.source);
    const facts = await tableFacts(executor, record.table_name);
    return {
      kind: 'namespace',
      name: request.source,
      tableName: record.table_name,
      dimensions: record.dimensions,
      storage: record.storage,
      provider: record.provider,
      model: record.model,
      indexType: record.index_type,
      indexParams: record.index_params,
      indexThreshold: record.index_threshold,
      textSearchConfig: record.text_search_config,
      hasVectorIndex: facts.vectorIndex !== undefined,
      rows: facts.rows,
      bytes: facts.bytes,
      columns: facts.columns,
    };
  }
  if (request.source !== LEGACY_TABLE) return namespaceNotFound(request.source);
  if (!(await tableExists(executor, LEGACY_TABLE))) return legacyTableNotFound();
  const facts = await tableFacts(executor, LEGACY_TABLE);
  const column = await tableEmbeddingColumn(executor, LEGACY_TABLE);
  const storage = column?.storage ?? 'vector';
  const dimensions = column?.dimensions;
  // Without an index the default applies, unless pgvector cannot index these vectors: then the
  // namespace is searched exactly rather than failing its writes once it reaches the threshold.
  const indexable = dimensions !== undefined && canIndex({ dimensions, storage, indexType: 'hnsw' });
  return {
    kind: 'legacy',
    name: LEGACY_TABLE,
    tableName: LEGACY_TABLE,
    dimensions,
    storage,
    provider: request.provider ?? LEGACY_DEFAULT_PROVIDER,
    model: request.model ?? LEGACY_DEFAULT_MODEL,
    // An index the seed built is kept as the namespace's policy; without one, the defaults apply.
    indexType: facts.vectorIndex?.type ?? (indexable ? 'hnsw' : 'none'),
    indexParams: facts.vectorIndex?.params ?? normalizeIndexParams('hnsw'),
    indexThreshold: DEFAULT_INDEX_THRESHOLD,
    textSearchConfig: DEFAULT_TEXT_SEARCH_CONFIG,
    hasVectorIndex: facts.vectorIndex !== undefined,
    rows: facts.rows,
    bytes: facts.bytes,
    columns: facts.columns,
  };
}

function schemaCheck(source: SourceDescription): InspectionCheck {
  const columns = copyColumns(source.columns);
  if (columns.missing.length > 0) {
    return failed(
      'source_schema',
      sourceSchemaMismatch(source.tableName, `it has no ${columns.missing.join(', ')} column(s)`),
    );
  }
  if (source.dimensions === undefined) {
    return failed(
      'source_schema',
      sourceSchemaMismatch(
        source.tableName,
        'its embedding column is not a vector(N) or halfvec(N) with fixed dimensions',
      ),
    );
  }
  const ignored =
    columns.ignored.length === 0
      ? ''
      : `; columns not in the namespace schema are not copied: ${columns.ignored.join(', ')}`;
  return passed(
    'source_schema',
    `${source.tableName} has the namespace columns (${source.dimensions} dimensions)${ignored}`,
  );
}

async function describeTarget(
  executor: Executor,
  request: MigrationRequest,
  tableName: string,
): Promise<TargetDescription | DjeError> {
  const record = await getNamespace(executor, request.target);
  const exists = await tableExists(executor, tableName);
  if (record === undefined && !exists) return { namespace: request.target, tableName, existing: undefined };
  if (request.into === 'new') {
    return targetExists(
      request.target,
      tableName,
      record === undefined ? `table ${tableName} exists` : 'it is registered',
    );
  }
  if (record === undefined) {
    return targetExists(
      request.target,
      tableName,
      `table ${tableName} exists but is not a registered namespace`,
    );
  }
  if (!exists) {
    return targetExists(request.target, tableName, `it is registered but its table ${tableName} is missing`);
  }
  return {
    namespace: request.target,
    tableName,
    existing: {
      ...record,
      rows: await countRows(executor, tableName),
      hasVectorIndex: (await readVectorIndexSettings(executor, tableName)) !== undefined,
    },
  };
}

function compatibilityChecks(
  request: MigrationRequest,
  source: SourceDescription,
  target: TargetDescription,
): InspectionCheck[] {
  const existing = target.existing;
  if (existing === undefined) {
    return [
      passed(
        'dimensions',
        `${target.tableName} will be created with ${source.dimensions} dimensions (${source.storage}) for ${source.provider}/${source.model}`,
      ),
    ];
  }
  const checks: InspectionCheck[] = [];
  checks.push(
    existing.dimensions === source.dimensions
      ? passed('dimensions', `both store ${existing.dimensions}-dimensional vectors`)
      : failed(
          'dimensions',
          dimensionMismatch({
            source: request.source,
            target: request.target,
            sourceDimensions: source.dimensions ?? 0,
            targetDimensions: existing.dimensions,
          }),
        ),
  );
  checks.push(
    existing.storage === source.storage
      ? passed('storage', `both store ${existing.storage} vectors`)
      : failed(
          'storage',
          storageMismatch(
            `Namespace "${request.target}" stores ${existing.storage} vectors and "${request.source}" ${source.storage}; a copy keeps the values as they are, so both must store the same type.`,
            {
              source: request.source,
              target: request.target,
              expected: existing.storage,
              actual: source.storage,
            },
          ),
        ),
  );
  // A legacy table does not record its model: only a model the caller names is compared.
  const compareModel =
    source.kind === 'namespace' || request.provider !== undefined || request.model !== undefined;
  const sameModel = existing.provider === source.provider && existing.model === source.model;
  checks.push(
    !compareModel || sameModel
      ? passed('embedding_model', `target keeps its model ${existing.provider}/${existing.model}`)
      : failed(
          'embedding_model',
          embeddingModelMismatch({
            source: request.source,
            target: request.target,
            sourceModel: `${source.provider}/${source.model}`,
            targetModel: `${existing.provider}/${existing.model}`,
          }),
        ),
  );
  checks.push(
    existing.rows === 0
      ? passed('target_empty', `${target.tableName} is empty`)
      : failed('target_empty', targetNotEmpty(request.target, existing.rows)),
  );
  return checks;
}

/** Describes source and target and checks the request. Reads only; never throws for a bad request. */
export async function inspectMigration(executor: Executor, request: MigrationRequest): Promise<Inspection> {
  const checks = [nameCheck('source_name', request.source), nameCheck('target_name', request.target)];
  if (checks.some((check) => !check.ok)) return { source: undefined, target: undefined, checks };

  const sourceOrError = await describeSource(executor, request);
  if (DjeError.isInstance(sourceOrError)) {
    checks.push(failed('source_exists', sourceOrError));
    return { source: undefined, target: undefined, checks };
  }
  const source = sourceOrError;
  checks.push(passed('source_exists', `${source.tableName} exists with ${source.rows} row(s)`));

  const targetTable = getTableName(request.target);
  if (targetTable === source.tableName) {
    checks.push(failed('distinct_tables', sameSourceAndTarget(request.source, request.target)));
    return { source, target: undefined, checks };
  }
  checks.push(schemaCheck(source));

  const targetOrError = await describeTarget(executor, request, targetTable);
  if (DjeError.isInstance(targetOrError)) {
    checks.push(failed('target_available', targetOrError));
    return { source, target: undefined, checks };
  }
  const target = targetOrError;
  checks.push(
    passed(
      'target_available',
      target.existing === undefined
        ? `${target.tableName} does not exist yet`
        : `${target.tableName} exists and may be filled (into: 'existing')`,
    ),
  );
  checks.push(...compatibilityChecks(request, source, target));
  return { source, target, checks };
}

/** The error of the first failed check, if any. */
export function firstFailure(inspection: Inspection): DjeError | undefined {
  return inspection.checks.find((check) => !check.ok)?.error;
}
