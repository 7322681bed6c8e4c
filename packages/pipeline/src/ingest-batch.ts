// Writes one batch of chunked documents, in two stages the ingest overlaps across batches: `embed`
// (the stored vectors of the batch's documents, then provider calls for the texts that changed) and
// `store` (the writes). The namespace is looked up once per ingest (one registry read) and the
// handle kept; each batch then costs one query for the stored vectors of all its documents, the
// provider calls, and the writes:
//
// documents the namespace has no rows of (or all documents, when replace is off) go into one
// insert in one transaction (the store's bulk COPY path, all or nothing); documents that already
// have rows are then replaced together in a second transaction, so their stale chunks go away in
// the same commit as the new ones arrive. Cancellation is honoured before a batch's first write,
// never inside one. A database failure in the middle of a batch can therefore leave that batch's new
// documents written and its replaced ones not — always whole documents, never half of one.

import {
  dropEmptyNamespace,
  type EmbeddingInput,
  findNamespace,
  type IndexProgressOptions,
  isNamespaceChanged,
  type NamespaceHandle,
  openOrCreateNamespace,
} from '@dynamic-embeddings/db';
import type { EmbeddingProvider } from '@dynamic-embeddings/embeddings';
import { type AttachedVectors, attachVectors } from './attach-vectors.js';
import { throwIfCancelled } from './cancellation.js';
import type { PreparedDocument } from './document-rows.js';
import { elapsed } from './elapsed.js';
import type { PipelineContext } from './pipeline-context.js';
import type { DocumentResult, IngestOptions } from './pipeline-types.js';
import { writeFailed } from './write-failed.js';

/** A chunked document waiting in a batch, with the index of the input it came from. */
export interface QueuedDocument {
  readonly document: PreparedDocument;
  readonly input: number;
  readonly source: string | undefined;
}

/** What the ingest reports while it runs: provider calls in flight now, tokens sent so far. */
export interface IngestMeters {
  requestsInFlight: number;
  tokensEmbedded: number;
}

/** A batch whose rows all have vectors, waiting for its turn to be written. */
export interface EmbeddedBatch {
  readonly batch: readonly QueuedDocument[];
  /** Stored vectors by document id and text hash, as looked up before embedding. */
  readonly stored: ReadonlyMap<string, ReadonlyMap<string, Float32Array>>;
  readonly attached: AttachedVectors;
  readonly embedMs: number;
}

export interface WrittenBatch {
  /** The batch's documents, each now stored completely. */
  readonly results: readonly (DocumentResult & { readonly input: number })[];
  readonly embedMs: number;
  readonly storeMs: number;
  readonly indexBuilt: boolean;
}

type WriterOptions = Pick<IngestOptions, 'signal' | 'onProgress'> & {
  readonly namespace: string;
  readonly collectionName: string;
  readonly replace: boolean;
  /** What is stored for good so far, for a CANCELLED error's details. */
  readonly storedSoFar: () => Readonly<Record<string, unknown>>;
  readonly meters: IngestMeters;
};

/** One batch's document with its records, ready to write. */
interface DocumentWrite {
  readonly queued: QueuedDocument;
  readonly records: readonly EmbeddingInput[];
  readonly reused: number;
  /** No rows yet (or replace is off): part of the batch's one insert. */
  readonly fresh: boolean;
  removed: number;
}

export class BatchWriter {
  private handle: NamespaceHandle | undefined;
  /** The one registry read of the ingest, shared by batches being embedded at the same time. */
  private lookup: Promise<NamespaceHandle | undefined> | undefined;
  /** A missing namespace being made, from the first batch's provider calls on. */
  private creating: Promise<{ readonly created: boolean; readonly handle: NamespaceHandle }> | undefined;
  /**
   * The stored-vector lookups, one after another: batches then reach the provider in batch order,
   * so a failing provider fails the earliest batch it can, as a loop would.
   */
  private lookups: Promise<unknown> = Promise.resolve();
  /** Whether a write of this ingest has committed rows (see `store`). */
  private wroteRows = false;
  /** The provider, counting its calls in flight for progress events. */
  private readonly provider: EmbeddingProvider;

  constructor(
    private readonly context: PipelineContext,
    private readonly options: WriterOptions,
  ) {
    const { meters } = options;
    const inner = context.provider;
    this.provider = {
      ...inner,
      async embed(texts, embedOptions) {
        meters.requestsInFlight++;
        try {
          return await inner.embed(texts, embedOptions);
        } finally {
          meters.requestsInFlight--;
        }
      },
    };
  }

