// The ingest as a pipeline, not a loop: a batch is embedded as soon as it is read (several batches at
// once, so provider requests overlap), and batches are written strictly in order, one at a time,
// while later ones are being embedded and the next is being read. At most `limit` batches are
// between "read" and "written"; the reader waits for the oldest write when that many are, which
// bounds memory whatever the input's length.
import type { BatchWriter, QueuedDocument, WrittenBatch } from './ingest-batch.js';

export interface BatchFlowOptions {
  readonly writer: BatchWriter;
  /** Batches read but not yet written, at most. */
  readonly limit: number;
  readonly signal?: AbortSignal | undefined;
  /** Called with each batch once it is written, in batch order. */
  readonly onWritten: (written: WrittenBatch) => void;
}

/** A batch between read and written: its document ids, its own abort, and its end (written or failed). */
interface InFlight {
  readonly ids: ReadonlySet<string>;
  readonly controller: AbortController;
  readonly settled: Promise<void>;
}

export class BatchFlow {
  private readonly inFlight: InFlight[] = [];
  /** The write of the latest batch; each write waits for the one before it. */
  private lastWrite: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | undefined;
  /** A batch failed to embed: no further batch starts, and the write chain will report it. */
  private halted = false;

  constructor(private readonly options: BatchFlowOptions) {}

  /** The first failure, in batch order, of the batches settled so far. */
  get failed(): { readonly error: unknown } | undefined {
    return this.failure;
  }

  /**
   * Starts a batch: embedding now, writing after the batches before it. Resolves once it is under
   * way (waiting while `limit` batches are); rejects with the first failure of an earlier batch.
   */
  async submit(batch: readonly QueuedDocument[]): Promise<void> {
    this.throwIfFailed();
    while (this.inFlight.length >= this.options.limit && !this.halted) await this.inFlight[0]?.settled;
    if (this.halted) {
      // The failing batch's place in the write chain decides which failure is reported.
      await this.settle();
      this.throwIfFailed();
    }
    const { writer, onWritten } = this.options;
    const ids = new Set(batch.map((queued) => queued.document.documentId));
    // A document also in a batch not yet written: its stored vectors are looked up only after that
    // write, so the later version replaces the earlier one as if the documents came one by one.
    const overlaps = this.inFlight.some((entry) => [...ids].some((id) => entry.ids.has(id)));
    const previous = this.lastWrite;
    const controller = new AbortController();
    const signal = this.options.signal
      ? AbortSignal.any([this.options.signal, controller.signal])
      : controller.signal;
    const embedding = (async () => {
      if (overlaps) await previous;
      return writer.embed(batch, signal);
    })();
    const written = (async () => {
      // Settle both first: a write never starts, and the chain never moves on, before the write of
      // the batch before it has finished.
      await Promise.allSettled([embedding, previous]);
      await previous;
      onWritten(await writer.store(await embedding));
    })();
    this.lastWrite = written;
    const entry: InFlight = {
      ids,
      controller,
      settled: written.then(
        () => this.remove(entry),
        (error: unknown) => {
          // Batches settle in order, so every batch before this one is written by now: the later
          // ones stop calling the provider, and none of them is written.
          this.failure ??= { error };
          this.remove(entry);
          for (const later of this.inFlight) later.controller.abort();
        },
      ),
    };
    this.inFlight.push(entry);
    // A failed embedding stops the batches after it at once; the ones before it go on and are written.
    embedding.catch(() => {
      this.halted = true;
      const index = this.inFlight.indexOf(entry);
      if (index >= 0) for (const later of this.inFlight.slice(index + 1)) later.controller.abort();
    });
  }

  /** Waits until every batch is written; rejects with the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.throwIfFailed();
  }

  /** Waits until no batch is in flight any more, written or failed. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight.map((entry) => entry.settled));
  }

  private remove(entry: InFlight): void {
    const index = this.inFlight.indexOf(entry);
    if (index >= 0) this.inFlight.splice(index, 1);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
