// The only place the CLI reads process.env: every variable it honours, validated once.
import { invalidEnvironment } from '@dynamic-embeddings/core';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z.object({
  /** postgres://…, pglite://DIR or memory://; unset means the embedded database in ./.dje/pgdata. */
  DATABASE_URL: optionalText,
  /** Default namespace when --namespace is not given. */
  DJE_NAMESPACE: optionalText,
  /** Key for --provider openai; not needed by OpenAI-compatible servers that take none. */
  OPENAI_API_KEY: optionalText,
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio, TEI) for --provider openai. */
  OPENAI_BASE_URL: optionalText,
  /** API keys handed to `dje serve`: KEY:NAMESPACES:ACCESS entries, comma-separated. */
  DJE_API_KEYS: optionalText,
  /** A file with one KEY:NAMESPACES:ACCESS entry per line, for `dje serve`. */
  DJE_API_KEYS_FILE: optionalText,
  /** Requests per minute at most for --provider openai (the default of --rpm). */
  DJE_REQUESTS_PER_MINUTE: optionalText,
  /** Tokens per minute at most for --provider openai (the default of --tpm). */
  DJE_TOKENS_PER_MINUTE: optionalText,
  /** Ceiling in MB for maintenance_work_mem during HNSW index builds (0: the server's setting). */
  DJE_INDEX_BUILD_MEMORY_MB: optionalText,
  /** https://no-color.org: any value turns colours off. */
  NO_COLOR: optionalText,
  /** Forces colours on even when stdout is not a terminal (`0` forces them off). */
  FORCE_COLOR: optionalText,
});

export type CliEnv = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  return envSchema.parse(source);
}

const perMinute = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1)).optional();

/**
 * DJE_REQUESTS_PER_MINUTE and DJE_TOKENS_PER_MINUTE as numbers. Checked when a command runs (not
 * in readEnv) so a bad value is a usage error (INVALID_ENVIRONMENT, exit 2) like a bad option.
 */
export function rateLimitsFromEnv(env: CliEnv): {
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
} {
  const read = (variable: 'DJE_REQUESTS_PER_MINUTE' | 'DJE_TOKENS_PER_MINUTE', what: string) => {
    const parsed = perMinute.safeParse(env[variable]);
    if (parsed.success) return parsed.data;
    throw invalidEnvironment(
      variable,
      `Environment variable ${variable} is invalid: it must be a whole number of ${what} per minute, at least 1, got "${env[variable]}".`,
    );
  };
  return {
    requestsPerMinute: read('DJE_REQUESTS_PER_MINUTE', 'requests'),
    tokensPerMinute: read('DJE_TOKENS_PER_MINUTE', 'tokens'),
  };
}
