import type { ChunkingConfig } from '@dynamic-embeddings/chunking';
import type { VectorStore } from '@dynamic-embeddings/db';
import type { EmbeddingProvider } from '@dynamic-embeddings/embeddings';
import type { CreateNamespaceOptions } from './pipeline-types.js';

/** What the pipeline's ingest functions share: set once by createPipeline. */
export interface PipelineContext {
  readonly provider: EmbeddingProvider;
  readonly store: VectorStore;
  /** Max concurrent embedding requests. */
  readonly concurrency: number;
  /** Chunking config used when a call names none. */
  readonly config: string | ChunkingConfig | undefined;
  /** Index options of namespaces the pipeline creates on first write. */
  readonly newNamespaces: CreateNamespaceOptions;
}
