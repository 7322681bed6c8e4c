// The write path of a namespace handle: every write transaction starts by checking that the table
// it was bound to is still the namespace's table, and large loads defer the vector index around
// the whole write (index-policy.ts).
import { sql } from 'drizzle-orm';
import { type Database, type Executor, queryRow, queryRows } from './database.js';
import { invalidArgument, invalidRecord, namespaceChanged, requireText } from './db-errors.js';
import type { IndexProgressOptions } from './index-build-progress.js';
import { buildIndexIfDue, deferIndexForLoad } from './index-policy.js';
import { CURRENT_TABLE_VERSION } from './namespace-ddl.js';
import { type NamespaceTable, VARCHAR_LIMITS } from './namespace-table.js';
import { type PreparedRow, prepareRecords } from './prepare-records.js';
import { calibrateIfDue } from './recall-calibration.js';
import type { RegistryEntry } from './registry-types.js';
import { indexOf, type SearchMemo } from './similarity-search.js';
import { sqlStateOf } from './sql-state.js';
import { upgradeTable } from './table-upgrade.js';
import type { EmbeddingInput, InsertOptions, InsertResult } from './vector-store-types.js';
import { type WriteCounts, type WriteTarget, writeRows } from './write-rows.js';
import { runWriteTransaction, type WriteTransaction, writeConcurrency } from './write-transaction.js';

/** Rows per write transaction: bounds memory (a 1536-d batch encodes to ~31 MB) and lock time. */
export const DEFAULT_INSERT_BATCH_SIZE = 5_000;

/** What a handle's writes need: the database, the registry entry it was opened with, its table. */
export interface BoundNamespace {
  readonly db: Database;
  readonly entry: RegistryEntry;
  readonly table: NamespaceTable;
  /** The table's index version as this handle last saw it (raised by upgradeTable on first write). */
  tableVersion: number;
  /** The handle's index description and calibrated settings, shared with its searches. */
  readonly memo: SearchMemo;
}

/**
 * Before the first write through a handle: a table registered before the current index set (see
 * CURRENT_TABLE_VERSION) gets the missing indexes, under the namespace's exclusive lock.
 */
async function upgradeIfOlder(bound: BoundNamespace): Promise<void> {
  if (bound.tableVersion >= CURRENT_TABLE_VERSION) return;
  await upgradeTable(bound.db, bound.entry.record);
  bound.tableVersion = CURRENT_TABLE_VERSION;
}

/**
 * First statement of every write transaction: takes the namespace's advisory lock shared (a drop
 * or re-create takes it exclusively, so it cannot slip in before commit) and reads the table's
 * identity, which must still be the one the handle was opened with.
 */
async function checkBinding(executor: Pick<Executor, 'execute'>, bound: BoundNamespace): Promise<void> {
  const { record, tableOid } = bound.entry;
  const row = await queryRow<{ oid: string | null }>(
    executor,
    sql`SELECT to_regclass(quote_ident(${record.table_name}))::oid::text AS oid
        FROM (SELECT pg_advisory_xact_lock_shared(hashtextextended(${`dje:namespace:${record.namespace}`}, 0))) AS locked`,
  );
  if (row?.oid !== tableOid) throw namespaceChanged(record.namespace, (row?.oid ?? null) === null);
}

/** A statement against the bound table failed because the table is gone: say so in our terms. */
export function explainMissingTable(error: unknown, bound: Pick<BoundNamespace, 'entry'>): unknown {
  return sqlStateOf(error) === '42P01' ? namespaceChanged(bound.entry.record.namespace, true) : error;
}

/** One checked write transaction on the bound namespace. */
export async function writeChecked<Result>(
  bound: BoundNamespace,
  work: (transaction: WriteTransaction, target: WriteTarget) => Promise<Result>,
): Promise<Result> {
  const target: WriteTarget = {
    table: bound.table,
    dimensions: bound.entry.record.dimensions,
    storage: bound.entry.record.storage,
    textHash: bound.entry.textHash,
  };
  try {
    return await runWriteTransaction(bound.db, async (transaction) => {
      await checkBinding(transaction.orm, bound);
      return work(transaction, target);
    });
  } catch (error) {
    throw explainMissingTable(error, bound);
  }
}

/**
 * Runs `write` with the vector index deferred when `incomingRows` make a rebuild cheaper than
 * maintaining it, then builds the index when it is due (or restores it after a failed load).
 * With `deferIndex` a due index is left to `finishIndex` (an index dropped for this load is still
 * restored at once).
 */