  /**
   * Gives the batch's rows their vectors: reused where the stored text is unchanged, else from the
   * provider. Writes nothing, so batches can be embedded while an earlier one is being written.
   */
  async embed(batch: readonly QueuedDocument[], signal: AbortSignal | undefined): Promise<EmbeddedBatch> {
    const { context, options } = this;
    throwIfCancelled(signal, options.storedSoFar());
    const embedStarted = performance.now();
    // A namespace for another model fails here, before any provider call. A missing one is made
    // while the first batch's requests are out (its DDL waited ~0.2 s for them to return on a busy
    // event loop, ahead of every write); an ingest that fails before storing anything drops it
    // again (abandon), so a failing provider leaves nothing behind.
    this.lookup ??= findNamespace(context.store.db, options.namespace, { embedding: context.provider });
    const handle = this.handle ?? (await this.lookup);
    if (handle === undefined) this.startCreating();
    const ids = batch.map((queued) => queued.document.documentId);
    const lookup =
      handle === undefined
        ? Promise.resolve(new Map<string, Map<string, Float32Array>>())
        : this.lookups
            .then(() => handle.storedVectorsOf(ids, { collectionName: options.collectionName }))
            // A namespace dropped under an ingest that stored nothing in it has no vectors to
            // reuse; the write makes it again (see `store`).
            .catch((error: unknown) => {
              if (this.wroteRows || !isNamespaceChanged(error)) throw error;
              return new Map<string, Map<string, Float32Array>>();
            });
    this.lookups = lookup.catch(() => undefined);
    const stored = await lookup;
    const rows = batch.flatMap((queued) => queued.document.rows);
    const attached = await attachVectors({
      provider: this.provider,
      rows,
      storedVector: (row) => stored.get(row.document_id)?.get(row.text_hash),
      concurrency: context.concurrency,
      signal,
      // Texts of this batch sent to the provider so far, of those it needs.
      onProgress: (progress) => options.onProgress?.({ phase: 'embed', ...progress }),
    });
    rows.forEach((row, index) => {
      if (!attached.reusedAt[index]) options.meters.tokensEmbedded += row.token_count ?? 0;
    });
    return { batch, stored, attached, embedMs: elapsed(embedStarted) };
  }

  /** Writes an embedded batch: its new documents in one transaction, replaced ones one by one. */
  async store(embedded: EmbeddedBatch): Promise<WrittenBatch> {
    const { options } = this;
    const { batch, stored, attached } = embedded;
    throwIfCancelled(options.signal, options.storedSoFar());
    let target = await this.writeHandle();
    const storeStarted = performance.now();

    // Each document's records and reuse count: rows are in batch order, one document after another.
    let offset = 0;
    const parts = batch.map((queued): DocumentWrite => {
      const count = queued.document.rows.length;
      const reused = attached.reusedAt.slice(offset, offset + count).filter(Boolean).length;
      const records = attached.records.slice(offset, offset + count);
      offset += count;
      const fresh = !options.replace || (stored.get(queued.document.documentId)?.size ?? 0) === 0;
      return { queued, records, reused, fresh, removed: 0 };
    });
    let indexBuilt: boolean;
    try {
      indexBuilt = await this.writeParts(target, parts);
    } catch (error) {
      if (this.wroteRows || !isNamespaceChanged(error)) throw error;
      // The namespace went away between this ingest's lookup and its first write: another ingest
      // made it, failed before storing anything and dropped it as empty (abandon), or it was
      // dropped and made again. Nothing of this ingest is in it, so it carries on as if it had
      // started after the drop: it makes the namespace again (or opens the new one, which must
      // still suit its model) and writes the batch there. Once a batch is stored, a drop stays
      // an error: making the namespace again would leave it with only the later documents.
      this.forgetNamespace();
      target = await this.writeHandle();
      indexBuilt = await this.writeParts(target, parts);
    }
    const results = parts.map(({ queued, reused, removed }) => ({
      ...documentResult(queued, reused, removed),
      input: queued.input,
    }));
    return { results, embedMs: embedded.embedMs, storeMs: elapsed(storeStarted), indexBuilt };
  }

  /**
   * After the last batch: builds the ANN index if the ingest made it due and calibrates the search
   * settings (once per ingest, not inside the batch that crossed the threshold, after which every
   * later batch would maintain the graph row by row). Returns whether it built the index.
   */
  async finishIndex(progress?: IndexProgressOptions): Promise<boolean> {
    return (await this.handle?.finishIndex({ ...(progress === undefined ? {} : { progress }) })) ?? false;
  }

