export { toAiSdk } from './ai-sdk-model.js';
export { type AiSdkEmbeddingModel, type AiSdkProviderOptions, fromAiSdk } from './ai-sdk-provider.js';
export { type CacheKeyParts, cacheKey } from './cache-key.js';
export {
  type CreateProviderOptions,
  createProvider,
  type ProviderName,
  providerNames,
} from './create-provider.js';
export { type EmbedAllOptions, type EmbedProgress, embedAll } from './embed-all.js';
export type { EmbeddingCacheStore } from './embedding-cache-store.js';
export type { EmbeddingProvider, EmbeddingUsage, EmbedOptions } from './embedding-provider.js';
export { createLocalProvider, type LocalProviderOptions, localModel } from './local-provider.js';
export { createMemoryCacheStore, type MemoryCacheStoreOptions } from './memory-cache-store.js';
export { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';
export { loadTokenCounter, type TokenCounter } from './token-counter.js';
export { withCache } from './with-cache.js';