export async function withDeferredIndex<Result>(
  bound: BoundNamespace,
  load: { readonly incomingRows: number; readonly deferIndex?: boolean | undefined },
  write: () => Promise<Result>,
): Promise<{ readonly result: Result; readonly indexBuilt: boolean }> {
  const { incomingRows } = load;
  const { db } = bound;
  const namespace = bound.entry.record;
  await upgradeIfOlder(bound);
  const deferred = await deferIndexForLoad(db, { namespace, incomingRows });
  let result: Result;
  try {
    result = await write();
  } catch (error) {
    // The index was dropped for this load: restore it even though the load failed.
    if (deferred) await buildIndexIfDue(db, { namespace, restore: true }).catch(() => {});
    throw error;
  }
  if (load.deferIndex === true && !deferred) return { result, indexBuilt: false };
  return { result, indexBuilt: await finishIndex(bound, { restore: deferred }) };
}

/**
 * Builds the namespace's ANN index when it is due (or, with `restore`, whenever it is missing) and
 * calibrates the search settings when that is due: what every write does after itself, and what a
 * run of writes with `deferIndex` does once at its end. Returns whether it built the index.
 */
export async function finishIndex(
  bound: BoundNamespace,
  options: { readonly restore?: boolean; readonly progress?: IndexProgressOptions | undefined } = {},
): Promise<boolean> {
  const { db } = bound;
  const namespace = bound.entry.record;
  const indexBuilt = await buildIndexIfDue(db, {
    namespace,
    restore: options.restore === true,
    progress: options.progress,
  });
  await calibrateIfDue(db, namespace, bound.memo, {
    indexBuilt,
    describe: () => indexOf(db, { namespace, indexMemo: bound.memo }),
  });
  return indexBuilt;
}

/** Validates `records` against the bound namespace (all of them, before anything is written). */
export function prepareFor(bound: BoundNamespace, records: readonly EmbeddingInput[]): PreparedRow[] {
  const { record } = bound.entry;
  return prepareRecords({
    records,
    dimensions: record.dimensions,
    storage: record.storage,
    namespace: record.namespace,
    textHash: bound.entry.textHash,
  });
}

/** Splits `rows` into consecutive batches of at most `size`. */
function batches<Item>(rows: readonly Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < rows.length; start += size) result.push(rows.slice(start, start + size));
  return result;
}

/**
 * Runs `write` on each batch with at most `concurrency` in flight, and `onWritten` for each batch in
 * batch order. On a failure no further batch starts; the ones in flight finish (each commits or rolls
 * back on its own) before the first error is thrown.
 */
async function writeInOrder<Batch, Result>(options: {
  readonly batches: readonly Batch[];
  readonly concurrency: number;
  readonly write: (batch: Batch) => Promise<Result>;
  readonly onWritten: (result: Result) => void;
}): Promise<void> {
  const inFlight: Promise<Result>[] = [];
  let failed = false;
  try {
    for (const batch of options.batches) {
      if (failed) break;
      const written = options.write(batch);
      // A later batch may fail while an earlier one is awaited: noted here, thrown in turn below.
      written.catch(() => {
        failed = true;
      });
      inFlight.push(written);
      if (inFlight.length >= options.concurrency)
        options.onWritten(await (inFlight.shift() as Promise<Result>));
    }
    while (inFlight.length > 0) options.onWritten(await (inFlight.shift() as Promise<Result>));
  } catch (error) {
    await Promise.allSettled(inFlight);
    throw error;
  }
}

/**
 * Upserts validated rows in transactions of `batchSize` rows (two at once on a server, see
 * writeConcurrency), reporting progress after each in batch order.
 */
export async function insertPrepared(
  bound: BoundNamespace,
  rows: readonly PreparedRow[],
  options: Omit<InsertOptions, 'namespace'> = {},
): Promise<InsertResult> {
  const batchSize = options.batchSize ?? DEFAULT_INSERT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw invalidArgument('batchSize', 'must be a whole number ≥ 1', batchSize);
  }
  if (rows.length === 0) return { inserted: 0, updated: 0, index_built: false };
  const load = { incomingRows: rows.length, deferIndex: options.deferIndex };
  const { result, indexBuilt } = await withDeferredIndex(bound, load, async () => {
    const totals: { inserted: number; updated: number } = { inserted: 0, updated: 0 };
    await writeInOrder({
      batches: batches(rows, batchSize),
      concurrency: writeConcurrency(bound.db),
      write: (batch) =>
        writeChecked(bound, (transaction, target) => writeRows({ transaction, target, rows: batch })),
      onWritten: (counts: WriteCounts) => {
        totals.inserted += counts.inserted;
        totals.updated += counts.updated;
        options.onProgress?.({ done: totals.inserted + totals.updated, total: rows.length });
      },
    });
    return totals;
  });
  return { ...result, index_built: indexBuilt };
}

