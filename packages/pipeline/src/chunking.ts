// The chunking part of the pipeline's API on its own (`@dynamic-embeddings/pipeline/chunking`): a
// command that only chunks (`dje chunk`, option parsing) loads this without the database drivers
// and the provider SDK behind the main entry, which take most of a CLI start-up.
export {
  type Chunk,
  type ChunkingConfig,
  type ChunkingStrategy,
  type ChunkResult,
  chunkJson,
  configNames,
  documentIdField,
  parseJson,
  resolveConfig,
  type StrategyName,
  strategyNames,
} from '@dynamic-embeddings/chunking';
