// The one ingest path. A single document is a stream of one: every input (a parsed document, a
// JSON file, an NDJSON/array stream, the files of a folder) is chunked one document at a time, the
// documents are batched across inputs (so many small files share embedding requests), and the
// batches flow through embedding and writing while the next ones are read (batch-flow.ts), every
// document all or nothing. Memory is bounded by the batch size times the batches in flight, however
// long the inputs are.
import type { ChunkResult } from '@dynamic-embeddings/chunking';
import { createError, DjeError, wholeNumberOption } from '@dynamic-embeddings/core';
import type { IndexBuildMemory, IndexBuildProgress, IndexBuildStart } from '@dynamic-embeddings/db';
import { BatchFlow } from './batch-flow.js';
import { throwIfCancelled } from './cancellation.js';
import { chunkLimits } from './chunk-options.js';
import { prepareDocument } from './document-rows.js';
import { elapsed } from './elapsed.js';
import { createEventLoopTurns, type EventLoopTurns } from './event-loop-turns.js';
import { BatchWriter, type IngestMeters, type QueuedDocument, type WrittenBatch } from './ingest-batch.js';
import { type ChunkingOptions, chunkedDocuments, sourceOf } from './ingest-inputs.js';
import type { PipelineContext } from './pipeline-context.js';
import type {
  DocumentResult,
  IngestInput,
  IngestOptions,
  IngestResult,
  ProgressEvent,
} from './pipeline-types.js';
import { type ReadyInput, readAhead } from './read-ahead.js';
import { validateCollectionName } from './validate-names.js';

/**
 * Documents per batch at most. A batch also closes before a document whose rows would take it past
 * the provider's inputs per request, so many small documents share full embedding requests. Each
 * batch is one write transaction with its fixed costs (a lookup, a lock, a savepoint, a commit):
 * 2,048 one-chunk documents (one OpenAI request's inputs, sent as four of 512 at once) stored
 * 10,000 files through the provider bench faster than 1,000 did, and as a multiple of 512 they
 * never need more requests than ⌈inputs ÷ 512⌉ (LangChain's count), whatever the total.
 */
const defaultBatchDocuments = 2048;
/**
 * Characters of text a batch holds at most, whatever its document count: bounds the memory of a
 * batch of large documents (their rows, texts and vectors) the way the row limit bounds requests.
 */
const batchTextChars = 1_000_000;
/** Per-document rows an ingest result lists unless told otherwise (see IngestOptions.resultLimit). */
const defaultResultLimit = 10_000;
/** What the totals add up from the per-document rows. */
const countKeys = ['chunks', 'embedded', 'reused', 'removed', 'skipped', 'tokens'] as const;
/**
 * Batches read but not yet written: one being written while the next is embedded (its requests
 * overlap the write, up to the provider's concurrency). More would hold more documents in memory
 * for no gain while writes are the slower stage; a batch's text is bounded (batchTextChars), so
 * a streamed upload stays within the server's bounded-memory test (bulk-memory.test.ts).
 */
const batchesInFlight = 2;

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
  const { namespace, signal } = options;
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
  const resultLimit = wholeNumberOption({
    name: 'resultLimit',
    value: options.resultLimit,
    fallback: defaultResultLimit,
    minimum: 0,
  });
  const run = new IngestRun({ onProgress: options.onProgress, resultLimit });
  const writer = new BatchWriter(context, {
    namespace,
    collectionName,
    replace: options.replace ?? true,
    signal,
    onProgress: run.report,
    storedSoFar: run.storedSoFar,
    meters: run.meters,
  });
  const flow = new BatchFlow({
    writer,
    limit: batchesInFlight,
    signal,
    onWritten: (written) => run.record(written),
  });
  const batches = new Batches({ flow, run, batchDocuments, batchRows: context.provider.maxInputsPerCall });
  const turns = createEventLoopTurns();
  try {
    for await (const input of readAhead(inputs)) {
      throwIfCancelled(signal, run.storedSoFar());
      await readInput(input, { run, batches, chunking, turns });
    }
    await batches.flush();
    await flow.drain();
    // Only a finished ingest builds the index: a failed or cancelled one leaves it to the next
    // write, and searches meanwhile scan exactly (correct, only slower on a large table).
    run.indexBuilt(
      await writer.finishIndex({
        onStart: run.indexStarting,
        onProgress: run.indexProgress,
        onMemoryShort: run.indexMemoryShort,
      }),
    );
  } catch (error) {
    // A failed batch stops the reading; a reading error (or Ctrl-C) lets the batches in flight
    // settle first: written, or stopped by the signal before their write.
    const failure = flow.failed ?? { error };
    await flow.settle();
    await writer.abandon();
    throw run.withProgress(failure.error);
  }
  return run.result({ namespace, collectionName, durationMs: elapsed(started) });
}

