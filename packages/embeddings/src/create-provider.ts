import { createError } from '@dynamic-embeddings/core';
import type { EmbeddingProvider } from './embedding-provider.js';
import { createLocalProvider, localModel } from './local-provider.js';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';

export const providerNames = ['local', 'openai'] as const;
export type ProviderName = (typeof providerNames)[number];

export interface CreateProviderOptions extends OpenAIProviderOptions {
  /** `local` (offline feature hashing) or `openai` (OpenAI or any compatible server). */
  readonly provider: ProviderName;
}

/**
 * A provider from plain settings, as the CLI and the pipeline receive them. For `local`, only
 * `dimensions` applies and `model`, if given, must be the local model; the rest are OpenAI's.
 */
export function createProvider(options: CreateProviderOptions): EmbeddingProvider {
  switch (options.provider) {
    case 'local':
      if (options.model !== undefined && options.model !== localModel) {
        throw createError({
          code: 'UNKNOWN_MODEL',
          message: `The local provider has one model, ${localModel}; got "${options.model}". Vectors from another hashing scheme cannot be mixed with these.`,
          details: { provider: 'local', model: options.model, expected: localModel },
        });
      }
      return createLocalProvider(options.dimensions === undefined ? {} : { dimensions: options.dimensions });
    case 'openai': {
      const { provider: _provider, ...openAIOptions } = options;
      return createOpenAIProvider(openAIOptions);
    }
    default:
      throw createError({
        code: 'UNKNOWN_PROVIDER',
        message: `Unknown embedding provider "${String((options as { provider: unknown }).provider)}"; choose one of: ${providerNames.join(', ')}.`,
        details: { provider: (options as { provider: unknown }).provider, choices: [...providerNames] },
      });
  }
}
