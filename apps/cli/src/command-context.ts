// What every command action receives: its validated global options, the output, the run's abort
// signal, and a way to open the database that the run closes again however the command ends.
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import type { CliEnv } from './env.js';
import { type GlobalOptions, resolveGlobalOptions } from './global-options.js';
import { createOutput, type Output, shouldUseColor } from './output.js';
import type { PipelineSession } from './pipeline-session.js';

/** Shared by every command of one CLI run. */
export interface RunContext {
  readonly io: CliIo;
  readonly env: CliEnv;
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM. */
  readonly signal: AbortSignal;
  /** Sessions opened during the run; closed by the runner in any case. */
  readonly sessions: PipelineSession[];
  /** Set once the action has parsed the global options, so errors are printed the same way. */
  globals?: GlobalOptions;
  /** Set by commands (serve) for which SIGINT/SIGTERM is the normal way to stop, not a cancel. */
  stopsOnSignal?: boolean;
  /**
   * Called by a command that does one burst of work and exits (`dje chunk`): the process may
   * trade long-run speed for a faster first run. Absent when the CLI runs inside someone's process.
   */
  readonly tuneForShortRun?: (() => void) | undefined;
}

export interface CommandContext {
  readonly globals: GlobalOptions;
  readonly output: Output;
  readonly io: CliIo;
  readonly env: CliEnv;
  readonly signal: AbortSignal;
  /**
   * Connects to the database (and takes the embedded database's lock) for this command. With
   * `embeddingsFor`, a provider, model or dimensions left out on the command line come from that
   * namespace when it exists (ingest and search into a namespace created with other settings).
   */
  openSession(options?: { readonly embeddingsFor?: string }): Promise<PipelineSession>;
}

export function commandContext(run: RunContext, command: Command): CommandContext {
  const globals = resolveGlobalOptions(command.optsWithGlobals(), run.env);
  run.globals = globals;
  const output = createOutput({
    io: run.io,
    json: globals.json,
    quiet: globals.quiet,
    verbose: globals.verbose,
    color: shouldUseColor({
      isTTY: run.io.stdout.isTTY === true,
      noColor: run.env.NO_COLOR,
      forceColor: run.env.FORCE_COLOR,
    }),
  });
  return {
    globals,
    output,
    io: run.io,
    env: run.env,
    signal: run.signal,
    async openSession(sessionOptions) {
      // Loaded here, not at start-up: the database drivers and provider SDK behind the pipeline
      // take most of a start-up, and commands that never open a session must not pay for them.
      const { openPipelineSession } = await import('./pipeline-session.js');
      const session = await openPipelineSession({
        globals,
        env: run.env,
        embeddingsFor: sessionOptions?.embeddingsFor,
      });
      run.sessions.push(session);
      const { provider } = session.pipeline;
      output.debug(
        `database: ${globals.databaseUrl === undefined ? 'embedded (./.dje/pgdata)' : 'from --database-url / DATABASE_URL'}, provider: ${provider.provider}/${provider.model} (${provider.dimensions} dimensions), namespace: ${globals.namespace}`,
      );
      return session;
    },
  };
}