/** Reads one input's documents into batches, writing each batch as it fills. */
async function readInput(
  input: ReadyInput,
  ingest: {
    readonly run: IngestRun;
    readonly batches: Batches;
    readonly chunking: ChunkingOptions;
    readonly turns: EventLoopTurns;
  },
): Promise<void> {
  const { run, batches } = ingest;
  const source = sourceOf(input);
  const index = run.begin(source);
  const progress = run.inputs[index]!;
  const documents = chunkedDocuments(input, ingest.chunking)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const chunkStarted = performance.now();
      let next: IteratorResult<ChunkResult>;
      try {
        next = await documents.next();
      } catch (error) {
        // A bad input stops the ingest, but the whole inputs before it are still stored. (Only a
        // reading error: a failed write is not tried again.)
        await batches.flushInputsBefore(index);
        throw error;
      }
      if (next.done) break;
      const document = prepareDocument(next.value, ingest.chunking.collectionName);
      run.timings.chunk_ms += elapsed(chunkStarted);
      progress.read++;
      run.documentsRead++;
      // A parsed document or a file is one document: its input is read once that one is.
      if (input.kind !== 'stream') progress.ended = true;
      await batches.add({ document, input: index, source });
      // Requests leave and answers and writes proceed while the rest is read and chunked.
      await ingest.turns.take();
    }
  } finally {
    // Stopped early (an error): let the input release what it holds.
    await documents.return?.(undefined);
  }
  progress.ended = true;
}

/** The batch being filled; a full one goes into the flow. */
class Batches {
  private batch: QueuedDocument[] = [];
  /** The document ids in the batch (a lookup per document; scanning the batch made reading quadratic). */
  private ids = new Set<string>();
  /** Rows (texts to embed) of the documents in the batch, and their characters. */
  private rows = 0;
  private chars = 0;

  constructor(
    private readonly ingest: {
      readonly flow: BatchFlow;
      readonly run: IngestRun;
      readonly batchDocuments: number;
      /** Rows that fill one embedding request (the provider's inputs per call). */
      readonly batchRows: number;
    },
  ) {}

  async add(queued: QueuedDocument): Promise<void> {
    const { run, batchDocuments } = this.ingest;
    const { documentId, chunks } = queued.document;
    // A document repeated within one batch would be written twice in one statement; writing the
    // batch first keeps "the later version wins", as if the documents came one by one.
    if (this.ids.has(documentId)) await this.flush();
    // Full requests: close the batch before a document that would not fit in the current one.
    const rows = queued.document.rows.length;
    if (this.batch.length > 0 && this.rows + rows > this.ingest.batchRows) await this.flush();
    this.batch.push(queued);
    this.ids.add(documentId);
    this.rows += rows;
    for (const row of queued.document.rows) this.chars += row.text.length;
    run.report({ phase: 'chunk', done: run.documentsRead, documentId, chunks });
    const full =
      this.batch.length >= batchDocuments ||
      this.rows >= this.ingest.batchRows ||
      this.chars >= batchTextChars;
    if (full) await this.flush();
  }

  /** Hands the batch to the flow; it is empty afterwards, submitted or not. */
  async flush(): Promise<void> {
    const documents = this.batch;
    this.batch = [];
    this.ids = new Set();
    this.rows = 0;
    this.chars = 0;
    if (documents.length > 0) await this.ingest.flow.submit(documents);
  }

  /** Hands on only the documents of inputs before `index` (read completely); drops the rest. */
  async flushInputsBefore(index: number): Promise<void> {
    this.batch = this.batch.filter((queued) => queued.input < index);
    this.ids = new Set(this.batch.map((queued) => queued.document.documentId));
    await this.flush();
  }
}

