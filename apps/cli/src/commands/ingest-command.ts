// dje ingest <file|dir|-> --collection <c>: chunk → embed → store, with progress and clean Ctrl-C.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { cancelled, createError, DjeError } from '@dynamic-embeddings/core';
import {
  documentIdField,
  type EmbeddingPipeline,
  type ProcessResult,
  parseJson,
  type StrategyName,
  type StreamResult,
} from '@dynamic-embeddings/pipeline';
import type { Command } from 'commander';
import { configOption, loadConfigOption, strategyOption } from '../chunking-options.js';
import { type CommandContext, commandContext, type RunContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatCount, formatMilliseconds, plural } from '../format-values.js';
import { examples } from '../help-text.js';
import { type IngestSource, resolveIngestSources } from '../ingest-sources.js';
import { createProgress } from '../progress.js';
import { readAll } from '../read-all.js';

interface IngestOptions {
  readonly collection: string;
  readonly documentId?: string;
  readonly strategy: StrategyName;
  readonly config?: string;
  readonly replace: boolean;
}

type SourceResult =
  | ({ readonly kind: 'document' } & ProcessResult)
  | ({ readonly kind: 'stream' } & StreamResult);

interface FolderResult {
  readonly namespace: string;
  readonly collection_name: string;
  readonly files: number;
  readonly documents: number;
  readonly chunks: number;
  readonly embedded: number;
  readonly reused: number;
  readonly removed: number;
  readonly skipped: number;
  readonly tokens: number;
  readonly duration_ms: number;
  readonly results: ReadonlyArray<{ readonly file: string } & (ProcessResult | StreamResult)>;
}

interface IngestRun {
  readonly context: CommandContext;
  readonly pipeline: EmbeddingPipeline;
  readonly options: IngestOptions;
  readonly config: Awaited<ReturnType<typeof loadConfigOption>>;
  /** Show a progress display for this source (single large streams); folders show their own. */
  readonly showProgress: boolean;
}

/**
 * Ids for a stream file's documents: their own id/_id/document_id field, else `<file name>-<n>`
 * (n counted from 0, like the pipeline's `doc-<n>`), so two NDJSON files in one folder never
 * overwrite each other's unnamed documents.
 */
function streamDocumentIds(prefix: string): (document: unknown, index: number) => string {
  return (document, index) => documentIdField(document) ?? `${prefix}-${index}`;
}

async function ingestStream(
  run: IngestRun,
  input: AsyncIterable<string | Uint8Array>,
  options: {
    readonly label: string;
    readonly idPrefix: string | undefined;
    readonly bytesTotal?: number;
    readonly bytesRead?: () => number;
  },
): Promise<StreamResult> {
  const { context, pipeline } = run;
  const progress = run.showProgress
    ? createProgress({
        output: context.output,
        label: options.label,
        unit: 'documents',
        indeterminate: options.bytesTotal === undefined,
      })
    : undefined;
  try {
    const result = await pipeline.processJsonStream(input, {
      collectionName: run.options.collection,
      strategy: run.options.strategy,
      config: run.config,
      signal: context.signal,
      ...(options.idPrefix === undefined ? {} : { documentId: streamDocumentIds(options.idPrefix) }),
      onProgress: (event) => {
        if (event.phase !== 'store') return;
        // The stream's length in documents is unknown; bytes read so far give an honest estimate.
        const bytesRead = options.bytesRead?.() ?? 0;
        const estimate =
          options.bytesTotal !== undefined && bytesRead > 0
            ? Math.max(event.done, Math.round((event.done * options.bytesTotal) / bytesRead))
            : undefined;
        progress?.update(event.done, estimate);
      },
    });
    progress?.update(result.documents, result.documents);
    return result;
  } finally {
    progress?.finish();
  }
}

async function ingestSource(run: IngestRun, source: IngestSource): Promise<SourceResult> {
  const { context, pipeline, options } = run;
  // What every single-document ingest of this run passes to the pipeline, besides its document id.
  const documentOptions = {
    collectionName: options.collection,
    strategy: options.strategy,
    config: run.config,
    replace: options.replace,
    signal: context.signal,
  };
  if (source.kind === 'document') {
    const result = await pipeline.processJsonFile(source.path, {
      ...documentOptions,
      documentId: source.documentId,
      onProgress: (event) =>
        context.output.debug(
          `${source.path}: ${event.phase} ${event.done}${event.total === undefined ? '' : `/${event.total}`}`,
        ),
    });
    return { kind: 'document', ...result };
  }
  if (source.kind === 'stdin') {
    if (source.documentId !== undefined) {
      // With --document-id, stdin is one JSON document (pretty-printed or not), not a stream.
      const data = parseJson(await readAll(context.io.stdin), { source: 'stdin' });
      const result = await pipeline.processJsonData(data, {
        ...documentOptions,
        documentId: source.documentId,
      });
      return { kind: 'document', ...result };
    }
    context.output.note(
      context.io.stdin.isTTY === true
        ? 'Reading NDJSON documents from the terminal; end with Ctrl-D.'
        : 'Reading documents (NDJSON or a JSON array) from stdin…',
    );
    const result = await ingestStream(run, context.io.stdin as AsyncIterable<string | Uint8Array>, {
      label: 'ingest stdin',
      idPrefix: undefined,
    });
    return { kind: 'stream', ...result };
  }
  const { size } = await stat(source.path);
  const file = createReadStream(source.path);
  const result = await ingestStream(run, file, {
    label: `ingest ${source.path}`,
    idPrefix: source.idPrefix,
    bytesTotal: size,
    bytesRead: () => file.bytesRead,
  }).finally(() => file.destroy());
  return { kind: 'stream', ...result };
}

