// dje namespace list | create | stats | recall | reindex | move | distribute | drop | backups | drop-backup
import { backupNotFound, namespaceNotFound } from '@dynamic-embeddings/core';
import type { EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import { type Command, Option } from 'commander';
import { type CommandContext, commandContext, type RunContext } from '../command-context.js';
import { confirmDestructive } from '../confirm.js';
import { formatFields, formatTable } from '../format-table.js';
import { formatCount, formatDate, plural } from '../format-values.js';
import { examples } from '../help-text.js';
import { decimalNumber } from '../option-parsers.js';
import { registerNamespaceDistribute, registerNamespaceMove } from './cluster-command.js';
import { registerNamespaceRecall, registerNamespaceReindex } from './namespace-recall-command.js';

type NamespaceInfo = Awaited<ReturnType<EmbeddingPipeline['listNamespaces']>>[number];
type NamespaceStats = Awaited<ReturnType<EmbeddingPipeline['getNamespaceStats']>>;
type BackupInfo = Awaited<ReturnType<EmbeddingPipeline['listBackups']>>[number];

const indexChoices = ['hnsw', 'ivfflat', 'none'] as const;
const storageChoices = ['vector', 'halfvec'] as const;

interface CreateCommandOptions {
  readonly index?: (typeof indexChoices)[number];
  readonly quantization?: 'binary';
  readonly storage?: (typeof storageChoices)[number];
  readonly recallTarget?: number;
  readonly textSearchConfig?: string;
}

function indexDescription(
  info: Pick<NamespaceInfo, 'index_type' | 'index_params' | 'index_threshold' | 'vector_index_exists'>,
): string {
  if (info.index_type === 'none') return 'none (exact search)';
  const type =
    info.index_params.quantization === 'binary' ? `${info.index_type} (binary quantized)` : info.index_type;
  if (info.vector_index_exists) return type;
  return `${type} at ${formatCount(info.index_threshold)} rows`;
}

function recallDescription(stats: Pick<NamespaceInfo, 'recall_target' | 'search_tuning'>): string {
  const { ef_search: efSearch, probes, oversample, recall } = stats.search_tuning;
  const setting =
    oversample !== undefined
      ? `oversample ${oversample}`
      : efSearch !== undefined
        ? `ef_search ${efSearch}`
        : probes !== undefined
          ? `probes ${probes}`
          : undefined;
  return setting === undefined
    ? `${stats.recall_target} (not calibrated yet)`
    : `${stats.recall_target} (calibrated: ${setting}, recall ${recall})`;
}

/** On Citus: the workers holding the namespace, and its shard count when distributed. */
function nodesDescription(info: Pick<NamespaceInfo, 'nodes' | 'shard_count'>): string {
  const nodes = (info.nodes ?? []).join(', ');
  return info.shard_count === undefined || info.shard_count <= 1
    ? nodes
    : `${nodes} (${info.shard_count} shards)`;
}

async function existingStats(context: CommandContext, pipeline: EmbeddingPipeline, namespace: string) {
  const stats = await pipeline.getNamespaceStats(namespace);
  if (!stats.exists) throw namespaceNotFound(namespace);
  context.output.debug(`namespace ${namespace}: table ${stats.table_name}`);
  return stats;
}

function formatStats(context: CommandContext, stats: Extract<NamespaceStats, { exists: true }>): string {
  return formatFields(
    [
      ['namespace', stats.namespace],
      ['table', stats.table_name],
      ['embeddings', formatCount(stats.embedding_count)],
      ['collections', formatCount(stats.collection_count)],
      ['model', `${stats.provider}/${stats.model} (${stats.dimensions} dimensions)`],
      ['storage', `${stats.storage} (${formatCount(stats.bytes_per_vector)} bytes a vector)`],
      ['vector index', indexDescription(stats)],
      ['recall target', recallDescription(stats)],
      ['table size', stats.table_size],
      ['index size', stats.index_size],
      ...(stats.nodes === undefined ? [] : [['nodes', nodesDescription(stats)] as [string, string]]),
      ['created', formatDate(stats.created_at)],
    ],
    context.output.colors,
  );
}

export function registerNamespaceCommand(program: Command, run: RunContext): void {
  const namespace = program
    .command('namespace')
    .description('list, create, inspect and drop namespaces (one table each) and their backups')
    .addHelpText(
      'after',
      examples([
        'dje namespace list',
        'dje namespace create production --index hnsw',
        'dje namespace stats production --json',
        'dje namespace recall production --filter metadata.region=EU',
        'dje namespace reindex production',
        'dje namespace move tenant_42 --to 10.0.0.3:5432',
        'dje namespace drop old_tenant --force',
        'dje namespace backups',
        'dje namespace drop-backup embeddings_backup_production_20250101 --force',
      ]),
    );

  registerNamespaceList(namespace, run);
  registerNamespaceCreate(namespace, run);
  registerNamespaceStats(namespace, run);
  registerNamespaceDrop(namespace, run);
  registerNamespaceRecall(namespace, run);
  registerNamespaceReindex(namespace, run);
  registerNamespaceMove(namespace, run);
  registerNamespaceDistribute(namespace, run);
  registerNamespaceBackups(namespace, run);
  registerNamespaceDropBackup(namespace, run);
}

/** `dje namespace list`: every namespace with its count, model and index. */
function registerNamespaceList(parent: Command, run: RunContext): void {
  parent
    .command('list')
    .description('list every namespace with its embedding count, model and index')
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const namespaces = await pipeline.listNamespaces();
      context.output.result(namespaces, (rows) =>
        rows.length === 0
          ? 'No namespaces yet. Create one with `dje namespace create <name>`, or ingest into one: `dje ingest <file> --collection <name>`.'
          : formatTable<NamespaceInfo>({
              rows,
              colors: context.output.colors,
              rule: context.output.interactive,
              columns: [
                { header: 'namespace', value: (row) => row.namespace },
                { header: 'embeddings', value: (row) => formatCount(row.embedding_count), align: 'right' },
                { header: 'dims', value: (row) => row.dimensions, align: 'right' },
                { header: 'model', value: (row) => `${row.provider}/${row.model}` },
                { header: 'index', value: (row) => indexDescription(row) },
                ...(rows.some((row) => row.nodes !== undefined)
                  ? [{ header: 'nodes', value: (row: NamespaceInfo) => nodesDescription(row) }]
                  : []),
                { header: 'created', value: (row) => formatDate(row.created_at) },
              ],
            }),
      );
    });
}

