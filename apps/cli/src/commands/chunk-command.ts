// dje chunk <file>: preview how a document is chunked and what text gets embedded. Pure: no
// database, no provider, so it is safe to run anywhere and costs nothing.

import path from 'node:path';
import { createError } from '@dynamic-embeddings/core';
import { type Chunk, chunkJson, parseJson, type StrategyName } from '@dynamic-embeddings/pipeline/chunking';
import type { Command } from 'commander';
import { configOption, loadConfigOption, strategyOption } from '../chunking-options.js';
import { commandContext, type RunContext } from '../command-context.js';
import { formatCount, plural } from '../format-values.js';
import { examples } from '../help-text.js';
import { readTextFile } from '../read-text-file.js';

interface ChunkCommandOptions {
  readonly strategy: StrategyName;
  readonly config?: string;
  readonly documentId?: string;
}

export function registerChunkCommand(program: Command, run: RunContext): void {
  program
    .command('chunk')
    .description('preview the chunks and embedding text of one JSON document (no database, no provider)')
    .argument('<file>', 'a JSON file')
    .addOption(strategyOption())
    .addOption(configOption())
    .option('--document-id <id>', 'document id used in chunk ids (default: the file name without extension)')
    .addHelpText(
      'after',
      examples([
        'dje chunk examples/campaigns.json',
        'dje chunk examples/sensor-data.json --strategy dimensional',
        'dje chunk report.json --config analytics --json | jq ".chunks | length"',
      ]),
    )
    .action(async (file: string, options: ChunkCommandOptions, command: Command) => {
      run.tuneForShortRun?.();
      const context = commandContext(run, command);
      if (/\.(ndjson|jsonl)$/i.test(file)) {
        throw createError({
          code: 'STREAM_NOT_SUPPORTED',
          message: `dje chunk previews one JSON document; ${file} holds many. Preview one line: head -n 1 ${file} > one.json && dje chunk one.json`,
        });
      }
      const config = await loadConfigOption(options.config);
      const data = parseJson(await readTextFile(file, { what: 'JSON file' }), { source: file });
      const result = chunkJson(data, {
        documentId: options.documentId ?? path.basename(file, path.extname(file)),
        strategy: options.strategy,
        ...(config === undefined ? {} : { config }),
      });
      const { colors } = context.output;
      context.output.result(result, (value) => {
        const tokens = value.chunks.reduce((total, chunk) => total + chunk.token_count, 0);
        const header = [
          `${colors.bold(file)}: ${plural(value.chunks.length, 'chunk')}, ${plural(tokens, 'token')}, strategy ${value.strategy} (confidence ${value.confidence.toFixed(2)})`,
        ];
        if (value.scores !== undefined) {
          const scores = Object.entries(value.scores)
            .sort(([, a], [, b]) => b - a)
            .map(([name, score]) => `${name} ${score.toFixed(2)}`)
            .join(', ');
          header.push(colors.dim(`scores: ${scores}`));
        }
        const chunks = value.chunks.map((chunk: Chunk, index) =>
          [
            `${colors.bold(`[${index + 1}]`)} ${colors.cyan(chunk.chunk_id)}  ${colors.dim(chunk.path ?? '$')}  ${colors.dim(`${chunk.content_type}, ${formatCount(chunk.token_count)} tokens${chunk.parent_chunk_id === null ? '' : `, parent ${chunk.parent_chunk_id}`}`)}`,
            chunk.text
              .split('\n')
              .map((line) => `    ${line}`)
              .join('\n'),
          ].join('\n'),
        );
        return [...header, '', ...chunks].join('\n');
      });
    });
}
