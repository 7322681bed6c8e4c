// A namespace handle: the registry entry is read and checked once, when the handle is opened, and
// the table is bound; every data operation then goes straight to that table. A namespace dropped
// behind an open handle fails the next statement (NAMESPACE_NOT_FOUND); one dropped and created
// again is caught by the identity check that opens each write transaction (NAMESPACE_CHANGED).
import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { isCitus } from './citus-placement.js';
import { getCollectionStats, listCollections } from './collections.js';
import { type Database, queryRow } from './database.js';
import { invalidArgument, namespaceNotFound, noIndexToCalibrate, requireText } from './db-errors.js';
import { recordColumns, toEmbeddingRecord } from './embedding-record.js';
import { type CompiledFilter, compileFilterOnce } from './filter-memo.js';
import { compileRequiredFilter, type Filter } from './filters.js';
import type { IndexProgressOptions } from './index-build-progress.js';
import { namespaceStats } from './namespace-listing.js';
import { assertEmbeddingCompatible, createNamespaceEntry, readEntry } from './namespace-registry.js';
import { inCollection, tableByName, VARCHAR_LIMITS } from './namespace-table.js';
import {
  type BoundNamespace,
  explainMissingTable,
  finishIndex,
  insertPrepared,
  prepareFor,
  type ReplaceDocumentsOptions,
  replaceDocuments,
} from './namespace-writes.js';
import {
  calibrateSearch,
  measureRecall,
  RECALL_K,
  type RecallMeasurement,
  type RecallOptions,
} from './recall-calibration.js';
import type {
  CreateNamespaceOptions,
  NamespaceRecord,
  NamespaceStats,
  RegistryEntry,
} from './registry-types.js';
import type { SearchTuningRecord } from './schema/registry.js';
import { checkModeOptions } from './search-mode-options.js';
import { type ModePlan, type RankedResult, type RankedSearchOptions, searchByMode } from './search-modes.js';
import type { SearchPlan } from './search-plan.js';
import { validateSearchScope, validateVector } from './search-validation.js';
import { indexOf, type NearestResult, searchNearest } from './similarity-search.js';
import type {
  CollectionStats,
  CollectionSummary,
  EmbeddingIdentity,
  EmbeddingInput,
  EmbeddingRecord,
  InsertOptions,
  InsertResult,
  SearchOptions,
  SearchResult,
} from './vector-store-types.js';

export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from './search-validation.js';

/** Scope of a read or delete inside the namespace: a collection, or all of them. */
export interface ScopeOptions {
  readonly collectionName?: string;
  readonly includeVectors?: boolean;
}

