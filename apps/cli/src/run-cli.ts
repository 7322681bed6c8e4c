// One CLI run: parse argv, run the command, print any error as one line, close what was opened,
// and return the exit code. Never calls process.exit, so every `finally` runs.
import { cancelled } from '@dynamic-embeddings/core';
import type { CliIo } from './cli-io.js';
import type { RunContext } from './command-context.js';
import type { CliEnv } from './env.js';
import { createProgram } from './program.js';
import { reportError } from './report-error.js';

export interface RunCliOptions {
  /** Arguments after the program name. */
  readonly argv: readonly string[];
  readonly io: CliIo;
  readonly env: CliEnv;
  /** Aborted on Ctrl-C / SIGTERM: long work stops between documents or batches. */
  readonly signal: AbortSignal;
  /** See `RunContext.tuneForShortRun`; only the bin, which owns its process, passes it. */
  readonly tuneForShortRun?: () => void;
}

export async function runCli(options: RunCliOptions): Promise<number> {
  const { io, env, signal } = options;
  const run: RunContext = { io, env, signal, sessions: [], tuneForShortRun: options.tuneForShortRun };
  const program = createProgram(run);
  let exitCode = 0;
  try {
    await program.parseAsync([...options.argv], { from: 'user' });
    // A command that finished despite Ctrl-C (it had nothing to stop) still reports the interrupt;
    // `dje serve` treats the signal as its normal way to stop.
    if (signal.aborted && !run.stopsOnSignal) {
      throw cancelled('Interrupted.');
    }
  } catch (error) {
    const report = reportError(error);
    exitCode = report.exitCode;
    if (report.line !== '') io.stderr.write(`${report.line}\n`);
    const verbose = run.globals?.verbose ?? options.argv.includes('--verbose');
    if (verbose && report.stack !== undefined) io.stderr.write(`${report.stack}\n`);
  } finally {
    // Closing releases the embedded database's lock; it must happen on every path.
    for (const session of run.sessions) {
      try {
        await session.close();
      } catch (error) {
        io.stderr.write(`warning: closing the database failed: ${(error as Error).message}\n`);
      }
    }
  }
  return exitCode;
}