  /**
   * After a failed ingest: drops the namespace this ingest created while nothing is stored in it
   * (none of its batches was written, or the writes rolled back), as if it had never begun.
   */
  async abandon(): Promise<void> {
    const made = await this.creating?.catch(() => undefined);
    if (made?.created !== true) return;
    // Best effort: the ingest's own error is what the caller must see; an empty namespace left
    // behind is what the ingest would have left before it created namespaces early.
    await dropEmptyNamespace(this.context.store.db, this.options.namespace).catch(() => {});
  }

  /** Starts making the missing namespace (once); a failure is reported by the write that needs it. */
  private startCreating(): Promise<{ readonly created: boolean; readonly handle: NamespaceHandle }> {
    if (this.creating === undefined) {
      const { provider, newNamespaces } = this.context;
      this.creating = openOrCreateNamespace(this.context.store.db, {
        ...newNamespaces,
        namespace: this.options.namespace,
        dimensions: provider.dimensions,
        provider: provider.provider,
        model: provider.model,
      });
      // Awaited by writeHandle or abandon; until then a failure must not go unhandled.
      this.creating.catch(() => {});
    }
    return this.creating;
  }

  /** A batch's writes: its new documents, then its replaced ones (see the file's comment). */
  private async writeParts(target: NamespaceHandle, parts: readonly DocumentWrite[]): Promise<boolean> {
    const fresh = parts.filter((part) => part.fresh);
    const indexBuilt = await this.insertFresh(target, fresh);
    if (fresh.length > 0) this.wroteRows = true;
    const replaced = parts.filter((part) => !part.fresh);
    await this.replaceStored(target, replaced);
    if (replaced.length > 0) this.wroteRows = true;
    return indexBuilt;
  }

  /** Drops what the ingest knows of its namespace, so that the next write looks it up again. */
  private forgetNamespace(): void {
    this.handle = undefined;
    this.lookup = undefined;
    this.creating = undefined;
  }

  /** The namespace: found by the ingest's lookup, or made (see startCreating). */
  private async writeHandle(): Promise<NamespaceHandle> {
    this.handle ??= await this.lookup;
    this.handle ??= (await this.startCreating()).handle;
    return this.handle;
  }

  /** The batch's new documents in one transaction; whether that built the ANN index. */
  private async insertFresh(target: NamespaceHandle, fresh: readonly DocumentWrite[]): Promise<boolean> {
    const records = fresh.flatMap((part) => part.records);
    if (records.length === 0) return false;
    try {
      // One transaction for the whole batch: the store would otherwise commit every 5,000 rows.
      // The index (if this write makes one due) is built once, after the last batch: finishIndex.
      const written = await target.insert(records, { batchSize: records.length, deferIndex: true });
      return written.index_built;
    } catch (error) {
      throw writeFailed(
        error,
        `the ${fresh.length} new document(s) of a batch in collection "${this.options.collectionName}"`,
      );
    }
  }

  /** Documents that have rows: replaced together in one transaction, their stale chunks removed. */
  private async replaceStored(target: NamespaceHandle, parts: readonly DocumentWrite[]): Promise<void> {
    const { collectionName } = this.options;
    if (parts.length === 0) return;
    try {
      const written = await target.replaceDocuments({
        collectionName,
        documents: parts.map((part) => ({
          documentId: part.queued.document.documentId,
          records: part.records,
        })),
        deferIndex: true,
      });
      written.forEach((replaced, index) => {
        parts[index]!.removed = replaced.deleted;
      });
    } catch (error) {
      const only = parts.length === 1 ? parts[0]?.queued.document.documentId : undefined;
      throw writeFailed(
        error,
        only === undefined
          ? `the ${parts.length} replaced document(s) of a batch in collection "${collectionName}"`
          : `document "${only}" in collection "${collectionName}"`,
      );
    }
  }
}

function documentResult(queued: QueuedDocument, reused: number, removed: number): DocumentResult {
  const { document, source } = queued;
  return {
    document_id: document.documentId,
    ...(source === undefined ? {} : { source }),
    chunks: document.chunks,
    embedded: document.rows.length - reused,
    reused,
    removed,
    skipped: document.skipped,
    strategy: document.strategy,
    confidence: document.confidence,
    tokens: document.tokens,
  };
}
