// What `dje ingest` hands the pipeline: each resolved source as one ingest input, opened lazily so
// a folder of many stream files holds one file open at a time, and the progress display to show.
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IngestInput, ProgressEvent } from '@dynamic-embeddings/pipeline';
import { documentIdField, parseJson } from '@dynamic-embeddings/pipeline/chunking';
import type { CommandContext } from './command-context.js';
import { formatCount, plural } from './format-values.js';
import { announceIndexStart, indexMemoryNote, indexPhaseFigures } from './index-build-figures.js';
import type { IngestSource } from './ingest-sources.js';
import { createProgress } from './progress.js';
import { readAll } from './read-all.js';

/**
 * Ids for a stream file's documents: their own id/_id/document_id field, else `<file name>-<n>`
 * (n counted from 0, like the pipeline's `doc-<n>`), so two NDJSON files in one folder never
 * overwrite each other's unnamed documents.
 */
function streamDocumentIds(prefix: string): (document: unknown, index: number) => string {
  return (document, index) => documentIdField(document) ?? `${prefix}-${index}`;
}

export function sourceLabel(source: IngestSource): string {
  return source.kind === 'stdin' ? 'stdin' : source.path;
}

/** The sources as pipeline inputs; `close()` releases a file still open when the ingest stopped. */
export function ingestInputs(context: CommandContext, sources: readonly IngestSource[]) {
  let open: ReadStream | undefined;
  async function* inputs(): AsyncGenerator<IngestInput> {
    for (const source of sources) {
      if (source.kind === 'document') {
        yield { kind: 'file', path: source.path, documentId: source.documentId };
      } else if (source.kind === 'stream') {
        open = createReadStream(source.path);
        yield {
          kind: 'stream',
          stream: open,
          source: source.path,
          documentId: streamDocumentIds(source.idPrefix),
        };
        open.destroy();
      } else if (source.documentId !== undefined) {
        // With --document-id, stdin is one JSON document (pretty-printed or not), not a stream.
        const data = parseJson(await readAll(context.io.stdin), { source: 'stdin' });
        yield { kind: 'data', data, documentId: source.documentId, source: 'stdin' };
      } else {
        context.output.note(
          context.io.stdin.isTTY === true
            ? 'Reading NDJSON documents from the terminal; end with Ctrl-D.'
            : 'Reading documents (NDJSON or a JSON array) from stdin…',
        );
        yield {
          kind: 'stream',
          stream: context.io.stdin as AsyncIterable<string | Uint8Array>,
          source: 'stdin',
        };
      }
    }
  }
  return { inputs: inputs(), bytesRead: () => open?.bytesRead ?? 0, close: () => open?.destroy() };
}

/**
 * What the progress display shows besides its count: documents and chunks stored, provider requests
 * in flight, and tokens embedded per second since the ingest started.
 */
export function ingestFigures(now: () => number = Date.now): (event: ProgressEvent) => string {
  const started = now();
  let chunks = 0;
  return (event) => {
    const indexFigures = event.phase === 'index' ? indexPhaseFigures(event) : undefined;
    if (indexFigures !== undefined) return indexFigures;
    if (event.phase === 'store' && event.chunks !== undefined) chunks = event.chunks;
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const tokensPerSecond = Math.round((event.tokens_embedded ?? 0) / seconds);
    const requests = event.requests_in_flight ?? 0;
    return `${plural(event.documents ?? 0, 'document')}, ${plural(chunks, 'chunk')}, ${plural(requests, 'request')} in flight, ${formatCount(tokensPerSecond)} tokens/s`;
  };
}

interface ProgressOptions {
  readonly folder: boolean;
  readonly sources: readonly IngestSource[];
  readonly bytesRead: () => number;
}

interface IngestProgressDisplay {
  onProgress: (event: ProgressEvent) => void;
  /** Ends the display: with the documents stored when the ingest completed, without when it failed. */
  finish: (documents?: number) => void;
}

/**
 * The progress display of an ingest, and a note when the index build ahead will be slow for want
 * of memory: files done for a folder; documents for one stream (its length
 * in documents is unknown, so bytes read give an honest estimate); debug lines for one document.
 */
export async function ingestProgress(
  context: CommandContext,
  options: ProgressOptions,
): Promise<IngestProgressDisplay> {
  const display = await progressDisplay(context, options);
  return {
    onProgress: (event) => {
      if (event.index_memory !== undefined) context.output.note(indexMemoryNote(event.index_memory));
      announceIndexStart(context.output, event.index_start);
      display.onProgress(event);
    },
    finish: display.finish,
  };
}

/** The display itself: files, documents, or debug lines for one document. */
async function progressDisplay(
  context: CommandContext,
  options: ProgressOptions,
): Promise<IngestProgressDisplay> {
  const { output } = context;
  const [only] = options.sources;
  const figures = ingestFigures();
  if (options.folder || only === undefined) {
    const progress = createProgress({
      output,
      label: 'ingest',
      unit: 'files',
      total: options.sources.length,
    });
    let sourcesDone = 0;
    return {
      onProgress: (event) => {
        if (event.phase === 'store' && event.sources !== undefined) sourcesDone = event.sources;
        progress.update(sourcesDone, undefined, figures(event));
      },
      finish: (documents) => {
        if (documents !== undefined) progress.update(options.sources.length);
        progress.finish();
      },
    };
  }
  if (only.kind === 'document' || (only.kind === 'stdin' && only.documentId !== undefined)) {
    const label = sourceLabel(only);
    return {
      onProgress: (event) =>
        output.debug(
          `${label}: ${event.phase} ${event.done}${event.total === undefined ? '' : `/${event.total}`}`,
        ),
      finish: () => {},
    };
  }
  const bytesTotal = only.kind === 'stream' ? (await stat(only.path)).size : undefined;
  const progress = createProgress({
    output,
    label: `ingest ${sourceLabel(only)}`,
    unit: 'documents',
    indeterminate: bytesTotal === undefined,
  });
  let stored = 0;
  return {
    onProgress: (event) => {
      if (event.phase !== 'store') {
        progress.update(stored, undefined, figures(event));
        return;
      }
      stored = event.done;
      const bytesRead = options.bytesRead();
      const estimate =
        bytesTotal !== undefined && bytesRead > 0
          ? Math.max(event.done, Math.round((event.done * bytesTotal) / bytesRead))
          : undefined;
      progress.update(event.done, estimate, figures(event));
    },
    finish: (documents) => {
      if (documents !== undefined) progress.update(documents, documents);
      progress.finish();
    },
  };
}
