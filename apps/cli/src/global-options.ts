// Options every command accepts, validated with zod after commander has parsed them.
import { invalidOption } from '@dynamic-embeddings/core';
import { Option } from 'commander';
import { z } from 'zod';
import { type CliEnv, rateLimitsFromEnv } from './env.js';
import { wholeNumber } from './option-parsers.js';

export const providerChoices = ['local', 'openai'] as const;

const globalOptionsSchema = z.object({
  databaseUrl: z.string().min(1).optional(),
  provider: z.enum(providerChoices).optional(),
  model: z.string().min(1).optional(),
  dimensions: z.number().int().positive().optional(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  namespace: z.string().min(1).optional(),
  json: z.boolean().default(false),
  verbose: z.boolean().default(false),
  quiet: z.boolean().default(false),
});

export interface GlobalOptions {
  /** Undefined means the embedded database in ./.dje/pgdata. */
  readonly databaseUrl: string | undefined;
  /** Undefined: the namespace's own provider for ingest and search when it exists, else local. */
  readonly provider: (typeof providerChoices)[number] | undefined;
  readonly model: string | undefined;
  readonly dimensions: number | undefined;
  /** Caps of the openai provider's requests and tokens per minute (--rpm, --tpm, or the env). */
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
  readonly namespace: string;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly quiet: boolean;
}

export function globalOptionDefinitions(): Option[] {
  return [
    new Option(
      '--database-url <url>',
      'postgres://user:pass@host:5432/db, pglite://DIR (embedded, kept in DIR) or memory:// [env: DATABASE_URL; default: embedded database in ./.dje/pgdata]',
    ),
    new Option(
      '--provider <name>',
      "embedding provider [default: for ingest and search, the namespace's own provider, model and dimensions when it exists; else local]",
    ).choices(providerChoices),
    new Option(
      '--model <model>',
      'embedding model (openai default: text-embedding-3-large; local has one model)',
    ),
    new Option('--dimensions <n>', 'vector length (local default 384, openai default 1536)').argParser(
      wholeNumber({ minimum: 1, maximum: 16_000 }),
    ),
    new Option(
      '--rpm <n>',
      "openai provider: requests per minute at most, for your account's tier [env: DJE_REQUESTS_PER_MINUTE; default: no cap, 429s and rate-limit headers are still honoured]",
    ).argParser(wholeNumber({ minimum: 1 })),
    new Option(
      '--tpm <n>',
      'openai provider: tokens per minute at most [env: DJE_TOKENS_PER_MINUTE; default: no cap]',
    ).argParser(wholeNumber({ minimum: 1 })),
    new Option(
      '-n, --namespace <namespace>',
      'namespace to work in [env: DJE_NAMESPACE; default: "default"]',
    ),
    new Option('--json', 'print results as JSON on stdout (snake_case keys, for scripts)'),
    new Option('--verbose', 'print details and, on errors, the stack trace'),
    new Option('--quiet', 'print no progress or notes on stderr (errors still go there)'),
  ];
}

export function resolveGlobalOptions(raw: Record<string, unknown>, env: CliEnv): GlobalOptions {
  const result = globalOptionsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidOption(
      `--${String(issue?.path[0] ?? 'option').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}: ${issue?.message ?? 'invalid value'}.`,
    );
  }
  const parsed = result.data;
  const fromEnv = rateLimitsFromEnv(env);
  return {
    databaseUrl: parsed.databaseUrl ?? env.DATABASE_URL,
    provider: parsed.provider,
    model: parsed.model,
    dimensions: parsed.dimensions,
    requestsPerMinute: parsed.rpm ?? fromEnv.requestsPerMinute,
    tokensPerMinute: parsed.tpm ?? fromEnv.tokensPerMinute,
    namespace: parsed.namespace ?? env.DJE_NAMESPACE ?? 'default',
    json: parsed.json,
    verbose: parsed.verbose,
    quiet: parsed.quiet,
  };
}