export interface NamespaceHandle {
  readonly namespace: string;
  readonly record: NamespaceRecord;
  readonly entry: RegistryEntry;
  /** Upserts records (validated first, all of them) in transactions of `batchSize` rows. */
  insert(
    records: readonly EmbeddingInput[],
    options?: Omit<InsertOptions, 'namespace'>,
  ): Promise<InsertResult>;
  /** Writes a document's records and deletes its other chunks, atomically. */
  replaceDocument(options: {
    readonly documentId: string;
    readonly collectionName: string;
    readonly records: readonly EmbeddingInput[];
    /** As InsertOptions.deferIndex. */
    readonly deferIndex?: boolean;
  }): Promise<{ readonly written: number; readonly deleted: number }>;
  /**
   * replaceDocument for many documents of one collection in one transaction (all of them or none),
   * with one upsert and one delete; the results are in the order of `documents`.
   */
  replaceDocuments(options: ReplaceDocumentsOptions): Promise<{ written: number; deleted: number }[]>;
  /**
   * Builds the ANN index if it is due and calibrates if that is due, as every write does after
   * itself: the end of a run of writes made with `deferIndex`. Returns whether it built the index.
   * `progress` receives readings of a build while it runs (on a PostgreSQL server).
   */
  finishIndex(options?: { readonly progress?: IndexProgressOptions }): Promise<boolean>;
  /** The stored vectors of a document, by text_hash: lets re-ingestion skip unchanged chunks. */
  storedVectors(documentId: string, options?: ScopeOptions): Promise<Map<string, Float32Array>>;
  /** storedVectors of many documents in one query: document id → text_hash → vector. */
  storedVectorsOf(
    documentIds: readonly string[],
    options?: ScopeOptions,
  ): Promise<Map<string, Map<string, Float32Array>>>;
  search(options: Omit<SearchOptions, 'namespace'>): Promise<SearchResult[]>;
  /**
   * Search in a mode — `vector` (the default), `keyword` or `hybrid` (both legs, fused by RRF) —
   * with each result's rank in each leg, and the plan (for keyword and hybrid, each leg's).
   */
  searchRanked(options: RankedSearchOptions): Promise<{
    readonly results: RankedResult[];
    readonly plan: SearchPlan | ModePlan;
  }>;
  /** `search`, and the plan it ran with (strategy, matching rows, settings). */
  searchWithPlan(options: Omit<SearchOptions, 'namespace'>): Promise<NearestResult>;
  /**
   * Recall@10 of search as it runs now (planner, index, calibrated settings) against exact search,
   * with probe queries made from stored vectors (see recall-calibration.ts), unfiltered or with the given filters.
   */
  measureRecall(
    options?: RecallOptions & Pick<SearchOptions, 'filters' | 'collectionName'>,
  ): Promise<RecallMeasurement>;
  /** Calibrates the index settings to the recall target now (NO_VECTOR_INDEX without an index). */
  calibrate(options?: RecallOptions): Promise<SearchTuningRecord>;
  getByChunkId(chunkId: string, options?: ScopeOptions): Promise<EmbeddingRecord | undefined>;
  /** Up to `limit` rows with ids above `afterId`, in id order, without vectors: a whole table, page by page. */
  scanRows(options: { readonly afterId: number; readonly limit: number }): Promise<EmbeddingRecord[]>;
  /** Of `chunkIds`, those the namespace has. */
  existingChunkIds(chunkIds: readonly string[]): Promise<Set<string>>;
  getByDocumentId(documentId: string, options?: ScopeOptions): Promise<EmbeddingRecord[]>;
  deleteByDocument(documentId: string, options?: ScopeOptions): Promise<number>;
  deleteByCollection(collectionName: string): Promise<number>;
  /** Deletes the rows that pass a non-empty filter (within the collection when one is given). */
  deleteByFilter(filter: Filter, options?: ScopeOptions): Promise<number>;
  listCollections(): Promise<CollectionSummary[]>;
  getCollectionStats(collectionName: string): Promise<CollectionStats>;
  stats(): Promise<NamespaceStats>;
}

/** Opens a handle on an existing namespace (one registry read), or undefined when there is none. */
export async function findNamespace(
  db: Database,
  namespace: string,
  options: { readonly embedding?: Partial<EmbeddingIdentity> | undefined } = {},
): Promise<NamespaceHandle | undefined> {
  const entry = await readEntry(db.orm, namespace);
  if (entry === undefined) return undefined;
  if (options.embedding !== undefined) assertEmbeddingCompatible(entry.record, options.embedding);
  return bindNamespace(db, entry);
}

/**
 * Opens a handle on a namespace: reads its registry entry once and, with `embedding`, refuses a
 * namespace created for other dimensions or another model. NAMESPACE_NOT_FOUND when it is missing.
 */
export async function openNamespace(
  db: Database,
  namespace: string,
  options: { readonly embedding?: Partial<EmbeddingIdentity> | undefined } = {},
): Promise<NamespaceHandle> {
  const handle = await findNamespace(db, namespace, options);
  if (handle === undefined) throw namespaceNotFound(namespace);
  return handle;
}

/**
 * Opens a handle on a namespace, creating it first when it is missing (an existing one must match
 * the given model). Registry read, creation and binding happen in one transaction.
 */
export async function openOrCreateNamespace(
  db: Database,
  options: CreateNamespaceOptions,
): Promise<{ readonly created: boolean; readonly handle: NamespaceHandle }> {
  const { created, entry } = await createNamespaceEntry(db, options);
  return { created, handle: bindNamespace(db, entry) };
}

