// Reads small files ahead of the ingest loop: a folder of many small JSON files otherwise costs
// stat/open/read/close round trips through the thread pool per file, one file at a time, which is
// most of the time an ingest of small documents takes. Order, errors and memory stay as without it.
import { readFileSync, statSync } from 'node:fs';
import type { IngestInput } from './pipeline-types.js';

/** Files at most this large are read ahead; larger ones are read when the ingest reaches them. */
export const READ_AHEAD_MAX_FILE_BYTES = 1 << 20;
/** Inputs taken from the source before the ingest needs them. */
export const READ_AHEAD_INPUTS = 16;

/** An input, and for a small file its text, read ahead. */
export type ReadyInput = IngestInput & {
  /** The file's text, or undefined: read it when the ingest gets there. */
  readonly text?: string | undefined;
};

/**
 * A small file's text, read synchronously: for a file of at most READ_AHEAD_MAX_FILE_BYTES that takes
 * tens of microseconds, where an asynchronous read waits for four or five thread-pool round trips
 * (and the event loop stalls no longer than the read). Undefined for a larger file, or one that
 * cannot be read: the ingest reads it when it gets there, so its error is the usual one.
 */
function readIfSmall(path: string): string | undefined {
  try {
    if (statSync(path).size > READ_AHEAD_MAX_FILE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function ready(input: IngestInput): ReadyInput {
  if (input.kind !== 'file') return input;
  return { ...input, text: readIfSmall(input.path) };
}

/** `inputs` in order, with up to READ_AHEAD_INPUTS of them taken early and their small files read. */
export async function* readAhead(
  inputs: Iterable<IngestInput> | AsyncIterable<IngestInput>,
): AsyncGenerator<ReadyInput, void, undefined> {
  const source = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : inputs[Symbol.iterator]();
  const queue: ReadyInput[] = [];
  let exhausted = false;
  try {
    for (;;) {
      // A source may close a stream input once it is asked for the next one, so nothing is taken
      // past a stream until the ingest has read it.
      while (!exhausted && queue.length < READ_AHEAD_INPUTS && queue.at(-1)?.kind !== 'stream') {
        const next = await source.next();
        if (next.done === true) exhausted = true;
        else queue.push(ready(next.value));
      }
      const input = queue.shift();
      if (input === undefined) return;
      yield input;
    }
  } finally {
    // Stopped early (an error, Ctrl-C): let the source close its files or streams.
    if (!exhausted) await source.return?.();
  }
}
