// dje migrate reembed — a namespace's rows embedded again with another model, into a new namespace.
import type { ReembedResult } from '@dynamic-embeddings/pipeline';
import type { Command } from 'commander';
import { commandContext, type RunContext } from '../command-context.js';
import { formatFields } from '../format-table.js';
import { formatCount, plural } from '../format-values.js';
import { examples } from '../help-text.js';
import { wholeNumber } from '../option-parsers.js';
import type { Colors } from '../output.js';
import { createProgress } from '../progress.js';

interface ReembedCommandOptions {
  readonly source: string;
  readonly target: string;
  readonly dryRun?: boolean;
  readonly pageRows?: number;
}

function formatResult(result: ReembedResult, colors: Colors): string {
  const model = `${result.provider}/${result.model} (${result.dimensions} dimensions)`;
  if (result.dry_run) {
    return formatFields(
      [
        ['dry run', 'nothing was changed'],
        ['source', `${result.source} (${plural(result.source_rows, 'row')})`],
        ['target', `${result.target} with ${model}`],
        ['already in the target', plural(result.skipped_rows, 'row')],
        ['to embed', plural(result.source_rows - result.skipped_rows, 'row')],
        ['estimated tokens', formatCount(result.estimated_tokens)],
        ['embedding requests', formatCount(result.requests)],
      ],
      colors,
    );
  }
  return `Re-embedded ${plural(result.embedded_rows, 'row')} of ${result.source} into ${result.target} with ${model} in ${formatCount(result.requests)} request(s)${result.skipped_rows > 0 ? `; ${plural(result.skipped_rows, 'row')} were already there` : ''}. ${result.target} has ${plural(result.target_rows, 'row')}; ${result.source} is unchanged.`;
}

/** `dje migrate reembed`: copies a namespace's rows into another, embedded with this command's model. */
export function registerMigrateReembed(parent: Command, run: RunContext): void {
  parent
    .command('reembed')
    .description(
      "copy every row's text and metadata into another namespace, embedded with --provider/--model/--dimensions; the source is kept; an interrupted run resumes where it stopped",
    )
    .requiredOption('--source <namespace>', 'namespace to read (left unchanged)')
    .requiredOption('--target <namespace>', 'namespace to fill; created for the model when missing')
    .option('--dry-run', 'count rows, tokens and embedding requests; change nothing')
    .option(
      '--page-rows <n>',
      'rows embedded and written per transaction (default 1000)',
      wholeNumber({ minimum: 1 }),
    )
    .addHelpText(
      'after',
      examples([
        'dje migrate reembed --source docs --target docs_large --provider openai --model text-embedding-3-large --dry-run',
        'dje migrate reembed --source docs --target docs_large --provider openai --model text-embedding-3-large',
      ]),
    )
    .action(async (options: ReembedCommandOptions, command: Command) => {
      const context = commandContext(run, command);
      // Resuming: the target's own model, unless the command names one.
      const { pipeline } = await context.openSession({ embeddingsFor: options.target });
      const progress = createProgress({
        output: context.output,
        label: `reembed ${options.source} → ${options.target}`,
        unit: 'rows',
      });
      const result = await pipeline
        .reembedNamespace({
          source: options.source,
          target: options.target,
          ...(options.dryRun === true ? { dryRun: true } : {}),
          ...(options.pageRows === undefined ? {} : { pageRows: options.pageRows }),
          signal: context.signal,
          onProgress: (event) => progress.update(event.rows_done),
        })
        .finally(() => progress.finish());
      context.output.result(result, (value) => formatResult(value, context.output.colors));
    });
}
