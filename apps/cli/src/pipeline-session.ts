// Opens the one database connection a command uses: the pipeline, and the migration on the same
// handle. The embedded database allows one process at a time; the db package's lock error
// (DATABASE_LOCKED) passes through unchanged because its message already says what to do.
import { createLogger } from '@dynamic-embeddings/core/logger';
import { createNamespaceMigration, type NamespaceMigration } from '@dynamic-embeddings/migration';
import { createPipeline, createProvider, type EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import type { CliEnv } from './env.js';
import type { GlobalOptions } from './global-options.js';

export interface PipelineSession {
  readonly pipeline: EmbeddingPipeline;
  readonly migration: NamespaceMigration;
  close(): Promise<void>;
}

export async function openPipelineSession(options: {
  readonly globals: GlobalOptions;
  readonly env: CliEnv;
}): Promise<PipelineSession> {
  const { globals, env } = options;
  const provider = createProvider({
    provider: globals.provider,
    model: globals.model,
    dimensions: globals.dimensions,
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
  });
  const pipeline = await createPipeline({
    databaseUrl: globals.databaseUrl,
    provider,
    namespace: globals.namespace,
  });
  // The migration's audit lines are JSON for log collectors; on a terminal they are noise unless
  // asked for with --verbose. Failures still reach the user as the command's error.
  const migration = createNamespaceMigration({
    db: pipeline.db,
    logger: createLogger({ name: 'migration', level: globals.verbose ? 'info' : 'silent' }),
  });
  return {
    pipeline,
    migration,
    close: () => pipeline.close(),
  };
}