/** `dje namespace create <namespace>`: creates a namespace with the provider's model (no-op if it exists). */
function registerNamespaceCreate(parent: Command, run: RunContext): void {
  parent
    .command('create')
    .description("create a namespace with the provider's model and dimensions (does nothing if it exists)")
    .argument('<namespace>', 'name: lowercase letters, digits and _, at most 50 characters')
    .addOption(
      new Option(
        '--index <type>',
        "vector index: hnsw, ivfflat, or none for exact search only (default: the library's choice for this database, built once the namespace is large enough)",
      ).choices(indexChoices),
    )
    .addOption(
      new Option(
        '--quantization <type>',
        'binary: an HNSW index of the binary-quantized vectors (1 bit a dimension, any dimensions), searched with oversampled candidates re-ranked by exact distance (implies --index hnsw)',
      ).choices(['binary']),
    )
    .addOption(
      new Option(
        '--storage <type>',
        'vector (float32) or halfvec (float16: half the size; indexes up to 4,000 dimensions, vector up to 2,000) [default: halfvec above 2,000 dimensions, else vector]',
      ).choices(storageChoices),
    )
    .option(
      '--recall-target <recall>',
      'recall@10 the index settings are calibrated to when the index is built (above 0, at most 1; default 0.95)',
      decimalNumber({ minimum: 0, maximum: 1 }),
    )
    .option(
      '--text-search-config <name>',
      'PostgreSQL text search configuration of the keyword index: simple (default: any language, identifiers as typed) or a stemming one such as english',
    )
    .addHelpText(
      'after',
      examples([
        'dje namespace create production',
        'dje namespace create strict_tenant --recall-target 0.99',
        'dje namespace create small_tenant --index none',
        'dje namespace create compact --storage halfvec',
        'dje namespace create articles --text-search-config english',
        'dje namespace create large_fast --dimensions 3072 --quantization binary',
        'dje namespace create openai_docs --provider openai --model text-embedding-3-small',
      ]),
    )
    .action(async (name: string, options: CreateCommandOptions, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const result = await pipeline.createNamespace(name, {
        ...(options.index === undefined && options.quantization === undefined
          ? {}
          : { index: options.index ?? 'hnsw' }),
        ...(options.quantization === undefined
          ? {}
          : { indexParams: { quantization: options.quantization } }),
        ...(options.storage === undefined ? {} : { storage: options.storage }),
        ...(options.recallTarget === undefined ? {} : { recallTarget: options.recallTarget }),
        ...(options.textSearchConfig === undefined ? {} : { textSearchConfig: options.textSearchConfig }),
      });
      context.output.result(result, ({ created, namespace: record }) =>
        created
          ? `Created namespace ${record.namespace} (table ${record.table_name}, ${record.provider}/${record.model}, ${record.dimensions} dimensions, ${record.storage}, index ${record.index_type}, text search ${record.text_search_config}).`
          : `Namespace ${record.namespace} already exists (table ${record.table_name}, ${record.provider}/${record.model}, ${record.dimensions} dimensions); nothing changed.`,
      );
    });
}

