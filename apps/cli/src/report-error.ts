// Turns anything a run throws into one stderr line `error [CODE]: message` and an exit code.
import { DjeError, exitCodeOf, exitCodes, hintFor, withHint } from '@dynamic-embeddings/core';
import { CommanderError } from 'commander';
import { cliHints } from './error-hints.js';

export interface ReportedError {
  readonly exitCode: number;
  /** Empty when commander already printed what the user needs (help). */
  readonly line: string;
  readonly stack: string | undefined;
}

// Commander names its errors `commander.unknownOption`; the CLI shows them in the same
// SCREAMING_SNAKE style as every other code: UNKNOWN_OPTION.
function commanderCode(code: string): string {
  return code
    .replace(/^commander\./, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase();
}

export function reportError(error: unknown): ReportedError {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return { exitCode: exitCodes.ok, line: '', stack: undefined };
    }
    // A command group run without a subcommand: commander has printed its help on stderr.
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') {
      return { exitCode: exitCodes.usage, line: '', stack: undefined };
    }
    const message = error.message.replace(/^error: /, '');
    return {
      exitCode: exitCodes.usage,
      line: `error [${commanderCode(error.code)}]: ${message} (see --help)`,
      stack: error.stack,
    };
  }
  if (DjeError.isInstance(error)) {
    return {
      exitCode: exitCodeOf(error),
      line: `error [${error.code}]: ${oneLine(withHint(error.message, hintFor(error, cliHints)))}`,
      stack: stackOf(error),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: exitCodes.internal,
    line: `error [INTERNAL]: ${message} (this is a bug; run again with --verbose for the stack trace and report it)`,
    stack: error instanceof Error ? stackOf(error) : undefined,
  };
}

/**
 * Some library messages list several issues on their own lines; the CLI prints one line per error
 * so logs and `2> >(grep …)` stay simple. `a:\n  b\nc` becomes `a: b; c`.
 */
export function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.reduce(
    (text, line) => (text === '' ? line : `${text}${text.endsWith(':') ? ' ' : '; '}${line}`),
    '',
  );
}

function stackOf(error: Error): string | undefined {
  let text = error.stack;
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    text = `${text}\ncaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return text;
}
