// processJsonData: chunk one document, reuse the vectors of unchanged chunks, embed the rest, and
// make the new chunks the document's only rows in one transaction.
import { chunkJson } from '@dynamic-embeddings/chunking';
import { attachVectors } from './attach-vectors.js';
import { throwIfCancelled } from './cancellation.js';
import { chunkLimits } from './chunk-options.js';
import { prepareDocument } from './document-rows.js';
import { elapsed } from './elapsed.js';
import type { PipelineContext } from './pipeline-context.js';
import type { ProcessOptions, ProcessResult } from './pipeline-types.js';
import { validateCollectionName } from './validate-names.js';
import { writeFailed } from './write-failed.js';

export async function ingestDocument(
  context: PipelineContext,
  data: unknown,
  options: ProcessOptions & { readonly namespace: string },
): Promise<ProcessResult> {
  const started = performance.now();
  const { namespace, signal, onProgress } = options;
  const collectionName = validateCollectionName(options.collectionName);
  throwIfCancelled(signal);

  const chunked = chunkJson(data, {
    documentId: options.documentId,
    collectionName,
    strategy: options.strategy ?? 'auto',
    ...chunkLimits(context.provider, options.config ?? context.config),
  });
  const documentId = chunked.document_id;
  const document = prepareDocument(chunked, collectionName);
  const chunkedAt = performance.now();
  onProgress?.({ phase: 'chunk', done: 1, total: 1, documentId, chunks: document.chunks });

  // A namespace made for another model or dimension fails here, before any provider call. A missing
  // one is created only once the vectors exist, so a failing provider leaves nothing behind.
  const existing = await context.store.checkNamespace({ namespace });
  const stored =
    existing === undefined
      ? new Map<string, Float32Array>()
      : await context.store.getDocumentVectors(documentId, { namespace, collectionName });
  const { records, embedded, reused } = await attachVectors({
    provider: context.provider,
    rows: document.rows,
    storedVector: (row) => stored.get(row.text_hash),
    concurrency: context.concurrency,
    signal,
    onProgress: (progress) => onProgress?.({ phase: 'embed', ...progress, documentId }),
  });
  const embeddedAt = performance.now();
  throwIfCancelled(signal);
  if (existing === undefined) await context.store.ensureNamespace({ ...context.newNamespaces, namespace });

  let removed = 0;
  let indexBuilt = false;
  try {
    // A document with no rows yet has nothing to remove: the plain insert reports index builds.
    if ((options.replace ?? true) && stored.size > 0) {
      const written = await context.store.replaceDocument({ namespace, documentId, collectionName, records });
      removed = written.deleted;
    } else {
      // One transaction however many chunks: the store would otherwise commit every 5,000 rows.
      const written = await context.store.insertEmbeddings(records, {
        namespace,
        batchSize: Math.max(1, records.length),
      });
      indexBuilt = written.index_built;
    }
  } catch (error) {
    throw writeFailed(error, `document "${documentId}" in collection "${collectionName}"`);
  }
  const storedAt = performance.now();
  onProgress?.({
    phase: 'store',
    done: records.length,
    total: records.length,
    documentId,
    duration_ms: elapsed(embeddedAt, storedAt),
  });
  if (indexBuilt) onProgress?.({ phase: 'index', done: 1, total: 1, documentId });

  return {
    document_id: documentId,
    collection_name: collectionName,
    namespace,
    chunks: document.chunks,
    embedded,
    reused,
    removed,
    skipped: document.skipped,
    strategy: document.strategy,
    confidence: document.confidence,
    tokens: document.tokens,
    duration_ms: elapsed(started, storedAt),
    index_built: indexBuilt,
    timings: {
      chunk_ms: elapsed(started, chunkedAt),
      embed_ms: elapsed(chunkedAt, embeddedAt),
      store_ms: elapsed(embeddedAt, storedAt),
    },
  };
}
