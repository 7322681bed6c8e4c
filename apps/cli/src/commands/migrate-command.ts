// dje migrate check | plan | legacy | copy | move | reembed — moving data between namespace tables safely.
import { createError, isErrorCode } from '@dynamic-embeddings/core';
import type { MigrationPlan, MigrationProgress, MigrationResult } from '@dynamic-embeddings/migration';
import { type Command, Option } from 'commander';
import { type CommandContext, commandContext, type RunContext } from '../command-context.js';
import { confirmDestructive } from '../confirm.js';
import { formatFields } from '../format-table.js';
import { formatBytes, plural } from '../format-values.js';
import { examples } from '../help-text.js';
import { announceIndexStart, indexMemoryNote, indexPhaseFigures } from '../index-build-figures.js';
import { createProgress, type Progress } from '../progress.js';
import { registerMigrateReembed } from './migrate-reembed-command.js';

interface PairOptions {
  readonly source: string;
  readonly target: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  /** False with --no-checksum. */
  readonly checksum?: boolean;
}

function noChecksumOption(): Option {
  return new Option(
    '--no-checksum',
    'skip the md5 checksum of the result; every row is still compared with its source (faster for large namespaces)',
  );
}

function formatPlan(context: CommandContext, plan: MigrationPlan): string {
  const { colors } = context.output;
  const fields = formatFields(
    [
      ['mode', plan.mode],
      ['source', `${plan.source} (table ${plan.source_table}, ${plural(plan.source_rows, 'row')})`],
      ['target', `${plan.target} (table ${plan.target_table}, ${plural(plan.target_rows, 'row')})`],
      ['backup', plan.backup_table ?? '-'],
      ['model', plan.model === null ? '-' : `${plan.provider}/${plan.model} (${plan.dimensions} dimensions)`],
      ['index', plan.index_type ?? '-'],
      ['estimated size', formatBytes(plan.estimated_bytes)],
    ],
    colors,
  );
  const checks = plan.checks.map(
    (check) => `  ${check.ok ? colors.green('ok  ') : colors.red('FAIL')} ${check.name}: ${check.message}`,
  );
  const steps = plan.steps.map((step, index) => `  ${index + 1}. ${step}`);
  return [
    `${colors.bold('Dry run')}: nothing was changed.`,
    fields,
    '',
    'Checks:',
    ...checks,
    '',
    'Steps that would run:',
    ...steps,
    '',
    plan.valid
      ? colors.green('The migration can run.')
      : colors.red('The migration would be refused (see the failed checks).'),
  ].join('\n');
}

/** Prints a dry run; a plan that would be refused also fails the command, so scripts notice. */
function printPlan(context: CommandContext, plan: MigrationPlan): void {
  context.output.result(plan, (value) => formatPlan(context, value));
  if (!plan.valid) {
    const failed = plan.checks.filter((check) => !check.ok);
    throw createError({
      code: 'MIGRATION_PLAN_INVALID',
      message: `The migration from ${plan.source} to ${plan.target} would be refused: ${failed.map((check) => check.message).join(' ')}`,
      details: { checks: failed },
    });
  }
}

function migrationProgress(
  context: CommandContext,
  label: string,
): {
  readonly onProgress: (progress: MigrationProgress) => void;
  readonly progress: Progress;
} {
  const progress = createProgress({ output: context.output, label, unit: 'rows' });
  return {
    progress,
    onProgress(event) {
      context.output.debug(`${label}: ${event.phase}`);
      if (event.index_memory !== undefined) context.output.note(indexMemoryNote(event.index_memory));
      announceIndexStart(context.output, event.index_start);
      if (event.rows_done === undefined) return;
      progress.update(event.rows_done, event.rows_total, indexPhaseFigures(event));
    },
  };
}

