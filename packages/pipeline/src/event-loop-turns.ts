// Lets the event loop run between pieces of a long synchronous stretch. Reading a folder of small
// files is synchronous work whose awaits (read-ahead files, the chunking generator) settle as
// microtasks, so without a turn of the loop no provider request leaves, no answer is read and no
// write proceeds until the reader blocks on a full flow: the first request of a 10,000-file ingest
// left only after 3,000 files were chunked, and writes waited behind the chunking of later files.

/**
 * Milliseconds of synchronous work after which the reader gives the event loop a turn. Short:
 * the reader runs ahead of the writes (it waits for them once two batches are read), so each
 * write's round trips (a dozen per batch) are what waits for the turns. The provider bench on
 * PostgreSQL stored its 10,000 files in ~1.53 s at 1 ms against ~1.65 s at 4 ms (medians of 6
 * alternating rounds, load 2.2-2.6).
 */
export const READER_SLICE_MS = 1;

export interface EventLoopTurns {
  /** Resolves at once within a slice, else after one turn of the event loop (a setImmediate). */
  take(): Promise<void>;
}

export function createEventLoopTurns(sliceMs: number = READER_SLICE_MS): EventLoopTurns {
  let since = performance.now();
  return {
    async take() {
      if (performance.now() - since < sliceMs) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    },
  };
}
