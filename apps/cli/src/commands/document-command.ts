// dje document get | delete <document-id>
import { documentNotFound } from '@dynamic-embeddings/core';
import type { EmbeddingRecord } from '@dynamic-embeddings/pipeline';
import type { Command } from 'commander';
import { commandContext, type RunContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatCount, plural } from '../format-values.js';
import { examples } from '../help-text.js';

interface DocumentCommandOptions {
  readonly collection?: string;
}

export function registerDocumentCommand(program: Command, run: RunContext): void {
  const document = program
    .command('document')
    .description("show or delete one document's chunks")
    .addHelpText(
      'after',
      examples([
        'dje document get campaigns --collection demo',
        'dje document get campaigns --json',
        'dje document delete campaigns --collection demo',
      ]),
    );

  document
    .command('get')
    .description("a document's stored chunks (without vectors)")
    .argument('<document-id>', 'document id (for a file: its name without extension)')
    .option('--collection <name>', 'only in this collection')
    .action(async (documentId: string, options: DocumentCommandOptions, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const rows = await pipeline.getDocument(documentId, { collectionName: options.collection });
      if (rows.length === 0)
        throw documentNotFound({
          namespace: context.globals.namespace,
          documentId,
          collectionName: options.collection,
        });
      context.output.result(rows, (records) =>
        [
          `Document ${documentId} in namespace ${context.globals.namespace}: ${plural(records.length, 'chunk')}`,
          '',
          formatTable<EmbeddingRecord>({
            rows: records,
            colors: context.output.colors,
            rule: context.output.interactive,
            columns: [
              { header: 'chunk', value: (row) => row.chunk_id },
              { header: 'collection', value: (row) => row.collection_name },
              { header: 'path', value: (row) => row.path },
              { header: 'type', value: (row) => row.content_type },
              { header: 'strategy', value: (row) => row.strategy },
              {
                header: 'tokens',
                value: (row) => (row.token_count === null ? null : formatCount(row.token_count)),
                align: 'right',
              },
            ],
          }),
        ].join('\n'),
      );
    });

  document
    .command('delete')
    .description("delete a document's chunks")
    .argument('<document-id>', 'document id')
    .option('--collection <name>', 'only in this collection')
    .action(async (documentId: string, options: DocumentCommandOptions, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const deleted = await pipeline.deleteDocument(documentId, { collectionName: options.collection });
      if (deleted === 0)
        throw documentNotFound({
          namespace: context.globals.namespace,
          documentId,
          collectionName: options.collection,
        });
      context.output.result(
        {
          namespace: context.globals.namespace,
          document_id: documentId,
          collection_name: options.collection ?? null,
          deleted,
        },
        () => `Deleted document ${documentId} (${plural(deleted, 'chunk')}).`,
      );
    });
}
