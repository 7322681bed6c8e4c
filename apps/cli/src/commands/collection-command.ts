// dje collection list | stats | empty — logical partitions inside the current namespace.
import type { EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import type { Command } from 'commander';
import { commandContext, type RunContext } from '../command-context.js';
import { confirmDestructive } from '../confirm.js';
import { formatFields, formatTable } from '../format-table.js';
import { formatCount, formatNumber, plural } from '../format-values.js';
import { examples } from '../help-text.js';

type CollectionSummary = Awaited<ReturnType<EmbeddingPipeline['listCollections']>>[number];

function distribution(values: Readonly<Record<string, number>>): string {
  const entries = Object.entries(values).sort(([, a], [, b]) => b - a);
  return entries.length === 0
    ? '-'
    : entries.map(([key, count]) => `${key} ${formatCount(count)}`).join(', ');
}

export function registerCollectionCommand(program: Command, run: RunContext): void {
  const collection = program
    .command('collection')
    .description('list, inspect and empty the collections of a namespace (-n)')
    .addHelpText(
      'after',
      examples([
        'dje collection list -n production',
        'dje collection stats campaigns -n production',
        'dje collection empty campaigns -n production --force',
      ]),
    );

  registerCollectionList(collection, run);
  registerCollectionStats(collection, run);
  registerCollectionEmpty(collection, run);
}

/** `dje collection list`: every collection of the namespace as a table. */
function registerCollectionList(parent: Command, run: RunContext): void {
  parent
    .command('list')
    .description('every collection of the namespace with embedding and document counts')
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const collections = await pipeline.listCollections();
      context.output.result(collections, (rows) =>
        rows.length === 0
          ? `No collections in namespace ${context.globals.namespace}.`
          : formatTable<CollectionSummary>({
              rows,
              colors: context.output.colors,
              rule: context.output.interactive,
              columns: [
                { header: 'collection', value: (row) => row.collection_name },
                { header: 'embeddings', value: (row) => formatCount(row.total_embeddings), align: 'right' },
                { header: 'documents', value: (row) => formatCount(row.document_count), align: 'right' },
                { header: 'strategies', value: (row) => row.strategies.join(', ') },
                { header: 'content types', value: (row) => row.content_types.join(', ') },
              ],
            }),
      );
    });
}

/** `dje collection stats <name>`: counts, distributions and text statistics of one collection. */
function registerCollectionStats(parent: Command, run: RunContext): void {
  parent
    .command('stats')
    .description('counts, strategy and content-type distributions, and text statistics of a collection')
    .argument('<name>', 'collection name')
    .addHelpText(
      'after',
      examples(['dje collection stats campaigns', 'dje collection stats campaigns --json']),
    )
    .action(async (name: string, _options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      // Throws COLLECTION_NOT_FOUND for a collection without rows.
      const stats = await pipeline.getCollectionStats(name);
      context.output.result(stats, (value) =>
        formatFields(
          [
            ['collection', value.collection_name],
            ['namespace', value.namespace],
            ['embeddings', formatCount(value.total_embeddings)],
            ['documents', formatCount(value.document_count)],
            ['strategies', distribution(value.strategy_distribution)],
            ['content types', distribution(value.content_type_distribution)],
            ['avg semantic density', formatNumber(value.avg_semantic_density)],
            ['avg confidence', formatNumber(value.avg_confidence)],
            [
              'text length',
              `min ${formatCount(value.text_length.min)}, avg ${formatCount(Math.round(value.text_length.avg))}, max ${formatCount(value.text_length.max)} characters`,
            ],
            ['tokens', formatCount(value.total_tokens)],
          ],
          context.output.colors,
        ),
      );
    });
}

/** `dje collection empty <name>`: deletes every embedding of a collection after confirmation. */
function registerCollectionEmpty(parent: Command, run: RunContext): void {
  parent
    .command('empty')
    .description('delete every embedding of a collection (asks first; --force in scripts)')
    .argument('<name>', 'collection name')
    .option('--force', 'delete without asking')
    .addHelpText('after', examples(['dje collection empty campaigns -n production --force']))
    .action(async (name: string, options: { force?: boolean }, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const stats = await pipeline.getCollectionStats(name);
      await confirmDestructive({
        io: context.io,
        force: options.force === true,
        signal: context.signal,
        action: `Delete all ${plural(stats.total_embeddings, 'embedding')} (${plural(stats.document_count, 'document')}) of collection "${name}" in namespace "${context.globals.namespace}"`,
      });
      const deleted = await pipeline.deleteCollection(name);
      context.output.result(
        { namespace: context.globals.namespace, collection_name: name, deleted },
        () => `Deleted ${plural(deleted, 'embedding')} from collection ${name}.`,
      );
    });
}