function cancelledBetweenFiles(options: {
  readonly done: number;
  readonly total: number;
  /** A stream file being read when Ctrl-C came, and how many of its documents were stored whole. */
  readonly partial?: { readonly file: string; readonly documents: number };
}): DjeError {
  const { done, total, partial } = options;
  const alsoStored =
    partial === undefined || partial.documents === 0
      ? ''
      : `, as are the first ${partial.documents} documents of ${partial.file}`;
  return cancelled(
    `Cancelled after ${done} of ${total} files; those ${done} are stored completely${alsoStored}, nothing else was written. Run the same command again to continue (unchanged chunks reuse their vectors).`,
    {
      details: {
        files_done: done,
        files_total: total,
        ...(partial === undefined ? {} : { partial_file: partial.file, documents_stored: partial.documents }),
      },
    },
  );
}

/** The same error, naming the file it happened in and what was stored before it. */
function inFile(
  error: unknown,
  options: { readonly file: string; readonly done: number; readonly total: number },
): unknown {
  if (!DjeError.isInstance(error)) return error;
  // Ctrl-C inside a file: that file was not written; say what was, not "fix this one".
  if (error.kind === 'cancelled' && options.total > 1) {
    const stored = error.details?.documents_stored;
    return cancelledBetweenFiles({
      done: options.done,
      total: options.total,
      partial: { file: options.file, documents: typeof stored === 'number' ? stored : 0 },
    });
  }
  const before =
    options.total > 1 && options.done > 0
      ? ` (${options.done} earlier file(s) were stored completely; fix this one and run again, unchanged chunks reuse their vectors)`
      : '';
  return createError({
    code: error.code,
    message: error.message.includes(options.file)
      ? `${error.message}${before}`
      : `${options.file}: ${error.message}${before}`,
    details: { ...error.details, file: options.file, files_done: options.done },
    cause: error,
  });
}

function sourceLabel(source: IngestSource): string {
  return source.kind === 'stdin' ? 'stdin' : source.path;
}

function describeDocument(result: ProcessResult): string {
  return `${plural(result.chunks, 'chunk')} (${formatCount(result.embedded)} embedded, ${formatCount(result.reused)} reused, ${formatCount(result.removed)} removed), strategy ${result.strategy} (confidence ${result.confidence.toFixed(2)}), ${plural(result.tokens, 'token')}, ${formatMilliseconds(result.duration_ms)}`;
}

function describeStream(result: StreamResult): string {
  return `${plural(result.documents, 'document')}, ${plural(result.chunks, 'chunk')} (${formatCount(result.embedded)} embedded, ${formatCount(result.reused)} reused), ${plural(result.tokens, 'token')}, ${formatMilliseconds(result.duration_ms)}`;
}

function folderResult(
  context: CommandContext,
  options: IngestOptions,
  results: ReadonlyArray<{ readonly file: string; readonly result: SourceResult }>,
  durationMs: number,
): FolderResult {
  const sum = (pick: (result: SourceResult) => number) =>
    results.reduce((total, entry) => total + pick(entry.result), 0);
  return {
    namespace: context.globals.namespace,
    collection_name: options.collection,
    files: results.length,
    documents: sum((result) => (result.kind === 'document' ? 1 : result.documents)),
    chunks: sum((result) => result.chunks),
    embedded: sum((result) => result.embedded),
    reused: sum((result) => result.reused),
    removed: sum((result) => result.removed ?? 0),
    skipped: sum((result) => result.skipped ?? 0),
    tokens: sum((result) => result.tokens),
    duration_ms: durationMs,
    results: results.map(({ file, result: { kind: _kind, ...rest } }) => ({ file, ...rest })),
  };
}

