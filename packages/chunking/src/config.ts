// Chunking configs: the zod schema (the contract for config files), built-in named configs with
// `extends`, and `resolveConfig`, which turns a name or a raw object into a validated, frozen config.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import { z } from 'zod';
import { builtinConfigs } from './builtin-configs.js';

const strategyNames = ['flat', 'hierarchical', 'semantic', 'dimensional', 'hybrid'] as const;

const weight = z.number().min(-10).max(10);

/** Linear weights of the decision engine for one strategy; features are documented in the README. */
const weightsSchema = z.strictObject({
  bias: weight,
  size: weight,
  depth: weight,
  breadth: weight,
  arrays: weight,
  text: weight,
  numeric: weight,
  heterogeneity: weight,
  domain: weight,
});

const keywordList = z.array(z.string().min(1).max(100)).max(2000);

const domainRuleSchema = z
  .strictObject({
    /** The tag written to `domain_tags` when the rule matches. */
    tag: z.string().min(1).max(100),
    /** Words matched against the words of a chunk's keys (snake_case, camelCase, kebab-case split). */
    keywords: keywordList,
    /** Regular expressions (source text, case-insensitive) matched against a chunk's keys. */
    patterns: z.array(z.string().min(1).max(500)).max(100),
    /** Distinct keyword or pattern matches needed for the tag. */
    minMatches: z.number().int().min(1).max(100),
  })
  .superRefine((rule, context) => {
    rule.patterns.forEach((pattern, index) => {
      try {
        new RegExp(pattern, 'i');
      } catch (error) {
        context.addIssue({
          code: 'custom',
          path: ['patterns', index],
          message: `not a valid regular expression (${(error as Error).message})`,
        });
      }
    });
  });

const thresholdsSchema = z.strictObject({
  /** Longest inline rendering (chars) of a nested object or array kept on its parent's line. */
  inlineChars: z.number().int().min(0).max(2000),
  /** Hierarchical/semantic: smallest subtree (estimated tokens) that becomes its own chunk. */
  minUnitTokens: z.number().int().min(1).max(100_000),
  /** Hierarchical: smallest key count of an object that forms a natural unit. */
  minUnitKeys: z.number().int().min(1).max(10_000),
  /** Semantic: share of meaning-bearing leaves (0–1) that makes a subtree its own chunk. */
  semanticScore: z.number().min(0).max(1),
  /** Dimensional: arrays with at least this many elements become row-range slices. */
  minArrayLength: z.number().int().min(2).max(10_000_000),
  /** Dimensional: most columns of a table rendering before rows fall back to sections. */
  maxColumns: z.number().int().min(1).max(200),
  /** Hybrid: smallest top-level section (estimated tokens) routed to its own strategy. */
  minSectionTokens: z.number().int().min(1).max(1_000_000),
});

const configShape = {
  /** Name of the config (built-in name, or the name a custom config gives itself). */
  name: z.string().min(1).max(100),
  description: z.string().max(1000),
  /** Default upper bound on tokens per chunk text. */
  maxTokens: z.number().int().min(128).max(32_768),
  /** Tokenizer for `token_count` and `maxTokens`. */
  encoding: z.enum(['cl100k_base', 'o200k_base']),
  keywords: z.strictObject({
    /** Key words whose values carry meaning (reasoning, description, …). */
    semantic: keywordList,
    /** Key words of metrics; numbers under them count as fully meaningful. */
    metrics: keywordList,
    /** Key words of identifiers (entity indicators: id, uuid, sku, …). */
    entities: keywordList,
  }),
  domainRules: z.array(domainRuleSchema).max(200),
  thresholds: thresholdsSchema,
  decision: z.strictObject({
    weights: z.strictObject({
      flat: weightsSchema,
      hierarchical: weightsSchema,
      semantic: weightsSchema,
      dimensional: weightsSchema,
      hybrid: weightsSchema,
    }),
  }),
};

/** A complete, validated config: what `resolveConfig` returns. */
export const chunkingConfigSchema = z.strictObject(configShape);

/** A validated chunking config (every field present). */
export type ChunkingConfig = z.infer<typeof chunkingConfigSchema>;

/**
 * What a config file may contain: any subset of a config plus `extends`, the name of a built-in
 * config to start from (default `default`). Objects merge field by field, arrays replace the base's
 * array, and `domainRules` merge by `tag`.
 */
export const rawChunkingConfigSchema = z.strictObject({
  extends: z.string().min(1).max(100).optional(),
  name: configShape.name.optional(),
  description: configShape.description.optional(),
  maxTokens: configShape.maxTokens.optional(),
  encoding: configShape.encoding.optional(),
  keywords: configShape.keywords.partial().optional(),
  domainRules: configShape.domainRules.optional(),
  thresholds: thresholdsSchema.partial().optional(),
  decision: z
    .strictObject({
      weights: z
        .strictObject(
          Object.fromEntries(strategyNames.map((name) => [name, weightsSchema.partial().optional()])),
        )
        .optional(),
    })
    .optional(),
});

