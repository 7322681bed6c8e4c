// The only place the server reads process.env: every variable it honours, validated once.
import { invalidEnvironment } from '@dynamic-embeddings/core';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

function wholeNumber(options: { readonly minimum: number; readonly maximum?: number }) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(options.minimum)
        .max(options.maximum ?? Number.MAX_SAFE_INTEGER),
    )
    .optional();
}

const envSchema = z.object({
  /** postgres://…, pglite://DIR or memory://; unset means the embedded database in ./.dje/pgdata. */
  DATABASE_URL: optionalText,
  /** Interface to listen on; anything but loopback needs API keys. */
  HOST: optionalText.transform((value) => value ?? '127.0.0.1'),
  PORT: wholeNumber({ minimum: 0, maximum: 65_535 }).transform((value) => value ?? 8080),
  /** `KEY:NAMESPACES:ACCESS` entries separated by commas (format in the README). */
  DJE_API_KEYS: optionalText,
  /** A file with one `KEY:NAMESPACES:ACCESS` entry per line (instead of DJE_API_KEYS). */
  DJE_API_KEYS_FILE: optionalText,
  /** Default namespace of the pipeline. */
  DJE_NAMESPACE: optionalText,
  /** `local` (offline) or `openai`; default openai when OPENAI_API_KEY is set, else local. */
  DJE_PROVIDER: z.enum(['local', 'openai']).optional(),
  /** Embedding model (openai; for local only its one model is accepted). */
  DJE_MODEL: optionalText,
  /** Vector length (local; or openai models that can shorten their vectors). */
  DJE_DIMENSIONS: wholeNumber({ minimum: 1, maximum: 16_000 }),
  OPENAI_API_KEY: optionalText,
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio, TEI). */
  OPENAI_BASE_URL: optionalText,
  /** Requests per minute at most to the openai provider (default: no cap of our own). */
  DJE_REQUESTS_PER_MINUTE: wholeNumber({ minimum: 1 }),
  /** Tokens per minute at most to the openai provider (default: no cap of our own). */
  DJE_TOKENS_PER_MINUTE: wholeNumber({ minimum: 1 }),
  /** Ceiling in MB for maintenance_work_mem during HNSW index builds (0: the server's setting). */
  DJE_INDEX_BUILD_MEMORY_MB: wholeNumber({ minimum: 0 }),
  DJE_MAX_BODY_BYTES: wholeNumber({ minimum: 1 }),
  DJE_MAX_LINE_BYTES: wholeNumber({ minimum: 1 }),
  DJE_REQUEST_TIMEOUT_MS: wholeNumber({ minimum: 1 }),
  DJE_LONG_REQUEST_TIMEOUT_MS: wholeNumber({ minimum: 1 }),
  DJE_EMBEDDING_CONCURRENCY: wholeNumber({ minimum: 1 }),
  DJE_EMBEDDING_QUEUE: wholeNumber({ minimum: 0 }),
  DJE_SHUTDOWN_TIMEOUT_MS: wholeNumber({ minimum: 0 }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

export type ServerEnv = z.output<typeof envSchema>;

/** Parses the environment; an invalid variable is an INVALID_ENVIRONMENT error naming it. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? '';
    throw invalidEnvironment(
      variable,
      `Environment variable ${variable} is invalid: ${issue?.message ?? 'invalid value'}.`,
    );
  }
  if (parsed.data.DJE_API_KEYS !== undefined && parsed.data.DJE_API_KEYS_FILE !== undefined) {
    throw invalidEnvironment('DJE_API_KEYS_FILE', 'Set DJE_API_KEYS or DJE_API_KEYS_FILE, not both.');
  }
  return parsed.data;
}
