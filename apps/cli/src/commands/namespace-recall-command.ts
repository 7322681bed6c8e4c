// dje namespace recall | reindex — is search still right, and does the table have its indexes.
import type { RecallMeasurement } from '@dynamic-embeddings/pipeline';
import type { Command } from 'commander';
import { buildFilter } from '../build-filter.js';
import { commandContext, type RunContext } from '../command-context.js';
import { formatFields } from '../format-table.js';
import { examples } from '../help-text.js';
import { collect, decimalNumber, wholeNumber } from '../option-parsers.js';

interface RecallCommandOptions {
  readonly sample: number;
  readonly collection?: string;
  readonly filter?: string[];
  readonly where?: string;
  readonly target?: number;
  readonly calibrate?: boolean;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** `dje namespace recall [namespace]`: recall@10 of search now, and (re)calibration. */
export function registerNamespaceRecall(parent: Command, run: RunContext): void {
  parent
    .command('recall')
    .description(
      'measure recall@10 of search as it runs now against exact search (probe queries halfway between two stored vectors), unfiltered or with a filter; optionally set the recall target or calibrate',
    )
    .argument('[namespace]', 'namespace (default: --namespace, DJE_NAMESPACE or "default")')
    .option(
      '--sample <n>',
      'probe queries to use (1–1000): half between two stored vectors, half near one; the lower recall of the two halves is reported',
      wholeNumber({ minimum: 1, maximum: 1000 }),
      50,
    )
    .option('--collection <name>', 'measure searches within this collection')
    .option(
      '--filter <key=value>',
      'measure filtered searches (same syntax as dje search; repeat to AND)',
      collect,
    )
    .option('--where <json>', 'measure filtered searches with a JSON filter (same as dje search)')
    .option(
      '--target <recall>',
      'first set the recall target (above 0, at most 1) and calibrate the index to it',
      decimalNumber({ minimum: 0, maximum: 1 }),
    )
    .option('--calibrate', 'first calibrate the index settings to the current target (after large changes)')
    .addHelpText(
      'after',
      examples([
        'dje namespace recall production',
        'dje namespace recall production --filter metadata.region=EU --sample 100',
        'dje namespace recall production --target 0.98 --json',
      ]),
    )
    .action(async (name: string | undefined, options: RecallCommandOptions, command: Command) => {
      const context = commandContext(run, command);
      const namespace = name ?? context.globals.namespace;
      const filters = buildFilter({ filters: options.filter ?? [], where: options.where });
      const { pipeline } = await context.openSession();
      if (options.target !== undefined) {
        context.output.note(`setting the recall target of ${namespace} to ${options.target} and calibrating`);
        await pipeline.setRecallTarget(options.target, { namespace });
      } else if (options.calibrate === true) {
        context.output.note(`calibrating ${namespace} to its recall target`);
        await pipeline.calibrateNamespace({ namespace });
      }
      context.output.note(`measuring recall@10 of ${namespace} with ${options.sample} queries`);
      const measured = await pipeline.measureRecall({
        namespace,
        sample: options.sample,
        ...(options.collection === undefined ? {} : { collectionName: options.collection }),
        ...(filters === undefined ? {} : { filters }),
      });
      context.output.result(measured, (value: RecallMeasurement) => {
        const { colors } = context.output;
        const verdict = value.meets_target
          ? colors.green('meets the target')
          : colors.red('below the target');
        const settings = Object.entries(value.settings).map(([key, setting]) => `${key}=${setting}`);
        return formatFields(
          [
            ['namespace', value.namespace],
            ['recall@10', `${value.recall.toFixed(3)} (${verdict} ${value.recall_target})`],
            ['queries', `${value.queries}${filters === undefined ? ', unfiltered' : ', with the filter'}`],
            ['searches', `${value.strategies.index} through the index, ${value.strategies.exact} exact`],
            ['index settings', settings.length === 0 ? '(none: exact search)' : settings.join(' ')],
            [
              'calibrated',
              value.search_tuning.calibrated_at === undefined
                ? 'not yet (at the index build, or with --calibrate)'
                : `${value.search_tuning.calibrated_at} at ${value.search_tuning.calibrated_rows} rows, recall ${percent(value.search_tuning.recall ?? 0)}`,
            ],
          ],
          colors,
        );
      });
    });
}

/** `dje namespace reindex [namespace]`: builds the filter indexes an older table lacks. */
export function registerNamespaceReindex(parent: Command, run: RunContext): void {
  parent
    .command('reindex')
    .description(
      'build the filter indexes (B-tree, GIN on metadata and domain_tags) a namespace table lacks; tables made by older versions also get them on their next write',
    )
    .argument('[namespace]', 'namespace (default: --namespace, DJE_NAMESPACE or "default")')
    .addHelpText(
      'after',
      examples(['dje namespace reindex production', 'dje namespace reindex production --json']),
    )
    .action(async (name: string | undefined, _options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const result = await pipeline.reindexNamespace(name ?? context.globals.namespace);
      context.output.result(result, (value) =>
        value.created.length === 0
          ? `Namespace ${value.namespace} already has every filter index; nothing changed.`
          : `Built ${value.created.length} index(es) on namespace ${value.namespace}: ${value.created.join(', ')}.`,
      );
    });
}