/** A config as written in a file, before `extends` is resolved. */
export type RawChunkingConfig = z.infer<typeof rawChunkingConfigSchema>;

/** Names of the built-in configs. */
export const configNames: readonly string[] = Object.freeze(Object.keys(builtinConfigs));

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDomainRules(base: unknown, override: unknown): unknown {
  if (!Array.isArray(base) || !Array.isArray(override)) return override;
  const merged = [...base];
  for (const rule of override) {
    const tag = isPlainObject(rule) ? rule.tag : undefined;
    const index = merged.findIndex((existing) => isPlainObject(existing) && existing.tag === tag);
    if (index >= 0) merged[index] = rule;
    else merged.push(rule);
  }
  return merged;
}

function merge(base: PlainObject, override: PlainObject): PlainObject {
  const merged: PlainObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined || key === 'extends') continue;
    const current = merged[key];
    if (key === 'domainRules') merged[key] = mergeDomainRules(current, value);
    else if (isPlainObject(current) && isPlainObject(value)) merged[key] = merge(current, value);
    else merged[key] = value;
  }
  return merged;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function invalidConfig(issues: readonly { path: string; message: string }[], source: string): DjeError {
  const lines = issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
  return createError({
    code: 'INVALID_CONFIG',
    message: `Invalid chunking config${source}:\n${lines.join('\n')}\nFix these fields (see the chunking README for the config format).`,
    details: { issues },
  });
}

function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path
      .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
      .join('')
      .replace(/^\./, ''),
    message: issue.message,
  }));
}

const resolvedByName = new Map<string, ChunkingConfig>();
const resolvedByObject = new WeakMap<object, ChunkingConfig>();

function unknownConfig(name: string): DjeError {
  return createError({
    code: 'UNKNOWN_CONFIG',
    message: `There is no built-in chunking config named ${JSON.stringify(name)}; use one of ${configNames.join(', ')}, or pass a config object.`,
    details: { name, available: configNames },
  });
}

function resolveRaw(raw: unknown, source: string, chain: readonly string[]): ChunkingConfig {
  const parsed = rawChunkingConfigSchema.safeParse(raw);
  if (!parsed.success) throw invalidConfig(describeIssues(parsed.error), source);
  const base = resolveNamed(parsed.data.extends ?? 'default', chain);
  const merged = merge(base as unknown as PlainObject, parsed.data as PlainObject);
  if (parsed.data.name === undefined) merged.name = 'custom';
  const complete = chunkingConfigSchema.safeParse(merged);
  if (!complete.success) throw invalidConfig(describeIssues(complete.error), source);
  return deepFreeze(complete.data);
}

function resolveNamed(name: string, chain: readonly string[]): ChunkingConfig {
  const cached = resolvedByName.get(name);
  if (cached !== undefined) return cached;
  const raw = builtinConfigs[name];
  if (raw === undefined) throw unknownConfig(name);
  if (chain.includes(name)) {
    throw invalidConfig(
      [{ path: 'extends', message: `circular extends: ${[...chain, name].join(' → ')}` }],
      '',
    );
  }
  const resolved =
    name === 'default'
      ? (() => {
          const parsed = chunkingConfigSchema.safeParse(raw);
          if (!parsed.success) throw invalidConfig(describeIssues(parsed.error), ' "default"');
          return deepFreeze(parsed.data);
        })()
      : resolveRaw({ extends: 'default', name, ...raw }, ` "${name}"`, [...chain, name]);
  resolvedByName.set(name, resolved);
  return resolved;
}

/**
 * Resolves a config: `undefined` → `default`; a string → the built-in config of that name
 * (`UNKNOWN_CONFIG` otherwise); an object → validated with zod (`INVALID_CONFIG` listing every bad
 * field), merged over its `extends` base (default `default`). The result is frozen, and resolving
 * it again returns it unchanged. This package reads no files: callers parse a config file and pass
 * the object.
 */
export function resolveConfig(config?: unknown): ChunkingConfig {
  if (config === undefined) return resolveNamed('default', []);
  if (typeof config === 'string') return resolveNamed(config, []);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalidConfig(
      [
        {
          path: '',
          message: `expected a config object or a config name, got ${config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config}`,
        },
      ],
      '',
    );
  }
  const cached = resolvedByObject.get(config);
  if (cached !== undefined) return cached;
  const resolved = resolveRaw(config, '', []);
  resolvedByObject.set(config, resolved);
  resolvedByObject.set(resolved, resolved);
  return resolved;
}
