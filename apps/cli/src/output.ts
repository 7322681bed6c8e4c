// Everything the CLI prints goes through here: results on stdout (JSON with --json, human text
// otherwise), notes and progress on stderr, so `dje … --json | jq` never sees anything but JSON.
import { createColors } from 'picocolors';
import type { CliIo } from './cli-io.js';

export type Colors = ReturnType<typeof createColors>;

export interface OutputOptions {
  readonly io: CliIo;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Colours on stdout; decided once from the TTY and NO_COLOR / FORCE_COLOR. */
  readonly color: boolean;
}

export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Whether stdout is a terminal: tables get rules and colours only then. */
  readonly interactive: boolean;
  /** Whether stderr is a terminal: progress bars only then. */
  readonly stderrInteractive: boolean;
  readonly colors: Colors;
  readonly io: CliIo;
  /** Prints a command's result: `value` as JSON with --json, else what `human` writes. */
  result<T>(value: T, human: (value: T) => string): void;
  /** A line on stdout (human output only). */
  line(text?: string): void;
  /** A note on stderr, hidden by --quiet. */
  note(text: string): void;
  /** A detail on stderr, shown only with --verbose. */
  debug(text: string): void;
}

export function createOutput(options: OutputOptions): Output {
  const { io } = options;
  const colors = createColors(options.color);
  const stderrColors = createColors(options.color && io.stderr.isTTY === true);
  return {
    json: options.json,
    quiet: options.quiet,
    verbose: options.verbose,
    interactive: io.stdout.isTTY === true,
    stderrInteractive: io.stderr.isTTY === true,
    colors,
    io,
    result(value, human) {
      if (options.json) {
        io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
        return;
      }
      const text = human(value);
      if (text !== '') io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    line(text = '') {
      io.stdout.write(`${text}\n`);
    },
    note(text) {
      if (!options.quiet) io.stderr.write(`${text}\n`);
    },
    debug(text) {
      if (options.verbose) io.stderr.write(`${stderrColors.dim(text)}\n`);
    },
  };
}

/** Colours decided the usual way: NO_COLOR wins, FORCE_COLOR forces, else only on a terminal. */
export function shouldUseColor(options: {
  readonly isTTY: boolean;
  readonly noColor: string | undefined;
  readonly forceColor: string | undefined;
}): boolean {
  if (options.noColor !== undefined) return false;
  if (options.forceColor !== undefined) return options.forceColor !== '0' && options.forceColor !== 'false';
  return options.isTTY;
}