export function registerIngestCommand(program: Command, run: RunContext): void {
  program
    .command('ingest')
    .description('chunk, embed and store JSON documents (re-ingesting a document replaces it)')
    .argument(
      '<source>',
      'a .json file (one document), a .ndjson/.jsonl file (one document per line), a directory (every .json/.ndjson/.jsonl in it, sorted by name, not recursive), or - for stdin',
    )
    .requiredOption('--collection <name>', 'collection to store the documents in')
    .option(
      '--document-id <id>',
      "document id (default: the file name without extension; for NDJSON each document's id/_id/document_id field, else <file>-<n>; with - it makes stdin one JSON document)",
    )
    .addOption(strategyOption())
    .addOption(configOption())
    .option(
      '--no-replace',
      "upsert chunks by id and keep the document's other chunks instead of replacing it",
    )
    .addHelpText(
      'after',
      `
Re-ingesting a document replaces its chunks in one transaction; chunks whose text did not change
keep their stored vectors (reported as "reused"), so a re-run costs no embedding calls for them.
Ctrl-C stops between documents (exit 130): every document reported as stored is complete.
${examples([
  'dje ingest examples --collection demo',
  'dje ingest campaign.json --collection campaigns --document-id summer-2025 -n production',
  'dje ingest events.ndjson --collection events --strategy flat',
  'cat report.json | dje ingest - --collection reports --document-id q3 --config analytics',
  'dje ingest products.jsonl --collection products --config ./my-config.json --json',
])}`,
    )
    .action(async (target: string, options: IngestOptions, command: Command) => {
      const context = commandContext(run, command);
      const { folder, sources } = await resolveIngestSources({ target, documentId: options.documentId });
      if (!options.replace && sources.some((source) => source.kind !== 'document')) {
        throw createError({
          code: 'NO_REPLACE_WITH_STREAM',
          message:
            '--no-replace applies to single JSON documents; NDJSON streams and stdin always replace each document they contain.',
        });
      }
      const config = await loadConfigOption(options.config);
      // The pipeline checks the namespace's model before its first provider call, and creates the
      // namespace only when the first document is written: a bad input creates nothing.
      const { pipeline } = await context.openSession({ embeddingsFor: context.globals.namespace });

      const started = performance.now();
      const ingestRun: IngestRun = { context, pipeline, options, config, showProgress: !folder };
      const [only] = sources;
      if (!folder && only !== undefined) {
        let result: SourceResult;
        try {
          result = await ingestSource(ingestRun, only);
        } catch (error) {
          throw inFile(error, { file: sourceLabel(only), done: 0, total: 1 });
        }
        const { kind: _kind, ...value } = result;
        context.output.result(value, () =>
          result.kind === 'document'
            ? `Ingested ${sourceLabel(only)} as document ${result.document_id} into ${result.namespace}/${result.collection_name}: ${describeDocument(result)}.`
            : `Ingested ${sourceLabel(only)} into ${result.namespace}/${result.collection_name}: ${describeStream(result)}.`,
        );
        return;
      }

      const progress = createProgress({
        output: context.output,
        label: 'ingest',
        unit: 'files',
        total: sources.length,
      });
      const results: Array<{ file: string; result: SourceResult }> = [];
      try {
        for (const source of sources) {
          if (context.signal.aborted)
            throw cancelledBetweenFiles({ done: results.length, total: sources.length });
          const file = sourceLabel(source);
          try {
            results.push({ file, result: await ingestSource(ingestRun, source) });
          } catch (error) {
            throw inFile(error, { file, done: results.length, total: sources.length });
          }
          context.output.debug(`stored ${file}`);
          progress.update(results.length);
        }
      } finally {
        progress.finish();
      }
      const summary = folderResult(context, options, results, performance.now() - started);
      context.output.result(summary, (value) =>
        [
          formatTable({
            rows: value.results,
            colors: context.output.colors,
            rule: context.output.interactive,
            columns: [
              { header: 'file', value: (row) => row.file },
              {
                header: 'documents',
                value: (row) => ('documents' in row ? row.documents : 1),
                align: 'right',
              },
              { header: 'chunks', value: (row) => formatCount(row.chunks), align: 'right' },
              { header: 'embedded', value: (row) => formatCount(row.embedded), align: 'right' },
              { header: 'reused', value: (row) => formatCount(row.reused), align: 'right' },
              { header: 'strategy', value: (row) => ('strategy' in row ? row.strategy : 'per document') },
              { header: 'time', value: (row) => formatMilliseconds(row.duration_ms), align: 'right' },
            ],
          }),
          '',
          `Ingested ${plural(value.files, 'file')} (${plural(value.documents, 'document')}) into ${value.namespace}/${value.collection_name}: ${plural(value.chunks, 'chunk')}, ${formatCount(value.embedded)} embedded, ${formatCount(value.reused)} reused, ${formatMilliseconds(value.duration_ms)}.`,
        ].join('\n'),
      );
    });
}