/** The running totals of one ingest, and the facts an error reports about what was stored. */
class IngestRun {
  readonly inputs: InputProgress[] = [];
  readonly meters: IngestMeters = { requestsInFlight: 0, tokensEmbedded: 0 };
  documentsRead = 0;
  /** Documents stored; `results` lists the first `resultLimit` of them. */
  private stored = 0;
  readonly results: DocumentResult[] = [];
  readonly totals = { chunks: 0, embedded: 0, reused: 0, removed: 0, skipped: 0, tokens: 0 };
  private unchanged = 0;
  readonly timings = { chunk_ms: 0, embed_ms: 0, store_ms: 0 };
  private built = false;
  private current: number | undefined;

  constructor(
    private readonly options: Pick<IngestOptions, 'onProgress'> & { readonly resultLimit: number },
  ) {}

  /** Sends an event with what every ingest event carries: documents stored, requests, tokens. */
  readonly report = (event: ProgressEvent): void => {
    this.options.onProgress?.({
      ...event,
      documents: this.stored,
      requests_in_flight: this.meters.requestsInFlight,
      tokens_embedded: this.meters.tokensEmbedded,
    });
  };

  /** Inputs, from the first, whose documents are all stored: a folder's files done. */
  sourcesDone(): number {
    let done = 0;
    for (const input of this.inputs) {
      if (!input.ended || input.stored !== input.read) break;
      done++;
    }
    return done;
  }

  readonly storedSoFar = () => ({ documents_stored: this.stored, chunks_stored: this.totals.chunks });

  begin(source: string | undefined): number {
    this.current = this.inputs.length;
    this.inputs.push({ source, read: 0, stored: 0, ended: false });
    return this.current;
  }

  record(written: WrittenBatch): void {
    const { totals } = this;
    for (const { input, ...result } of written.results) {
      if (this.stored < this.options.resultLimit) this.results.push(result);
      this.stored++;
      this.inputs[input]!.stored++;
      for (const key of countKeys) totals[key] += result[key];
      if (result.embedded === 0 && result.removed === 0 && result.reused > 0) this.unchanged++;
    }
    this.timings.embed_ms += written.embedMs;
    this.timings.store_ms += written.storeMs;
    this.indexBuilt(written.indexBuilt);
    this.report({
      phase: 'store',
      done: this.stored,
      chunks: totals.chunks,
      sources: this.sourcesDone(),
      duration_ms: written.storeMs,
    });
  }

  /** The ANN index build at the ingest's end is starting. */
  readonly indexStarting = (start: IndexBuildStart): void => {
    this.report({ phase: 'index', done: 0, total: 1, index_start: start });
  };

  /** A reading of the ANN index build the ingest's end runs (on a PostgreSQL server). */
  readonly indexProgress = (build: IndexBuildProgress): void => {
    this.report({ phase: 'index', done: 0, total: 1, index_build: build });
  };

  /** Before an HNSW build whose graph will not fit in the memory the build may use. */
  readonly indexMemoryShort = (memory: IndexBuildMemory): void => {
    this.report({ phase: 'index', done: 0, total: 1, index_memory: memory });
  };

  /** Notes an index build (by a batch that restored an index it dropped, or by the ingest's end). */
  indexBuilt(built: boolean): void {
    if (!built) return;
    this.built = true;
    this.report({ phase: 'index', done: 1, total: 1 });
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
    // What is stored is counted now, after the batches in flight settled: a count the error took
    // when it was thrown (CANCELLED's) may predate writes that finished since.
    const details = { ...facts, ...error.details, ...this.storedSoFar() };
    return createError({ code: error.code, message, details, cause: error });
  }

  result(meta: { namespace: string; collectionName: string; durationMs: number }): IngestResult {
    return {
      namespace: meta.namespace,
      collection_name: meta.collectionName,
      sources: this.inputs.length,
      documents: this.stored,
      ...this.totals,
      unchanged: this.unchanged,
      duration_ms: meta.durationMs,
      index_built: this.built,
      timings: this.timings,
      results: this.results,
      results_omitted: this.stored - this.results.length,
    };
  }
}
