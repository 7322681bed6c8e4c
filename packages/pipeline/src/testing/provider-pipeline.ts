// Test helper: a pipeline on a fresh database of a target, embedding through the openai provider
// against the local OpenAI-compatible test server (real HTTP on 127.0.0.1) that holds every answer
// back `delayMs`.
import { createOpenAIProvider } from '@dynamic-embeddings/embeddings';
import type { DatabaseTarget } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll } from 'vitest';
import {
  startTestOpenAIServer,
  type TestOpenAIServer,
} from '../../../embeddings/src/testing/openai-server.js';
import { createPipeline } from '../create-pipeline.js';
import type { EmbeddingPipeline } from '../pipeline-types.js';

export interface ProviderPipeline {
  readonly server: TestOpenAIServer;
  readonly pipeline: EmbeddingPipeline;
  /** Closes the pipeline, the server and the database. */
  close(): Promise<void>;
}

type ProviderPipelineOptions = {
  readonly target: DatabaseTarget;
  readonly namespace: string;
  readonly delayMs: number;
  /** The provider's requests in flight at most. */
  readonly concurrency: number;
  /** Inputs per request, when smaller than OpenAI's 2,048. */
  readonly maxInputsPerCall?: number;
};

/**
 * Starts a provider pipeline before the suite's tests (then runs `prepare` on it) and closes it
 * after them; the server and pipeline are read from the returned object once the tests run.
 */
export function useProviderPipeline(
  options: ProviderPipelineOptions,
  prepare?: (started: ProviderPipeline) => Promise<unknown>,
): Pick<ProviderPipeline, 'server' | 'pipeline'> {
  let started: ProviderPipeline | undefined;
  beforeAll(async () => {
    started = await startProviderPipeline(options);
    await prepare?.(started);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = () => {
    if (started === undefined) throw new Error('the provider pipeline is used before the suite started it');
    return started;
  };
  return {
    get server() {
      return current().server;
    },
    get pipeline() {
      return current().pipeline;
    },
  };
}

async function startProviderPipeline(options: ProviderPipelineOptions): Promise<ProviderPipeline> {
  const database = await options.target.start();
  const server = await startTestOpenAIServer({ delayMs: options.delayMs });
  const provider = createOpenAIProvider({
    baseURL: server.baseURL,
    apiKey: 'test-key',
    model: 'text-embedding-3-small',
    dimensions: 16,
    concurrency: options.concurrency,
    timeoutMs: 10_000,
  });
  const pipeline = await createPipeline({
    databaseUrl: database.url,
    namespace: options.namespace,
    provider:
      options.maxInputsPerCall === undefined
        ? provider
        : { ...provider, maxInputsPerCall: options.maxInputsPerCall },
  });
  return {
    server,
    pipeline,
    async close() {
      await pipeline.close();
      await server.close();
      await database.close();
    },
  };
}