/** Prints the result; a rolled-back migration also fails the command with the library's code. */
function printResult(context: CommandContext, result: MigrationResult): void {
  context.output.result(result, (value) => {
    if (!value.success) return '';
    const lines = [
      `${value.mode === 'move' ? 'Moved' : 'Copied'} ${plural(value.rows_migrated, 'row')} from ${value.source} to ${value.target} in ${value.duration_seconds.toFixed(1)} s (every row verified against its source${value.checksum === '' ? '' : `; checksum ${value.checksum}`}).`,
      `Source: ${value.source_action}.${value.backup_table === undefined ? '' : ` Remove the backup when you no longer need it: dje namespace drop-backup ${value.backup_table}`}`,
    ];
    for (const warning of value.warnings ?? [])
      lines.push(context.output.colors.yellow(`warning: ${warning}`));
    return lines.join('\n');
  });
  if (!result.success) {
    // The failed result keeps the code of the error that rolled it back; its kind gives the exit code.
    const code = result.error?.code;
    throw createError({
      code: isErrorCode(code) ? code : 'MIGRATION_FAILED',
      message: `${result.error?.message ?? 'The migration failed.'} Everything was rolled back: the source is unchanged and no target was created.`,
      details: { source: result.source, target: result.target },
    });
  }
}

function pairCommand(
  parent: Command,
  options: { readonly name: string; readonly description: string },
): Command {
  return parent
    .command(options.name)
    .description(options.description)
    .requiredOption('--source <namespace>', 'namespace to migrate from (or `embeddings`, the legacy table)')
    .requiredOption('--target <namespace>', 'namespace to migrate to; it must not exist yet');
}

export function registerMigrateCommand(program: Command, run: RunContext): void {
  const migrate = program
    .command('migrate')
    .description('copy or move a namespace into a new one, or migrate the legacy `embeddings` table')
    .addHelpText(
      'after',
      `
Every migration runs in one transaction: copy, verify (row counts, and every row compared with its
source; plus an md5 checksum for the result unless --no-checksum), register the target,
and (move) rename the source to a backup table. Any mismatch rolls everything back. Backups stay
until \`dje namespace drop-backup\` removes them.
${examples([
  'dje migrate check',
  'dje migrate plan --source production --target staging',
  'dje migrate copy --source production --target staging',
  'dje migrate move --source old_name --target new_name --dry-run',
  'dje migrate move --source old_name --target new_name --force',
  'dje migrate legacy --force',
  'dje migrate reembed --source docs --target docs_large --provider openai --model text-embedding-3-large',
])}`,
    );

  registerMigrateCheck(migrate, run);
  registerMigratePlan(migrate, run);
  registerMigrateLegacy(migrate, run);
  registerMigrateCopy(migrate, run);
  registerMigrateMove(migrate, run);
  registerMigrateReembed(migrate, run);
}

/** `dje migrate check`: whether the legacy `embeddings` table needs migrating into the namespace. */
function registerMigrateCheck(parent: Command, run: RunContext): void {
  parent
    .command('check')
    .description('whether a legacy `embeddings` table exists and needs migrating into the namespace (-n)')
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { migration } = await context.openSession();
      const check = await migration.checkLegacyMigrationNeeded({ target: context.globals.namespace });
      context.output.result(check, (value) => {
        if (!value.legacy_table_exists) return 'No legacy `embeddings` table: nothing to migrate.';
        if (!value.migration_needed) {
          return `The legacy table has ${plural(value.legacy_rows, 'row')}, but namespace ${context.globals.namespace} already exists: no migration needed.`;
        }
        return `The legacy table has ${plural(value.legacy_rows, 'row')} to migrate into namespace ${context.globals.namespace}. Preview: dje migrate plan --source embeddings --target ${context.globals.namespace}; run: dje migrate legacy`;
      });
    });
}

/** `dje migrate plan`: dry run of a copy between two namespaces. */
function registerMigratePlan(parent: Command, run: RunContext): void {
  pairCommand(parent, {
    name: 'plan',
    description: 'dry run of a copy: tables, rows, checks and steps; changes nothing',
  })
    .addHelpText('after', examples(['dje migrate plan --source production --target staging --json']))
    .action(async (options: PairOptions, command: Command) => {
      const context = commandContext(run, command);
      const { migration } = await context.openSession();
      printPlan(
        context,
        await migration.planMigration({ source: options.source, target: options.target, mode: 'copy' }),
      );
    });
}

