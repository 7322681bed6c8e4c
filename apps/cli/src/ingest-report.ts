// How `dje ingest` reports: the result as text (one document, one stream, a folder's table of
// files) and the errors, phrased for the command line from the facts the pipeline carries.
import { cancelled, createError, DjeError } from '@dynamic-embeddings/core';
import type { DocumentResult, IngestResult } from '@dynamic-embeddings/pipeline';
import type { CommandContext } from './command-context.js';
import { formatTable } from './format-table.js';
import { formatCount, formatMilliseconds, plural } from './format-values.js';

function cancelledBetweenFiles(options: {
  readonly done: number;
  readonly total: number;
  /** A stream file being read when Ctrl-C came, and how many of its documents were stored whole. */
  readonly partial?: { readonly file: string; readonly documents: number } | undefined;
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

/**
 * The pipeline's error, naming the file it happened in and what was stored before it. `only` is
 * the source of a single-source ingest; a folder's failing file comes from the error's details.
 */
export function inFile(error: unknown, options: { readonly only?: string; readonly total: number }): unknown {
  if (!DjeError.isInstance(error)) return error;
  const details = error.details ?? {};
  const done = typeof details.sources_done === 'number' ? details.sources_done : 0;
  const file = typeof details.source === 'string' ? details.source : options.only;
  const stored = typeof details.source_documents_stored === 'number' ? details.source_documents_stored : 0;
  // Ctrl-C inside a folder: say what was stored, not "fix this one".
  if (error.kind === 'cancelled' && options.total > 1) {
    return cancelledBetweenFiles({
      done,
      total: options.total,
      partial: file === undefined ? undefined : { file, documents: stored },
    });
  }
  if (file === undefined) return error;
  const before =
    options.total > 1 && done > 0
      ? ` (${done} earlier file(s) were stored completely; fix this one and run again, unchanged chunks reuse their vectors)`
      : '';
  return createError({
    code: error.code,
    message: error.message.includes(file)
      ? `${error.message}${before}`
      : `${file}: ${error.message}${before}`,
    details: { ...details, file, files_done: done },
    cause: error,
  });
}

/** What a re-run did not redo: documents already stored as they are, whose vectors were all reused. */
function alreadyStored(result: IngestResult): string {
  if (result.unchanged === 0) return '';
  const all = result.unchanged === result.documents;
  const documents =
    all && result.documents === 1
      ? 'it was'
      : `${all ? 'all ' : ''}${plural(result.unchanged, 'document')} were`;
  return ` Skipped: ${documents} already stored unchanged, nothing embedded for ${result.unchanged === 1 ? 'it' : 'them'}.`;
}

function describeDocument(result: IngestResult, document: DocumentResult): string {
  return `${plural(document.chunks, 'chunk')} (${formatCount(document.embedded)} embedded, ${formatCount(document.reused)} reused, ${formatCount(document.removed)} removed), strategy ${document.strategy} (confidence ${document.confidence.toFixed(2)}), ${plural(document.tokens, 'token')}, ${formatMilliseconds(result.duration_ms)}`;
}

function describeStream(result: IngestResult): string {
  return `${plural(result.documents, 'document')}, ${plural(result.chunks, 'chunk')} (${formatCount(result.embedded)} embedded, ${formatCount(result.reused)} reused), ${plural(result.tokens, 'token')}, ${formatMilliseconds(result.duration_ms)}`;
}

/** One source's line: a single document, or a stream's totals. */
export function describeSource(result: IngestResult, label: string, oneDocument: boolean): string {
  const [document] = result.results;
  return oneDocument && document !== undefined
    ? `Ingested ${label} as document ${document.document_id} into ${result.namespace}/${result.collection_name}: ${describeDocument(result, document)}.${alreadyStored(result)}`
    : `Ingested ${label} into ${result.namespace}/${result.collection_name}: ${describeStream(result)}.${alreadyStored(result)}`;
}

interface FileRow {
  readonly file: string;
  documents: number;
  chunks: number;
  embedded: number;
  reused: number;
  strategies: Set<string>;
}

/** A folder's result: a table of its files (from the per-document rows) and the totals. */
export function describeFolder(
  context: CommandContext,
  result: IngestResult,
  files: readonly string[],
): string {
  const rows = new Map<string, FileRow>(
    files.map((file) => [
      file,
      { file, documents: 0, chunks: 0, embedded: 0, reused: 0, strategies: new Set() },
    ]),
  );
  for (const document of result.results) {
    const row = document.source === undefined ? undefined : rows.get(document.source);
    if (row === undefined) continue;
    row.documents++;
    row.chunks += document.chunks;
    row.embedded += document.embedded;
    row.reused += document.reused;
    row.strategies.add(document.strategy);
  }
  const table = formatTable({
    rows: [...rows.values()],
    colors: context.output.colors,
    rule: context.output.interactive,
    columns: [
      { header: 'file', value: (row) => row.file },
      { header: 'documents', value: (row) => formatCount(row.documents), align: 'right' },
      { header: 'chunks', value: (row) => formatCount(row.chunks), align: 'right' },
      { header: 'embedded', value: (row) => formatCount(row.embedded), align: 'right' },
      { header: 'reused', value: (row) => formatCount(row.reused), align: 'right' },
      {
        header: 'strategy',
        value: (row) => (row.strategies.size === 1 ? [...row.strategies][0]! : 'per document'),
      },
    ],
  });
  return [
    table,
    '',
    `Ingested ${plural(result.sources, 'file')} (${plural(result.documents, 'document')}) into ${result.namespace}/${result.collection_name}: ${plural(result.chunks, 'chunk')}, ${formatCount(result.embedded)} embedded, ${formatCount(result.reused)} reused, ${formatMilliseconds(result.duration_ms)}.${alreadyStored(result)}`,
    // The pipeline lists the first documents only (resultLimit): the table covers their files.
    ...(result.results_omitted > 0
      ? [`The table counts the first ${formatCount(result.results.length)} documents; the totals count all.`]
      : []),
  ].join('\n');
}
