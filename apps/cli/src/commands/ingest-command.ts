// dje ingest <file|dir|-> --collection <c>: chunk → embed → store, with progress and clean Ctrl-C.
// Every source goes through the pipeline's one ingest path: a folder's files share batches.
import { createError } from '@dynamic-embeddings/core';
import type { StrategyName } from '@dynamic-embeddings/pipeline';
import type { Command } from 'commander';
import { configOption, loadConfigOption, strategyOption } from '../chunking-options.js';
import { type CommandContext, commandContext, type RunContext } from '../command-context.js';
import { examples } from '../help-text.js';
import { ingestInputs, ingestProgress, sourceLabel } from '../ingest-inputs.js';
import { describeFolder, describeSource, inFile } from '../ingest-report.js';
import { resolveIngestSources } from '../ingest-sources.js';
import { wholeNumber } from '../option-parsers.js';

interface IngestOptions {
  readonly collection: string;
  readonly documentId?: string;
  readonly strategy: StrategyName;
  readonly config?: string;
  readonly replace: boolean;
  readonly batchDocuments?: number;
}

async function runIngest(context: CommandContext, target: string, options: IngestOptions): Promise<void> {
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
  const reading = ingestInputs(context, sources);
  const progress = await ingestProgress(context, { folder, sources, bytesRead: reading.bytesRead });
  const [only] = sources;
  const single = !folder && only !== undefined ? sourceLabel(only) : undefined;
  let result: Awaited<ReturnType<typeof pipeline.ingest>>;
  try {
    result = await pipeline.ingest(reading.inputs, {
      collectionName: options.collection,
      strategy: options.strategy,
      config,
      replace: options.replace,
      ...(options.batchDocuments === undefined ? {} : { batchDocuments: options.batchDocuments }),
      signal: context.signal,
      onProgress: progress.onProgress,
    });
  } catch (error) {
    progress.finish();
    throw inFile(error, { ...(single === undefined ? {} : { only: single }), total: sources.length });
  } finally {
    reading.close();
  }
  progress.finish(result.documents);
  const oneDocument = only?.kind === 'document' || (only?.kind === 'stdin' && only.documentId !== undefined);
  context.output.result(result, () =>
    single === undefined
      ? describeFolder(context, result, sources.map(sourceLabel))
      : describeSource(result, single, oneDocument),
  );
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
    .option(
      '--batch-documents <n>',
      "documents per batch at most (default 1000; a batch also stops at one embedding request's worth of texts): embedded together, new ones stored in one transaction",
      wholeNumber({ minimum: 1, maximum: 100_000 }),
    )
    .addHelpText(
      'after',
      `
Re-ingesting a document replaces its chunks in one transaction; chunks whose text did not change
keep their stored vectors (reported as "reused"), so a re-run costs no embedding calls for them.
Ctrl-C stops between batches (exit 130): every document reported as stored is complete.
${examples([
  'dje ingest examples --collection demo',
  'dje ingest campaign.json --collection campaigns --document-id summer-2025 -n production',
  'dje ingest events.ndjson --collection events --strategy flat',
  'cat report.json | dje ingest - --collection reports --document-id q3 --config analytics',
  'dje ingest products.jsonl --collection products --config ./my-config.json --json',
])}`,
    )
    .action(async (target: string, options: IngestOptions, command: Command) => {
      await runIngest(commandContext(run, command), target, options);
    });
}
