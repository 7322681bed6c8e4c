// processJsonStream: NDJSON or a top-level JSON array, read and chunked one document at a time, in
// batches of documents so memory stays bounded however long the stream is.
//
// How a batch is written: documents the collection has never seen go into one insertEmbeddings
// call in one transaction (the store's bulk COPY path, all or nothing); documents that already
// have rows are then replaced one by one with replaceDocument, each in its own transaction, so
// their stale chunks go away in the same commit as the new ones arrive. Cancellation is honoured
// between batches and before a batch's first write, never inside one. A database failure in the
// middle of a batch can therefore leave that batch's new documents, or some of its replaced ones,
// written — always whole documents, never half of one.
import { type ChunkResult, chunkJsonStream } from '@dynamic-embeddings/chunking';
import { DjeError, wholeNumberOption } from '@dynamic-embeddings/core';
import { attachVectors } from './attach-vectors.js';
import { throwIfCancelled } from './cancellation.js';
import { chunkLimits } from './chunk-options.js';
import { type PreparedDocument, prepareDocument } from './document-rows.js';
import { elapsed } from './elapsed.js';
import type { PipelineContext } from './pipeline-context.js';
import type { StreamOptions, StreamResult } from './pipeline-types.js';
import { validateCollectionName } from './validate-names.js';
import { writeFailed } from './write-failed.js';

const defaultBatchDocuments = 64;