/** The handle's reads for copying a whole namespace in id order (re-embedding). */
function scanMethods(
  bound: BoundNamespace,
  reading: Reading,
): Pick<NamespaceHandle, 'scanRows' | 'existingChunkIds'> {
  const { db, table } = bound;
  return {
    scanRows: ({ afterId, limit }) =>
      reading(async () => {
        if (!Number.isInteger(limit) || limit < 1)
          throw invalidArgument('limit', 'must be a whole number ≥ 1', limit);
        const rows = await db.orm
          .select(recordColumns(table, false))
          .from(table)
          .where(gt(table.id, afterId))
          .orderBy(asc(table.id))
          .limit(limit);
        return rows.map(toEmbeddingRecord);
      }),
    existingChunkIds: (chunkIds) =>
      reading(async () => {
        if (chunkIds.length === 0) return new Set<string>();
        const rows = await db.orm
          .select({ chunk_id: table.chunk_id })
          .from(table)
          .where(inArray(table.chunk_id, [...chunkIds]));
        return new Set(rows.map((row) => row.chunk_id));
      }),
  };
}

/** Binds a handle to a registry entry already read (inside this package: after creating it). */
export function bindNamespace(db: Database, entry: RegistryEntry): NamespaceHandle {
  const { record } = entry;
  const table = tableByName(record.table_name, { ...record, textHash: entry.textHash });
  const bound: BoundNamespace = { db, entry, table, tableVersion: entry.tableVersion, memo: {} };
  // A promise chain rather than an async function: one layer of promises fewer on every search.
  const reading: Reading = (read) => {
    const explained = (error: unknown) => Promise.reject(explainMissingTable(error, bound));
    try {
      return read().catch(explained);
    } catch (error) {
      return explained(error);
    }
  };
  const collectionText = (value: unknown) =>
    requireText('collectionName', value, VARCHAR_LIMITS.collection_name as number);
  /** `column = value`, within the collection when one is given. */
  const scope = (column: 'chunk_id' | 'document_id', value: string, options: ScopeOptions): SQL => {
    const label = column === 'chunk_id' ? 'chunkId' : 'documentId';
    const key = requireText(label, value, VARCHAR_LIMITS[column] as number);
    const collection =
      options.collectionName === undefined ? undefined : collectionText(options.collectionName);
    return and(eq(table[column], key), inCollection(table, collection)) as SQL;
  };
  const countDeleted = (where: SQL) =>
    reading(async () => {
      const row = await queryRow<{ count: number }>(
        db.orm,
        sql`WITH deleted AS (DELETE FROM ${table} WHERE ${where} RETURNING 1)
            SELECT count(*)::int AS count FROM deleted`,
      );
      return row?.count ?? 0;
    });

  return {
    namespace: record.namespace,
    record,
    entry,
    insert: (records, options = {}) => insertPrepared(bound, prepareFor(bound, records), options),
    replaceDocument: async (options) =>
      (await replaceDocuments(bound, { ...options, documents: [options] }))[0]!,
    replaceDocuments: (options) => replaceDocuments(bound, options),
    finishIndex: (options = {}) => finishIndex(bound, { progress: options.progress }),
    storedVectors: async (documentId, options = {}) =>
      (await storedVectorsOf(bound, [documentId], options)).get(documentId) ?? new Map(),
    storedVectorsOf: (documentIds, options = {}) => storedVectorsOf(bound, documentIds, options),
    ...searchMethods(bound, reading),
    getByChunkId: (chunkId, options = {}) =>
      reading(async () => {
        const rows = await db.orm
          .select(recordColumns(table, options.includeVectors === true))
          .from(table)
          .where(scope('chunk_id', chunkId, options));
        return rows[0] === undefined ? undefined : toEmbeddingRecord(rows[0]);
      }),
    ...scanMethods(bound, reading),
    getByDocumentId: (documentId, options = {}) =>
      reading(async () => {
        const rows = await db.orm
          .select(recordColumns(table, options.includeVectors === true))
          .from(table)
          .where(scope('document_id', documentId, options))
          .orderBy(asc(table.id));
        return rows.map(toEmbeddingRecord);
      }),
    deleteByDocument: (documentId, options = {}) => countDeleted(scope('document_id', documentId, options)),
    deleteByCollection: (collectionName) =>
      countDeleted(eq(table.collection_name, collectionText(collectionName))),
    deleteByFilter: async (filter, options = {}) => {
      const where = compileRequiredFilter(table, filter);
      const collection =
        options.collectionName === undefined ? undefined : collectionText(options.collectionName);
      return countDeleted(and(where, inCollection(table, collection)) as SQL);
    },
    listCollections: () => reading(() => listCollections(db.orm, record)),
    getCollectionStats: (collectionName) =>
      reading(() =>
        getCollectionStats(db.orm, { namespace: record, collectionName: collectionText(collectionName) }),
      ),
    stats: () => reading(() => namespaceStats(db.orm, { record, citus: isCitus(db) })),
  };
}

