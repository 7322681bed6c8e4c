// The one ingest path. A single document is a stream of one: every input (a parsed document, a
// JSON file, an NDJSON/array stream, the files of a folder) is chunked one document at a time, the
// documents are batched across inputs (so many small files share embedding requests), and each
// batch is written by the batch writer, every document all or nothing. Memory is bounded by the
// batch size, however long the inputs are.
import { createError, DjeError, wholeNumberOption } from '@dynamic-embeddings/core';
import { throwIfCancelled } from './cancellation.js';
import { chunkLimits } from './chunk-options.js';
import { prepareDocument } from './document-rows.js';
import { elapsed } from './elapsed.js';
import { BatchWriter, type QueuedDocument, type WrittenBatch } from './ingest-batch.js';
import { chunkedDocuments, sourceOf } from './ingest-inputs.js';
import type { PipelineContext } from './pipeline-context.js';
import type { DocumentResult, IngestInput, IngestOptions, IngestResult } from './pipeline-types.js';
import { validateCollectionName } from './validate-names.js';

const defaultBatchDocuments = 64;
/** What the totals add up from the per-document rows. */
const countKeys = ['chunks', 'embedded', 'reused', 'removed', 'skipped', 'tokens'] as const;

/** Per input: documents read, documents stored, whether it was read to its end. */
interface InputProgress {
  readonly source: string | undefined;
  read: number;
  stored: number;
  ended: boolean;
}

export async function ingest(
  context: PipelineContext,
  inputs: Iterable<IngestInput> | AsyncIterable<IngestInput>,
  options: IngestOptions & { readonly namespace: string },
): Promise<IngestResult> {
  const started = performance.now();
  const { namespace, signal, onProgress } = options;
  const collectionName = validateCollectionName(options.collectionName);
  const batchDocuments = wholeNumberOption({
    name: 'batchDocuments',
    value: options.batchDocuments,
    fallback: defaultBatchDocuments,
    minimum: 1,
  });
  throwIfCancelled(signal);
  const chunking = {
    collectionName,
    strategy: options.strategy ?? 'auto',
    ...chunkLimits(context.provider, options.config ?? context.config),
  };
  const run = new IngestRun();
  const writer = new BatchWriter(context, {
    namespace,
    collectionName,
    replace: options.replace ?? true,
    signal,
    onProgress,
    storedSoFar: run.storedSoFar,
  });
  let batch: QueuedDocument[] = [];
  const flush = async (documents: readonly QueuedDocument[]) => {
    if (documents.length === 0) return;
    const written = await writer.write(documents);
    run.record(written);
    onProgress?.({
      phase: 'store',
      done: run.results.length,
      chunks: run.totals.chunks,
      sources: run.sourcesDone(),
      duration_ms: written.storeMs,
    });
    if (written.indexBuilt) onProgress?.({ phase: 'index', done: 1, total: 1 });
  };

  try {
    for await (const input of inputs) {
      throwIfCancelled(signal, run.storedSoFar());
      const index = run.begin(sourceOf(input));
      try {
        const documents = chunkedDocuments(input, chunking)[Symbol.asyncIterator]();
        for (;;) {
          const chunkStarted = performance.now();
          const next = await documents.next();
          if (next.done) break;
          const document = prepareDocument(next.value, collectionName);
          run.timings.chunk_ms += elapsed(chunkStarted);
          run.inputs[index]!.read++;
          // A parsed document or a file is one document: its input is read once that one is.
          if (input.kind !== 'stream') run.inputs[index]!.ended = true;
          // A document repeated within one batch would be written twice in one statement; writing
          // the batch first keeps "the later version wins", as if the documents came one by one.
          if (batch.some((queued) => queued.document.documentId === document.documentId)) {
            await flush(batch);
            batch = [];
          }
          batch.push({ document, input: index, source: sourceOf(input) });
          onProgress?.({
            phase: 'chunk',
            done: run.results.length + batch.length,
            documentId: document.documentId,
            chunks: document.chunks,
          });
          if (batch.length >= batchDocuments) {
            await flush(batch);
            batch = [];
          }
        }
      } catch (error) {
        // A bad input stops the ingest, but the whole inputs before it are still stored.
        if (!(DjeError.isInstance(error) && error.kind === 'cancelled')) {
          await flush(batch.filter((queued) => queued.input < index));
        }
        batch = [];
        throw error;
      }
      run.inputs[index]!.ended = true;
    }
    await flush(batch);
  } catch (error) {
    throw run.withProgress(error);
  }
  return run.result({ namespace, collectionName, durationMs: elapsed(started) });
}

/** The running totals of one ingest, and the facts an error reports about what was stored. */
class IngestRun {
  readonly inputs: InputProgress[] = [];
  readonly results: DocumentResult[] = [];
  readonly totals = { chunks: 0, embedded: 0, reused: 0, removed: 0, skipped: 0, tokens: 0 };
  readonly timings = { chunk_ms: 0, embed_ms: 0, store_ms: 0 };
  private indexBuilt = false;
  private current: number | undefined;

  /** Inputs, from the first, whose documents are all stored: a folder's files done. */
  sourcesDone(): number {
    let done = 0;
    for (const input of this.inputs) {
      if (!input.ended || input.stored !== input.read) break;
      done++;
    }
    return done;
  }

  readonly storedSoFar = () => ({ documents_stored: this.results.length, chunks_stored: this.totals.chunks });

  begin(source: string | undefined): number {
    this.current = this.inputs.length;
    this.inputs.push({ source, read: 0, stored: 0, ended: false });
    return this.current;
  }

  record(written: WrittenBatch): void {
    const { totals } = this;
    for (const { input, ...result } of written.results) {
      this.results.push(result);
      this.inputs[input]!.stored++;
      for (const key of countKeys) totals[key] += result[key];
    }
    this.timings.embed_ms += written.embedMs;
    this.timings.store_ms += written.storeMs;
    this.indexBuilt ||= written.indexBuilt;
  }

  /** The same error with what was stored for good before it, and the input it happened in. */
  withProgress(error: unknown): unknown {
    if (!DjeError.isInstance(error)) return error;
    const input = this.current === undefined ? undefined : this.inputs[this.current];
    const facts = {
      ...this.storedSoFar(),
      sources_done: this.sourcesDone(),
      ...(input?.source === undefined || input.ended
        ? {}
        : { source: input.source, source_documents_stored: input.stored }),
    };
    // Inside the first input the pipeline can say it; across inputs the caller phrases it.
    const say = error.details?.documents_stored === undefined && facts.documents_stored > 0;
    const message =
      say && facts.sources_done === 0
        ? `${error.message} (${facts.documents_stored} earlier document(s) were stored completely before this.)`
        : error.message;
    return createError({ code: error.code, message, details: { ...facts, ...error.details }, cause: error });
  }

  result(meta: { namespace: string; collectionName: string; durationMs: number }): IngestResult {
    return {
      namespace: meta.namespace,
      collection_name: meta.collectionName,
      sources: this.inputs.length,
      documents: this.results.length,
      ...this.totals,
      duration_ms: meta.durationMs,
      index_built: this.indexBuilt,
      timings: this.timings,
      results: this.results,
    };
  }
}