/**
 * Checks a replaceDocument call before anything is opened or created: the document's key, and that
 * every record belongs to that document.
 */
export function checkReplace(options: {
  readonly documentId: unknown;
  readonly collectionName: unknown;
  readonly records: readonly EmbeddingInput[];
}): { readonly documentId: string; readonly collectionName: string } {
  const documentId = requireText('documentId', options.documentId, VARCHAR_LIMITS.document_id as number);
  const collectionName = requireText(
    'collectionName',
    options.collectionName,
    VARCHAR_LIMITS.collection_name as number,
  );
  const { records } = options;
  if (!Array.isArray(records)) throw invalidArgument('records', 'must be an array', typeof records);
  records.forEach((input, index) => {
    const fields = [
      ['document_id', input?.document_id, documentId],
      ['collection_name', input?.collection_name, collectionName],
    ] as const;
    for (const [field, actual, expected] of fields) {
      if (actual !== expected) {
        throw invalidRecord(
          `records[${index}].${field} is ${JSON.stringify(actual)}, but replaceDocument was asked to replace ${field} ${JSON.stringify(expected)}`,
          { index, field },
        );
      }
    }
  });
  return { documentId, collectionName };
}

/** Documents of one collection to replace in one transaction (NamespaceHandle.replaceDocuments). */
export interface ReplaceDocumentsOptions {
  readonly collectionName: string;
  readonly documents: readonly { readonly documentId: string; readonly records: readonly EmbeddingInput[] }[];
  /** As InsertOptions.deferIndex. */
  readonly deferIndex?: boolean | undefined;
}

/**
 * Checks and validates every document before anything is written, then replaces them all in one
 * transaction; the results are in the order of `documents`.
 */
export async function replaceDocuments(
  bound: BoundNamespace,
  options: ReplaceDocumentsOptions,
): Promise<{ written: number; deleted: number }[]> {
  const documents = options.documents.map((document) => {
    const { documentId } = checkReplace({ ...document, collectionName: options.collectionName });
    return { documentId, rows: prepareFor(bound, document.records) };
  });
  const collectionName = requireText(
    'collectionName',
    options.collectionName,
    VARCHAR_LIMITS.collection_name as number,
  );
  if (documents.length === 0) return [];
  const { deleted } = await replacePrepared(bound, {
    collectionName,
    documents,
    deferIndex: options.deferIndex,
  });
  return documents.map(({ documentId, rows }) => ({
    written: rows.length,
    deleted: deleted.get(documentId) ?? 0,
  }));
}

/** One document of a replacePrepared call: its key and its validated rows. */
interface ReplacedDocument {
  readonly documentId: string;
  readonly rows: readonly PreparedRow[];
}

/**
 * Writes the documents' rows and deletes each one's chunks that are not among them, all in one
 * transaction: readers see the old documents or the new ones, never a mix, and a batch of many
 * documents costs one upsert and one delete rather than a transaction each (re-ingesting 10,000
 * unchanged small files took 25–70 s one document at a time). Deleted counts are per document.
 */
async function replacePrepared(
  bound: BoundNamespace,
  options: {
    readonly collectionName: string;
    readonly documents: readonly ReplacedDocument[];
    readonly deferIndex?: boolean | undefined;
  },
): Promise<{ readonly written: number; readonly deleted: ReadonlyMap<string, number> }> {
  const { table } = bound;
  const rows = options.documents.flatMap((document) => document.rows);
  const documentIds = options.documents.map((document) => document.documentId);
  const load = { incomingRows: rows.length, deferIndex: options.deferIndex };
  const { result } = await withDeferredIndex(bound, load, () =>
    writeChecked(bound, async (transaction, target) => {
      await writeRows({ transaction, target, rows });
      // Array parameters, however many documents and chunks. A row of one document whose chunk
      // id another document now has was moved to that one by the upsert, so one list serves all.
      const deleted = await queryRows<{ document_id: string; count: number }>(
        transaction.orm,
        sql`WITH deleted AS (
              DELETE FROM ${table}
              WHERE ${table.document_id} = ANY(${sql.param(documentIds)}::text[])
                AND ${table.collection_name} = ${options.collectionName}
                AND NOT (${table.chunk_id} = ANY(${sql.param(rows.map((row) => row.chunk_id))}::text[]))
              RETURNING ${table.document_id})
            SELECT document_id, count(*)::int AS count FROM deleted GROUP BY document_id`,
      );
      return {
        written: rows.length,
        deleted: new Map(deleted.map((row) => [row.document_id, Number(row.count)])),
      };
    }),
  );
  return result;
}
