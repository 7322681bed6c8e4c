// --strategy and --config, shared by `dje ingest` and `dje chunk`.
import path from 'node:path';
import { createError, DjeError } from '@dynamic-embeddings/core';
import {
  type ChunkingConfig,
  configNames,
  parseJson,
  resolveConfig,
  strategyNames,
} from '@dynamic-embeddings/pipeline/chunking';
import { Option } from 'commander';
import { readTextFile } from './read-text-file.js';

export function strategyOption(): Option {
  return new Option('--strategy <strategy>', 'chunking strategy; auto picks one per document')
    .choices(strategyNames)
    .default('auto');
}

export function configOption(): Option {
  return new Option(
    '--config <name|file.json>',
    `chunking config: a built-in name (${configNames.join(', ')}) or a JSON file (may "extends" a built-in)`,
  );
}

function looksLikeFile(value: string): boolean {
  return value.endsWith('.json') || value.includes('/') || value.includes(path.sep);
}

/** The --config value resolved and validated before any work starts (a typo costs nothing). */
export async function loadConfigOption(value: string | undefined): Promise<ChunkingConfig | undefined> {
  if (value === undefined) return undefined;
  if (!looksLikeFile(value)) return resolveConfig(value);
  const text = await readTextFile(value, {
    what: `config file (or a built-in config name: ${configNames.join(', ')})`,
  });
  const parsed = parseJson(text, { source: value });
  try {
    return resolveConfig(parsed);
  } catch (error) {
    if (!DjeError.isInstance(error)) throw error;
    throw createError({
      code: error.code,
      message: `${value}: ${error.message}`,
      details: { ...error.details, path: value },
      cause: error,
    });
  }
}
