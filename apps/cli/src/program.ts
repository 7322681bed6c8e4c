// The `dje` command tree. Commands live one per file under commands/; this file only wires them.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { RunContext } from './command-context.js';
import { registerChunkCommand } from './commands/chunk-command.js';
import { registerClusterCommand } from './commands/cluster-command.js';
import { registerCollectionCommand } from './commands/collection-command.js';
import { registerDocumentCommand } from './commands/document-command.js';
import { registerIngestCommand } from './commands/ingest-command.js';
import { registerMcpCommand } from './commands/mcp-command.js';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerNamespaceCommand } from './commands/namespace-command.js';
import { registerSearchCommand } from './commands/search-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { globalOptionDefinitions } from './global-options.js';
import { examples } from './help-text.js';

function packageVersion(): string {
  // One level up from both src/ and dist/.
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

const rootHelp = `
Environment:
  DATABASE_URL     database when --database-url is not given (default: embedded PGlite in ./.dje/pgdata)
  DJE_NAMESPACE    namespace when -n/--namespace is not given (default: "default")
  OPENAI_API_KEY   key for --provider openai
  OPENAI_BASE_URL  an OpenAI-compatible server for --provider openai (Ollama, vLLM, LM Studio, TEI)
  DJE_API_KEYS     API keys for \`dje serve\` (DJE_API_KEYS_FILE: a file of them, one per line)
  DJE_INDEX_BUILD_MEMORY_MB  ceiling for maintenance_work_mem while an HNSW index is built, raised
                   only as far as the graph needs (default 1024 on PostgreSQL, 512 embedded; 0: server's)
  NO_COLOR / FORCE_COLOR  turn colours off / on

Exit codes:
  0 ok · 1 internal error · 2 usage error · 3 not found · 4 invalid input · 5 embedding provider error
  6 database error · 7 conflict · 8 confirmation required (pass --force) · 9 database locked by another
  process · 10 unauthorized · 130 cancelled (Ctrl-C)
${examples([
  'dje ingest examples --collection demo',
  'dje search "mobile banners with high CTR in Norway" --collection demo',
  'dje namespace list',
  'dje collection stats demo --json',
  'dje migrate copy --source production --target staging --dry-run',
  'dje serve --port 8080',
])}
Run "dje <command> --help" for a command's options and examples.
`;

export function createProgram(run: RunContext): Command {
  const program = new Command('dje')
    .description(
      'Dynamic JSON Embeddings: chunk JSON by its structure, embed it, store it in PostgreSQL + pgvector, and search it by meaning.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .configureOutput({
      writeOut: (text) => run.io.stdout.write(text),
      writeErr: (text) => run.io.stderr.write(text),
      // Errors are printed once, by the runner, as `error [CODE]: message`.
      outputError: () => {},
    })
    .exitOverride()
    .showSuggestionAfterError()
    .addHelpText('after', rootHelp);
  for (const option of globalOptionDefinitions()) program.addOption(option);

  registerIngestCommand(program, run);
  registerSearchCommand(program, run);
  registerNamespaceCommand(program, run);
  registerClusterCommand(program, run);
  registerCollectionCommand(program, run);
  registerDocumentCommand(program, run);
  registerChunkCommand(program, run);
  registerMigrateCommand(program, run);
  registerServeCommand(program, run);
  registerMcpCommand(program, run);
  return program;
}
