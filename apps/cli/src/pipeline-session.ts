// Opens the one database connection a command uses: the pipeline, and the migration on the same
// handle. The embedded database allows one process at a time; the db package's lock error
// (DATABASE_LOCKED) passes through unchanged because its message already says what to do.
import { invalidEnvironment } from '@dynamic-embeddings/core';
import { createLogger } from '@dynamic-embeddings/core/logger';
import { createNamespaceMigration, type NamespaceMigration } from '@dynamic-embeddings/migration';
import {
  type CreateProviderOptions,
  connect,
  createPipeline,
  createProvider,
  type EmbeddingPipeline,
  getNamespace,
  type NamespaceRecord,
} from '@dynamic-embeddings/pipeline';
import type { CliEnv } from './env.js';
import { type GlobalOptions, providerChoices } from './global-options.js';

export interface PipelineSession {
  readonly pipeline: EmbeddingPipeline;
  readonly migration: NamespaceMigration;
  close(): Promise<void>;
}

/**
 * The provider options: what was given on the command line, completed from the namespace's registry
 * row when it exists and uses the same provider (or no provider was given), else the local provider.
 */
export function resolveProviderOptions(
  globals: Pick<GlobalOptions, 'provider' | 'model' | 'dimensions'>,
  stored: Pick<NamespaceRecord, 'provider' | 'model' | 'dimensions'> | undefined,
): Pick<CreateProviderOptions, 'provider' | 'model' | 'dimensions'> {
  const storedProvider = providerChoices.find((choice) => choice === stored?.provider);
  const provider = globals.provider ?? storedProvider ?? 'local';
  const fromStored = stored !== undefined && provider === storedProvider;
  return {
    provider,
    model: globals.model ?? (fromStored ? stored.model : undefined),
    dimensions: globals.dimensions ?? (fromStored ? stored.dimensions : undefined),
  };
}

/** DJE_INDEX_BUILD_MEMORY_MB as `connect`'s `indexBuildMemoryMB`; INVALID_ENVIRONMENT unless whole MB. */
export function indexBuildMemoryFromEnv(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw invalidEnvironment(
      'DJE_INDEX_BUILD_MEMORY_MB',
      `Environment variable DJE_INDEX_BUILD_MEMORY_MB is invalid: it must be a whole number of megabytes (0 keeps the server's maintenance_work_mem), got "${value}".`,
    );
  }
  return Number(value);
}

export async function openPipelineSession(options: {
  readonly globals: GlobalOptions;
  readonly env: CliEnv;
  /** The namespace whose stored provider, model and dimensions fill in what the options leave out. */
  readonly embeddingsFor?: string | undefined;
}): Promise<PipelineSession> {
  const { globals, env } = options;
  const indexBuildMemoryMB = indexBuildMemoryFromEnv(env.DJE_INDEX_BUILD_MEMORY_MB);
  const db = await connect(
    globals.databaseUrl,
    indexBuildMemoryMB === undefined ? {} : { indexBuildMemoryMB },
  );
  try {
    const stored =
      options.embeddingsFor === undefined ? undefined : await getNamespace(db.orm, options.embeddingsFor);
    const provider = createProvider({
      ...resolveProviderOptions(globals, stored),
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      requestsPerMinute: globals.requestsPerMinute,
      tokensPerMinute: globals.tokensPerMinute,
    });
    const pipeline = await createPipeline({ db, provider, namespace: globals.namespace });
    // The migration's audit lines are JSON for log collectors; on a terminal they are noise unless
    // asked for with --verbose. Failures still reach the user as the command's error.
    const migration = createNamespaceMigration({
      db,
      logger: createLogger({ name: 'migration', level: globals.verbose ? 'info' : 'silent' }),
    });
    return {
      pipeline,
      migration,
      close: async () => {
        await pipeline.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
