export { countTokens, type TokenEncoding, tokenEncodings } from '@dynamic-embeddings/tokenizer';
export { chunkJson, maxDocumentIdLength, maxTokensRange } from './chunk-json.js';
export {
  type ChunkStreamOptions,
  chunkJsonStream,
  defaultDocumentId,
  documentIdField,
} from './chunk-json-stream.js';
export {
  type ChunkingConfig,
  chunkingConfigSchema,
  configNames,
  type RawChunkingConfig,
  rawChunkingConfigSchema,
  resolveConfig,
} from './config.js';
export { type DocumentFeatures, decideStrategy, type StrategyDecision } from './decide-strategy.js';
export { parseJson } from './parse-json.js';
export type { Chunk, ChunkingStrategy, ChunkOptions, ChunkResult, StrategyName } from './types.js';
export { chunkingStrategies, strategyNames } from './types.js';