export async function ingestStream(
  context: PipelineContext,
  stream: AsyncIterable<string | Uint8Array>,
  options: StreamOptions & { readonly namespace: string },
): Promise<StreamResult> {
  const started = performance.now();
  const { namespace, signal, onProgress } = options;
  const { store } = context;
  const collectionName = validateCollectionName(options.collectionName);
  const batchDocuments = wholeNumberOption({
    name: 'batchDocuments',
    value: options.batchDocuments,
    fallback: defaultBatchDocuments,
    minimum: 1,
  });
  throwIfCancelled(signal);

  const totals = { documents: 0, chunks: 0, embedded: 0, reused: 0, removed: 0, skipped: 0, tokens: 0 };
  const timings = { chunk_ms: 0, embed_ms: 0, store_ms: 0 };
  let indexBuilt = false;
  let namespaceReady = false;
  let mustCreate = false;
  // When the namespace starts out empty, only documents this stream wrote can have vectors to
  // reuse: that saves a lookup query per document, the largest cost of a first load after the
  // provider. (A writer filling the same namespace at the same moment is not accounted for.)
  let startedEmpty = false;
  const writtenHere = new Set<string>();
  const storedSoFar = () => ({ documents_stored: totals.documents, chunks_stored: totals.chunks });

  function countStored(document: PreparedDocument): void {
    if (startedEmpty) writtenHere.add(document.documentId);
    totals.documents++;
    totals.chunks += document.chunks;
    totals.skipped += document.skipped;
    totals.tokens += document.tokens;
  }

  async function writeBatch(batch: readonly PreparedDocument[]): Promise<void> {
    throwIfCancelled(signal, storedSoFar());
    const embedStarted = performance.now();
    if (!namespaceReady) {
      // A namespace for another model fails here, before any provider call; a missing one is
      // created after the first batch's vectors exist, so a failing provider leaves nothing behind.
      if ((await store.checkNamespace({ namespace })) === undefined) {
        startedEmpty = true;
        mustCreate = true;
      } else {
        const stats = await store.getNamespaceStats(namespace);
        startedEmpty = stats.exists && stats.embedding_count === 0;
      }
      namespaceReady = true;
    }
    const storedVectors = new Map<string, Map<string, Float32Array>>();
    for (const document of batch) {
      const mayHaveRows = !startedEmpty || writtenHere.has(document.documentId);
      storedVectors.set(
        document.documentId,
        mayHaveRows
          ? await store.getDocumentVectors(document.documentId, { namespace, collectionName })
          : new Map(),
      );
    }
    const attached = await attachVectors({
      provider: context.provider,
      rows: batch.flatMap((document) => document.rows),
      storedVector: (row) => storedVectors.get(row.document_id)?.get(row.text_hash),
      concurrency: context.concurrency,
      signal,
      // Texts of this batch sent to the provider so far, of those it needs.
      onProgress: (progress) => onProgress?.({ phase: 'embed', ...progress }),
    });
    throwIfCancelled(signal, storedSoFar());
    if (mustCreate) {
      await store.ensureNamespace({ ...context.newNamespaces, namespace });
      mustCreate = false;
    }
    const storeStarted = performance.now();
    timings.embed_ms += elapsed(embedStarted, storeStarted);

    const fresh = batch.filter((document) => storedVectors.get(document.documentId)?.size === 0);
    const freshIds = new Set(fresh.map((document) => document.documentId));
    const freshRecords = attached.records.filter((record) => freshIds.has(record.document_id));
    if (freshRecords.length > 0) {
      try {
        // One transaction for the whole batch: the store would otherwise commit every 5,000 rows.
        const written = await store.insertEmbeddings(freshRecords, {
          namespace,
          batchSize: freshRecords.length,
        });
        indexBuilt ||= written.index_built;
        if (written.index_built) onProgress?.({ phase: 'index', done: 1, total: 1 });
      } catch (error) {
        throw writeFailed(
          error,
          `the ${fresh.length} new document(s) of a batch in collection "${collectionName}"`,
        );
      }
    }
    for (const document of fresh) countStored(document);
    for (const document of batch) {
      if (freshIds.has(document.documentId)) continue;
      try {
        const written = await store.replaceDocument({
          namespace,
          documentId: document.documentId,
          collectionName,
          records: attached.records.filter((record) => record.document_id === document.documentId),
        });
        totals.removed += written.deleted;
      } catch (error) {
        throw writeFailed(error, `document "${document.documentId}" in collection "${collectionName}"`);
      }
      countStored(document);
    }
    const storeMs = elapsed(storeStarted);
    timings.store_ms += storeMs;

    totals.embedded += attached.embedded;
    totals.reused += attached.reused;
    onProgress?.({ phase: 'store', done: totals.documents, chunks: totals.chunks, duration_ms: storeMs });
  }

  const chunked = chunkJsonStream(stream, {
    collectionName,
    strategy: options.strategy ?? 'auto',
    ...chunkLimits(context.provider, options.config ?? context.config),
    ...(options.documentId === undefined ? {} : { documentId: options.documentId }),
    ...(options.source === undefined ? {} : { source: options.source }),
  })[Symbol.asyncIterator]();
  let batch: PreparedDocument[] = [];
  try {
    for (;;) {
      const chunkStarted = performance.now();
      const next: IteratorResult<ChunkResult> = await chunked.next();
      if (next.done) break;
      const document = prepareDocument(next.value, collectionName);
      timings.chunk_ms += elapsed(chunkStarted);
      // A document repeated within one batch would be written twice in one statement; writing the
      // batch first keeps "the later version wins", as if the documents came one by one.
      if (batch.some((queued) => queued.documentId === document.documentId)) {
        await writeBatch(batch);
        batch = [];
      }
      batch.push(document);
      onProgress?.({
        phase: 'chunk',
        done: totals.documents + batch.length,
        documentId: document.documentId,
        chunks: document.chunks,
      });
      if (batch.length >= batchDocuments) {
        await writeBatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await writeBatch(batch);
  } catch (error) {
    await chunked.return?.(undefined);
    throw withStoredSoFar(error, storedSoFar());
  }

  return {
    namespace,
    collection_name: collectionName,
    documents: totals.documents,
    chunks: totals.chunks,
    embedded: totals.embedded,
    reused: totals.reused,
    removed: totals.removed,
    skipped: totals.skipped,
    tokens: totals.tokens,
    duration_ms: elapsed(started),
    index_built: indexBuilt,
    timings,
  };
}

/** The same error, telling the caller which earlier batches were stored for good before it. */
function withStoredSoFar(
  error: unknown,
  stored: { readonly documents_stored: number; readonly chunks_stored: number },
): unknown {
  if (!DjeError.isInstance(error) || stored.documents_stored === 0) return error;
  if (error.details?.documents_stored !== undefined) return error;
  return new DjeError({
    code: error.code,
    kind: error.kind,
    message: `${error.message} (${stored.documents_stored} earlier document(s) were stored completely before this.)`,
    details: { ...error.details, ...stored },
    cause: error,
  });
}
