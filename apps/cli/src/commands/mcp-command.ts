// dje mcp: a Model Context Protocol server on stdin/stdout for agents (Claude Desktop, IDEs, any
// MCP client), over the same pipeline as every other command. stdout carries the protocol only;
// notes go to stderr.
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { commandContext, type RunContext } from '../command-context.js';
import { examples } from '../help-text.js';

interface McpCommandOptions {
  readonly allowWrites?: boolean;
  readonly namespaces?: string;
}

/** `--namespaces a,b`: each name checked like everywhere else; no option means every namespace. */
async function parseNamespaces(value: string | undefined): Promise<'*' | string[]> {
  if (value === undefined || value.trim() === '*') return '*';
  // Imported here: the pipeline's root loads the database drivers, which no other command's start needs.
  const { validateNamespaceName } = await import('@dynamic-embeddings/pipeline');
  return value.split(',').map((name) => validateNamespaceName(name.trim()));
}

export function registerMcpCommand(program: Command, run: RunContext): void {
  program
    .command('mcp')
    .description('serve search, listing and (with --allow-writes) ingest as MCP tools on stdin/stdout')
    .option('--allow-writes', 'let clients ingest documents (the ingest_document tool); default: read-only')
    .option('--namespaces <list>', 'comma-separated namespaces the tools may use (default: all)')
    .addHelpText(
      'after',
      `
Tools: search, list_namespaces, list_collections, get_document, ingest_document (refused with
WRITES_DISABLED unless --allow-writes). A namespace outside --namespaces is NAMESPACE_NOT_ALLOWED.
The server stops when the client closes stdin, or on Ctrl-C / SIGTERM.
${examples(['dje mcp', 'dje mcp --namespaces production --database-url postgres://localhost/dje', 'dje mcp --allow-writes'])}`,
    )
    .action(async (options: McpCommandOptions, command: Command) => {
      const context = commandContext(run, command);
      run.stopsOnSignal = true;
      const namespaces = await parseNamespaces(options.namespaces);
      const { pipeline } = await context.openSession({ embeddingsFor: context.globals.namespace });
      // The MCP SDK (and its JSON-schema validator) loads only for this command, not at every start.
      const [{ StdioServerTransport }, { createMcpServer }] = await Promise.all([
        import('@modelcontextprotocol/sdk/server/stdio.js'),
        import('../mcp-server.js'),
      ]);
      const server = createMcpServer({
        pipeline,
        allowWrites: options.allowWrites === true,
        namespaces,
        version: command.parent?.version() ?? '0.0.0',
      });
      const stdin = run.io.stdin as Readable;
      const transport = new StdioServerTransport(stdin, run.io.stdout as unknown as Writable);
      const stopped = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        stdin.once('end', () => resolve());
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.connect(transport);
      context.output.note(
        `dje mcp: serving ${namespaces === '*' ? 'every namespace' : namespaces.join(', ')} on stdio (${options.allowWrites === true ? 'writes allowed' : 'read-only'}).`,
      );
      await stopped;
      await server.close();
    });
}
