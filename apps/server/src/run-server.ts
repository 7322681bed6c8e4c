// Everything main.ts does except process handling: environment → provider, pipeline, migration,
// API keys and limits → a listening server. Separate so it can be tested in-process.
import { readFile } from 'node:fs/promises';
import { createLogger, type Logger } from '@dynamic-embeddings/core/logger';
import { createNamespaceMigration } from '@dynamic-embeddings/migration';
import { createPipeline, createProvider } from '@dynamic-embeddings/pipeline';
import { type ApiKey, invalidApiKeys, parseApiKeys } from './api-keys.js';
import type { ServerEnv } from './env.js';
import type { ServerLimits } from './server-limits.js';
import { startServer } from './start-server.js';

export interface RunServerOptions {
  readonly env: ServerEnv;
  readonly logger?: Logger;
}

export interface ServerProcess {
  readonly url: string;
  /** Closes the server gracefully, then the pipeline (and its database pool). */
  stop(): Promise<void>;
}

async function loadApiKeys(env: ServerEnv): Promise<ApiKey[]> {
  if (env.DJE_API_KEYS !== undefined) return parseApiKeys(env.DJE_API_KEYS);
  if (env.DJE_API_KEYS_FILE === undefined) return [];
  let text: string;
  try {
    text = await readFile(env.DJE_API_KEYS_FILE, 'utf8');
  } catch (error) {
    throw invalidApiKeys(
      `Cannot read DJE_API_KEYS_FILE ${env.DJE_API_KEYS_FILE}: ${(error as Error).message}.`,
      {
        details: { file: env.DJE_API_KEYS_FILE },
        cause: error,
      },
    );
  }
  const keys = parseApiKeys(text);
  if (keys.length === 0) {
    // An empty key file would silently turn authentication off.
    throw invalidApiKeys(
      `DJE_API_KEYS_FILE ${env.DJE_API_KEYS_FILE} has no entries; add KEY:NAMESPACES:ACCESS lines or unset it.`,
      { details: { file: env.DJE_API_KEYS_FILE } },
    );
  }
  return keys;
}

function limitsOf(env: ServerEnv): Partial<ServerLimits> {
  const limits: Partial<Record<keyof ServerLimits, number | undefined>> = {
    jsonBodyBytes: env.DJE_MAX_BODY_BYTES,
    ndjsonLineBytes: env.DJE_MAX_LINE_BYTES,
    requestTimeoutMs: env.DJE_REQUEST_TIMEOUT_MS,
    longRequestTimeoutMs: env.DJE_LONG_REQUEST_TIMEOUT_MS,
    embeddingConcurrency: env.DJE_EMBEDDING_CONCURRENCY,
    embeddingQueue: env.DJE_EMBEDDING_QUEUE,
  };
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}

export async function runServer(options: RunServerOptions): Promise<ServerProcess> {
  const { env } = options;
  const logger =
    options.logger ?? createLogger({ name: 'server', ...(env.LOG_LEVEL ? { level: env.LOG_LEVEL } : {}) });
  // Keys are checked before the database is opened, so a typo fails fast.
  const apiKeys = await loadApiKeys(env);
  const provider = createProvider({
    provider: env.DJE_PROVIDER ?? (env.OPENAI_API_KEY === undefined ? 'local' : 'openai'),
    ...(env.DJE_MODEL === undefined ? {} : { model: env.DJE_MODEL }),
    ...(env.DJE_DIMENSIONS === undefined ? {} : { dimensions: env.DJE_DIMENSIONS }),
    ...(env.OPENAI_API_KEY === undefined ? {} : { apiKey: env.OPENAI_API_KEY }),
    ...(env.OPENAI_BASE_URL === undefined ? {} : { baseURL: env.OPENAI_BASE_URL }),
    requestsPerMinute: env.DJE_REQUESTS_PER_MINUTE,
    tokensPerMinute: env.DJE_TOKENS_PER_MINUTE,
  });
  const pipeline = await createPipeline({
    ...(env.DATABASE_URL === undefined ? {} : { databaseUrl: env.DATABASE_URL }),
    ...(env.DJE_INDEX_BUILD_MEMORY_MB === undefined
      ? {}
      : { connectOptions: { indexBuildMemoryMB: env.DJE_INDEX_BUILD_MEMORY_MB } }),
    provider,
    ...(env.DJE_NAMESPACE === undefined ? {} : { namespace: env.DJE_NAMESPACE }),
  });
  try {
    const migration = createNamespaceMigration({
      db: pipeline.db,
      logger: logger.child({ component: 'migration' }),
    });
    const server = await startServer({
      pipeline,
      migration,
      port: env.PORT,
      host: env.HOST,
      apiKeys,
      limits: limitsOf(env),
      logger,
      ...(env.DJE_SHUTDOWN_TIMEOUT_MS === undefined
        ? {}
        : { shutdownTimeoutMs: env.DJE_SHUTDOWN_TIMEOUT_MS }),
    });
    logger.info(
      {
        provider: provider.provider,
        model: provider.model,
        dimensions: provider.dimensions,
        database: pipeline.db.displayUrl,
        index_build_memory_mb: pipeline.db.indexBuildMemoryMB,
      },
      'pipeline ready',
    );
    return {
      url: server.url,
      async stop() {
        await server.close();
        await pipeline.close();
      },
    };
  } catch (error) {
    await pipeline.close();
    throw error;
  }
}
