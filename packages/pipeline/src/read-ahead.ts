// Reads small files ahead of the ingest loop: a folder of many small JSON files otherwise costs one
// open/stat/read/close round trip through the thread pool per file, one file at a time, which is
// most of the time an ingest of small documents takes. Order, errors and memory stay as without it.
import { stat } from 'node:fs/promises';
import type { IngestInput } from './pipeline-types.js';
import { readJsonText } from './read-json-file.js';

/** Files at most this large are read ahead; larger ones are read when the ingest reaches them. */
export const READ_AHEAD_MAX_FILE_BYTES = 1 << 20;
/** Inputs taken from the source before the ingest needs them. */
export const READ_AHEAD_INPUTS = 16;

/** An input, and for a small file its text, being read. */
export type ReadyInput = IngestInput & {
  /** The file's text (rejects with the error reading it would give), or undefined: read it later. */
  readonly text?: Promise<string | undefined>;
};

async function readIfSmall(path: string): Promise<string | undefined> {
  const size = await stat(path).then(
    (stats) => stats.size,
    () => undefined,
  );
  // A file that cannot be stat'ed is read later, so its error is the one readJsonFile gives.
  if (size === undefined || size > READ_AHEAD_MAX_FILE_BYTES) return undefined;
  return readJsonText(path);
}

function ready(input: IngestInput): ReadyInput {
  if (input.kind !== 'file') return input;
  const text = readIfSmall(input.path);
  // Awaited when the ingest reaches the file; until then a failed read must not be unhandled.
  text.catch(() => {});
  return { ...input, text };
}

/** `inputs` in order, with up to READ_AHEAD_INPUTS of them taken early and their small files being read. */
export async function* readAhead(
  inputs: Iterable<IngestInput> | AsyncIterable<IngestInput>,
): AsyncGenerator<ReadyInput, void, undefined> {
  const source = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : inputs[Symbol.iterator]();
  const queue: ReadyInput[] = [];
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && queue.length < READ_AHEAD_INPUTS) {
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
