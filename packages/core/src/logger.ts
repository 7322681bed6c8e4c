// Structured logging (pino). Kept on its own export path so pure packages never load it.
import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

export interface CreateLoggerOptions {
  /** Minimum level; defaults to `info`, or `silent` under Vitest. */
  readonly level?: LoggerOptions['level'];
  /** Component name added to every line, e.g. `migration`. */
  readonly name?: string;
  /** Where to write; defaults to stderr so stdout stays clean for `--json`. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.VITEST ? 'silent' : 'info');
  const config: LoggerOptions = { level, redact: ['apiKey', '*.apiKey', 'authorization', '*.authorization'] };
  if (options.name !== undefined) config.name = options.name;
  return pino(config, options.destination ?? pino.destination(2));
}