/** A compiled filter as search options: the condition and its key. */
function filterOptions(compiled: CompiledFilter) {
  return { filter: compiled.where, filterKey: compiled.key };
}

type Reading = <Result>(read: () => Promise<Result>) => Promise<Result>;
type SearchMethods = 'search' | 'searchWithPlan' | 'searchRanked' | 'measureRecall' | 'calibrate';

/** The handle's searches: through the planner, with the handle's index memo and calibrated settings. */
function searchMethods(bound: BoundNamespace, reading: Reading): Pick<NamespaceHandle, SearchMethods> {
  const { db, table } = bound;
  const { record } = bound.entry;
  /** What every search mode's legs share: the checked scope, the compiled filter, the handle's settings. */
  const legOptions = (options: Omit<SearchOptions, 'namespace' | 'vector'>) => ({
    namespace: record,
    ...validateSearchScope(options),
    ...(options.filters === undefined ? {} : filterOptions(compileFilterOnce(table, options.filters))),
    includeVectors: options.includeVectors === true,
    exact: options.exact === true,
    tuning: bound.memo.tuning ?? record.search_tuning,
    indexMemo: bound.memo,
  });
  const methods: Pick<NamespaceHandle, SearchMethods> = {
    searchWithPlan(options) {
      const vector = validateVector(record, options.vector);
      const legs = legOptions(options);
      return reading(() => searchNearest(db, { ...legs, vector }));
    },
    measureRecall: (options = {}) =>
      reading(() =>
        measureRecall(
          db,
          record,
          (vector, { exact }) =>
            methods.searchWithPlan({
              vector,
              limit: RECALL_K + 1,
              exact,
              ...(options.filters === undefined ? {} : { filters: options.filters }),
              ...(options.collectionName === undefined ? {} : { collectionName: options.collectionName }),
            }),
          { ...options, tuning: bound.memo.tuning ?? record.search_tuning, memo: bound.memo },
        ),
      ),
    calibrate: (options = {}) =>
      reading(async () => {
        await indexOf(db, { namespace: record, indexMemo: bound.memo });
        if (bound.memo.description === undefined) throw noIndexToCalibrate(record.namespace);
        return calibrateSearch(db, record, bound.memo, options);
      }),
    search: async (options) => (await methods.searchWithPlan(options)).results,
    async searchRanked(options) {
      const checked = checkModeOptions({
        search: options,
        namespace: record.namespace,
        tableVersion: bound.tableVersion,
      });
      const { mode } = checked;
      if (mode === 'vector') {
        const { results, plan } = await methods.searchWithPlan({ ...options, vector: options.vector ?? [] });
        const ranked = results.map(
          ([row, similarity], index): RankedResult => ({
            record: row,
            score: similarity,
            similarity,
            vector_rank: index + 1,
          }),
        );
        return { results: ranked, plan };
      }
      const vector = options.vector === undefined ? undefined : validateVector(record, options.vector);
      const legs = legOptions(options);
      return reading(() => searchByMode(db, { ...legs, ...checked, mode, vector }));
    },
  };
  return methods;
}

/** One query for the stored vectors of many documents (one ingest batch). */
async function storedVectorsOf(
  bound: BoundNamespace,
  documentIds: readonly string[],
  options: ScopeOptions,
): Promise<Map<string, Map<string, Float32Array>>> {
  const { db, table } = bound;
  const found = new Map<string, Map<string, Float32Array>>();
  const ids = [...new Set(documentIds)].map((id) =>
    requireText('documentId', id, VARCHAR_LIMITS.document_id as number),
  );
  for (const id of ids) found.set(id, new Map());
  if (ids.length === 0) return found;
  const collection =
    options.collectionName === undefined
      ? undefined
      : requireText('collectionName', options.collectionName, VARCHAR_LIMITS.collection_name as number);
  try {
    const rows = await db.orm
      .select({ document_id: table.document_id, text_hash: table.text_hash, embedding: table.embedding })
      .from(table)
      .where(and(inArray(table.document_id, ids), inCollection(table, collection)));
    for (const row of rows) found.get(row.document_id)?.set(row.text_hash, Float32Array.from(row.embedding));
  } catch (error) {
    throw explainMissingTable(error, bound);
  }
  return found;
}