/** `dje namespace stats [namespace]`: counts, model, index and table size of a namespace. */
function registerNamespaceStats(parent: Command, run: RunContext): void {
  parent
    .command('stats')
    .description('embedding and collection counts, model, index and table size of a namespace')
    .argument('[namespace]', 'namespace (default: --namespace, DJE_NAMESPACE or "default")')
    .addHelpText(
      'after',
      examples(['dje namespace stats production', 'dje namespace stats production --json']),
    )
    .action(async (name: string | undefined, _options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const stats = await existingStats(context, pipeline, name ?? context.globals.namespace);
      context.output.result(stats, (value) => formatStats(context, value));
    });
}

/** `dje namespace drop <namespace>`: drops a namespace and its embeddings after confirmation. */
function registerNamespaceDrop(parent: Command, run: RunContext): void {
  parent
    .command('drop')
    .description('drop a namespace and every embedding in it (asks first; --force in scripts)')
    .argument('<namespace>', 'namespace to drop')
    .option('--force', 'drop without asking')
    .addHelpText(
      'after',
      examples(['dje namespace drop old_tenant', 'dje namespace drop old_tenant --force']),
    )
    .action(async (name: string, options: { force?: boolean }, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const stats = await existingStats(context, pipeline, name);
      await confirmDestructive({
        io: context.io,
        force: options.force === true,
        signal: context.signal,
        action: `Drop namespace "${name}" with ${plural(stats.embedding_count, 'embedding')} in ${plural(stats.collection_count, 'collection')}`,
      });
      const dropped = await pipeline.dropNamespace(name, { confirm: true });
      const result = { namespace: name, dropped, embedding_count: stats.embedding_count };
      context.output.result(
        result,
        () => `Dropped namespace ${name} (${plural(stats.embedding_count, 'embedding')} deleted).`,
      );
    });
}

/** `dje namespace backups`: lists the backup tables migrations kept. */
function registerNamespaceBackups(parent: Command, run: RunContext): void {
  parent
    .command('backups')
    .description('list backup tables kept by `migrate move` and `migrate legacy`')
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const backups = await pipeline.listBackups();
      context.output.result(backups, (rows) =>
        rows.length === 0
          ? 'No backup tables.'
          : formatTable<BackupInfo>({
              rows,
              colors: context.output.colors,
              rule: context.output.interactive,
              columns: [
                { header: 'table', value: (row) => row.table_name },
                { header: 'namespace', value: (row) => row.namespace },
                { header: 'reason', value: (row) => row.reason },
                { header: 'rows', value: (row) => formatCount(row.row_count), align: 'right' },
                { header: 'model', value: (row) => `${row.provider}/${row.model}` },
                { header: 'exists', value: (row) => (row.exists ? 'yes' : 'no (table missing)') },
                { header: 'created', value: (row) => formatDate(row.created_at) },
              ],
            }),
      );
    });
}

/** `dje namespace drop-backup <table>`: deletes a backup table after confirmation. */
function registerNamespaceDropBackup(parent: Command, run: RunContext): void {
  parent
    .command('drop-backup')
    .description('delete a backup table for good (asks first; --force in scripts)')
    .argument('<table>', 'backup table name, as `dje namespace backups` shows it')
    .option('--force', 'drop without asking')
    .addHelpText('after', examples(['dje namespace drop-backup embeddings_backup_production_1a2b3c --force']))
    .action(async (table: string, options: { force?: boolean }, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const backup = (await pipeline.listBackups()).find((entry) => entry.table_name === table);
      if (backup === undefined) throw backupNotFound(table);
      await confirmDestructive({
        io: context.io,
        force: options.force === true,
        signal: context.signal,
        action: `Drop backup table ${table} (${plural(backup.row_count, 'row')} of namespace ${backup.namespace})`,
      });
      const dropped = await pipeline.dropBackup(table, { confirm: true });
      context.output.result(
        { table_name: table, dropped, row_count: backup.row_count },
        () => `Dropped backup ${table} (${plural(backup.row_count, 'row')}).`,
      );
    });
}
