// dje serve: the HTTP API over the same pipeline, holding the database until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { commandContext, type RunContext } from '../command-context.js';
import type { CliEnv } from '../env.js';
import { examples } from '../help-text.js';
import { loadServer } from '../load-server.js';
import { wholeNumber } from '../option-parsers.js';
import { readTextFile } from '../read-text-file.js';

/** DJE_API_KEYS and the lines of DJE_API_KEYS_FILE together; the server parses and checks them. */
async function readApiKeys(env: CliEnv): Promise<string | undefined> {
  const parts = [env.DJE_API_KEYS];
  if (env.DJE_API_KEYS_FILE !== undefined) {
    parts.push(await readTextFile(env.DJE_API_KEYS_FILE, { what: 'API keys file (DJE_API_KEYS_FILE)' }));
  }
  const text = parts.filter((part) => part !== undefined).join('\n');
  return text.trim() === '' ? undefined : text;
}

interface ServeOptions {
  readonly port: number;
  readonly host: string;
}

export function registerServeCommand(program: Command, run: RunContext): void {
  program
    .command('serve')
    .description('start the HTTP API on this database (stops cleanly on Ctrl-C or SIGTERM)')
    .option(
      '--port <port>',
      'TCP port (0 picks a free one)',
      wholeNumber({ minimum: 0, maximum: 65_535 }),
      8080,
    )
    .option('--host <host>', 'interface to listen on; anything but loopback needs DJE_API_KEYS', '127.0.0.1')
    .addHelpText(
      'after',
      `
While it runs, the server holds the embedded database: other dje commands on the same data
directory fail with DATABASE_LOCKED; use the HTTP API instead, or a PostgreSQL DATABASE_URL.
API keys come from DJE_API_KEYS (KEY:NAMESPACES:ACCESS entries, e.g. k1:*:rw,k2:tenant_a:r) and
DJE_API_KEYS_FILE (one entry per line); without any, the server listens on loopback only.
${examples([
  'dje serve',
  'dje serve --port 3000 --database-url postgres://postgres:postgres@localhost:5432/dje',
  'DJE_API_KEYS=k1:*:rw dje serve --host 0.0.0.0 --port 8080',
])}`,
    )
    .action(async (options: ServeOptions, command: Command) => {
      const context = commandContext(run, command);
      run.stopsOnSignal = true;
      const apiKeys = await readApiKeys(context.env);
      const startServer = await loadServer();
      // pino, like the server, loads only for `dje serve`.
      const { createLogger } = await import('@dynamic-embeddings/core/logger');
      const { pipeline, migration } = await context.openSession();
      const server = await startServer({
        pipeline,
        migration,
        port: options.port,
        host: options.host,
        ...(apiKeys === undefined ? {} : { apiKeys }),
        // Request logs are JSON lines on stderr; --quiet keeps only warnings and errors.
        logger: createLogger({
          name: 'server',
          level: context.globals.quiet ? 'warn' : context.globals.verbose ? 'debug' : 'info',
        }),
      });
      context.output.result(
        { url: server.url, namespace: context.globals.namespace },
        (value) =>
          `dje serve: listening on ${value.url} (default namespace ${value.namespace}). Press Ctrl-C to stop.`,
      );
      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      context.output.note('dje serve: stopping (finishing requests in flight)…');
      await server.close();
      context.output.note('dje serve: stopped.');
    });
}
