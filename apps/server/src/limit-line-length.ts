// Passes an NDJSON byte stream through unchanged while enforcing a maximum line length, so a bulk
// upload is bounded per line and never has to be held in memory as a whole.
import { payloadTooLarge } from './http-error.js';

const newline = 0x0a;

/**
 * Rejects when `signal` aborts, even while the source is waiting for bytes that may never come (a
 * client that stops sending): without it a timed-out upload would hold its embedding slot forever.
 */
function untilAborted<Value>(promise: Promise<Value>, signal: AbortSignal | undefined): Promise<Value> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

export async function* limitLineLength(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { readonly maxLineBytes: number; readonly signal?: AbortSignal },
): AsyncGenerator<Uint8Array> {
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  let line = 1;
  let lineBytes = 0;
  let finished = false;
  try {
    for (;;) {
      const next = await untilAborted(Promise.resolve(iterator.next()), options.signal);
      if (next.done) {
        finished = true;
        return;
      }
      const chunk = next.value;
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(newline, start);
        lineBytes += (end === -1 ? chunk.length : end) - start;
        if (lineBytes > options.maxLineBytes) {
          throw payloadTooLarge(
            `Line ${line} of the NDJSON body is longer than ${options.maxLineBytes} bytes. Split large documents, or ask the operator to raise the line limit. Lines before it may already be stored.`,
            { details: { line, limit_bytes: options.maxLineBytes } },
          );
        }
        if (end === -1) break;
        line += 1;
        lineBytes = 0;
        start = end + 1;
      }
      yield chunk;
    }
  } finally {
    // Stop the source early (not awaited: a stream with a read pending settles it only later).
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