/** `dje migrate legacy`: migrates the legacy `embeddings` table into the namespace, keeping a backup. */
function registerMigrateLegacy(parent: Command, run: RunContext): void {
  parent
    .command('legacy')
    .description(
      'migrate the legacy `embeddings` table into the namespace (-n, default "default"); the old table is kept as a backup',
    )
    .option('--force', 'migrate without asking')
    .addOption(noChecksumOption())
    .addHelpText('after', examples(['dje migrate legacy', 'dje migrate legacy -n production --force']))
    .action(async (options: { force?: boolean; checksum: boolean }, command: Command) => {
      const context = commandContext(run, command);
      const { migration } = await context.openSession();
      const target = context.globals.namespace;
      const check = await migration.checkLegacyMigrationNeeded({ target });
      if (!check.migration_needed) {
        context.output.result(check, (value) =>
          value.legacy_table_exists
            ? `Namespace ${target} already exists; the legacy table was left alone. Copy it explicitly with: dje migrate copy --source embeddings --target <new namespace>`
            : 'No legacy `embeddings` table: nothing to migrate.',
        );
        return;
      }
      await confirmDestructive({
        io: context.io,
        force: options.force === true,
        signal: context.signal,
        action: `Migrate the legacy table (${plural(check.legacy_rows, 'row')}) into namespace "${target}" and rename it to a backup table`,
      });
      const { onProgress, progress } = migrationProgress(context, 'migrate legacy');
      const result = await migration
        .migrateLegacyTable({ target, onProgress, signal: context.signal, checksum: options.checksum })
        .finally(() => progress.finish());
      printResult(context, result);
    });
}

/** `dje migrate copy`: copies a namespace into a new one; the source is kept. */
function registerMigrateCopy(parent: Command, run: RunContext): void {
  pairCommand(parent, { name: 'copy', description: 'copy a namespace into a new one; the source is kept' })
    .option('--dry-run', 'show the plan and change nothing')
    .addOption(noChecksumOption())
    .addHelpText(
      'after',
      examples([
        'dje migrate copy --source production --target staging',
        'dje migrate copy --source production --target staging --dry-run',
      ]),
    )
    .action(async (options: PairOptions, command: Command) => {
      const context = commandContext(run, command);
      const { migration } = await context.openSession();
      const { source, target } = options;
      if (options.dryRun === true) {
        printPlan(context, await migration.planMigration({ source, target, mode: 'copy' }));
        return;
      }
      const { onProgress, progress } = migrationProgress(context, `copy ${source} → ${target}`);
      const result = await migration
        .copyNamespace({ source, target, onProgress, signal: context.signal, checksum: options.checksum })
        .finally(() => progress.finish());
      printResult(context, result);
    });
}

/** `dje migrate move`: moves a namespace to a new name; the source becomes a backup table. */
function registerMigrateMove(parent: Command, run: RunContext): void {
  pairCommand(parent, {
    name: 'move',
    description: 'move a namespace to a new name; the source is renamed to a backup table (asks first)',
  })
    .option('--dry-run', 'show the plan and change nothing')
    .option('--force', 'move without asking')
    .addOption(noChecksumOption())
    .addHelpText(
      'after',
      examples([
        'dje migrate move --source old_name --target new_name --dry-run',
        'dje migrate move --source old_name --target new_name --force',
      ]),
    )
    .action(async (options: PairOptions, command: Command) => {
      const context = commandContext(run, command);
      const { migration } = await context.openSession();
      const { source, target } = options;
      const plan = await migration.planMigration({ source, target, mode: 'move' });
      if (options.dryRun === true) {
        printPlan(context, plan);
        return;
      }
      // Confirm only what can run: a move the checks refuse fails with their reason, unasked.
      if (plan.valid) {
        await confirmDestructive({
          io: context.io,
          force: options.force === true,
          signal: context.signal,
          action: `Move namespace "${source}" (${plural(plan.source_rows, 'row')}) to "${target}"; "${source}" will no longer exist (its table is kept as backup ${plan.backup_table ?? ''})`,
        });
      }
      const { onProgress, progress } = migrationProgress(context, `move ${source} → ${target}`);
      const result = await migration
        .moveNamespace({ source, target, onProgress, signal: context.signal, checksum: options.checksum })
        .finally(() => progress.finish());
      printResult(context, result);
    });
}
