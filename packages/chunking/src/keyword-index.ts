// What a config's keyword lists say about keys and values: key classes (semantic, metric, entity),
// the per-leaf meaning score behind `semantic_density`, relatedness of sibling keys, domain tags.
import type { ChunkingConfig } from './config.js';
import { labelOf } from './label.js';

/** The key names words that mark meaning-bearing values (reasoning, description, …). */
export const semanticKey = 1;
/** The key names a metric (ctr, revenue, temperature, …). */
export const metricKey = 2;
/** The key names an identifier (id, sku, url, …). */
export const entityKey = 4;

/** What the config's keywords say about one key. */
export interface KeyInfo {
  readonly keyClass: number;
  /** The key as it starts a line (see `labelOf`). */
  readonly label: string;
  readonly words: readonly string[];
  /** Key words without explanation/change words and numbers: `ctr_reasoning` → `ctr`. */
  readonly related: string;
  /** Per domain rule (config order): the keywords and pattern numbers this key matches. */
  readonly domainHits: readonly (readonly string[])[];
}

interface CompiledRule {
  readonly tag: string;
  readonly keywords: ReadonlySet<string>;
  readonly patterns: readonly RegExp[];
  readonly minMatches: number;
}

/** Keyword lookups compiled from one config, with a bounded cache of key facts. */
export interface KeywordIndex {
  /** Everything about a key, from a bounded cache. */
  info(key: string): KeyInfo;
  /** Bit set of `semanticKey`, `metricKey`, `entityKey`. */
  keyClass(key: string): number;
  /** Keys with the same relatedness key belong together (`ctr`, `ctr_reasoning`, `ctr_change`). */
  relatedness(key: string): string;
  /** Tags of every domain rule the keys match, in rule order. */
  domainTags(keys: readonly string[]): string[];
  /** 0–1: how strongly the best domain rule matches the keys. */
  domainStrength(keys: Iterable<string>): number;
}

const keyCacheLimit = 50_000;
const changeWords = new Set(['change', 'delta', 'diff', 'pct', 'percent', 'growth', 'trend', 'vs']);

function splitKey(key: string): string[] {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .match(/[a-z]+|\d+|[^\sa-z\d_\-.:/]+/g);
  return words ?? [];
}

function compile(config: ChunkingConfig): KeywordIndex {
  const semantic = new Set(config.keywords.semantic.map((word) => word.toLowerCase()));
  const metrics = new Set(config.keywords.metrics.map((word) => word.toLowerCase()));
  const entities = new Set(config.keywords.entities.map((word) => word.toLowerCase()));
  const rules: CompiledRule[] = config.domainRules.map((rule) => ({
    tag: rule.tag,
    keywords: new Set(rule.keywords.map((word) => word.toLowerCase())),
    patterns: rule.patterns.map((pattern) => new RegExp(pattern, 'i')),
    minMatches: rule.minMatches,
  }));
  const cache = new Map<string, KeyInfo>();

  const info = (key: string): KeyInfo => {
    let found = cache.get(key);
    if (found !== undefined) return found;
    const words = splitKey(key);
    let keyClass = 0;
    for (const word of words) {
      if (entities.has(word)) keyClass |= entityKey;
      else if (semantic.has(word)) keyClass |= semanticKey;
      else if (metrics.has(word)) keyClass |= metricKey;
    }
    const core = words.filter((word) => !semantic.has(word) && !changeWords.has(word) && !/^\d+$/.test(word));
    const domainHits = rules.map((rule) => {
      const hits = words.filter((word) => rule.keywords.has(word));
      rule.patterns.forEach((pattern, index) => {
        if (pattern.test(key)) hits.push(`\u0000${index}`);
      });
      return hits;
    });
    found = {
      keyClass,
      label: labelOf(key),
      words,
      related: (core.length > 0 ? core : words).join(' '),
      domainHits,
    };
    if (cache.size >= keyCacheLimit) cache.clear();
    cache.set(key, found);
    return found;
  };

  /** Distinct matches of every rule over a set of keys. */
  const ruleMatches = (keys: Iterable<string>): number[] => {
    const matched: (Set<string> | undefined)[] = [];
    for (const key of keys) {
      const { domainHits } = info(key);
      for (let rule = 0; rule < domainHits.length; rule += 1) {
        const hits = domainHits[rule]!;
        if (hits.length === 0) continue;
        const set = matched[rule] ?? new Set<string>();
        for (const hit of hits) set.add(hit);
        matched[rule] = set;
      }
    }
    return rules.map((_, rule) => matched[rule]?.size ?? 0);
  };

  return {
    info,
    keyClass: (key) => info(key).keyClass,
    relatedness: (key) => info(key).related,
    domainTags: (keys) => {
      const matches = ruleMatches(keys);
      return rules.filter((rule, index) => matches[index]! >= rule.minMatches).map((rule) => rule.tag);
    },
    domainStrength: (keys) => {
      const matches = ruleMatches(keys);
      let strongest = 0;
      rules.forEach((rule, index) => {
        strongest = Math.max(strongest, matches[index]! / (2 * rule.minMatches));
      });
      return Math.min(1, strongest);
    },
  };
}

const indexes = new WeakMap<ChunkingConfig, KeywordIndex>();

/** The keyword index of a resolved config (built once per config object). */
export function keywordIndex(config: ChunkingConfig): KeywordIndex {
  let index = indexes.get(config);
  if (index === undefined) {
    index = compile(config);
    indexes.set(config, index);
  }
  return index;
}

/** Whether a string reads as prose: at least four words. */
export function isNaturalText(text: string): boolean {
  if (text.length < 7) return false;
  let spaces = 0;
  for (let at = text.indexOf(' '); at >= 0 && spaces < 3; at = text.indexOf(' ', at + 1)) spaces += 1;
  return spaces >= 3;
}

function hasDigit(text: string): boolean {
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

function looksLikeIdentifier(text: string): boolean {
  return (
    text.length >= 6 &&
    text.indexOf(' ') < 0 &&
    (hasDigit(text) || text.includes('://') || text.includes('@'))
  );
}

/**
 * Meaning score (0–1) of one scalar leaf, the unit of `semantic_density`: prose or a value under a
 * semantic key 1; a number under a metric key 1, other numbers 0.7; short strings 0.7; identifiers
 * (entity keys, id-like strings) 0.3; booleans 0.4; null and empty strings 0.
 */
export function leafScore(value: string | number | boolean | null, keyClass: number): number {
  if (value === null) return 0;
  switch (typeof value) {
    case 'boolean':
      return 0.4;
    case 'number':
      if (keyClass & entityKey) return 0.3;
      return keyClass & metricKey ? 1 : 0.7;
    default:
      if (value.length === 0) return 0;
      if (keyClass & entityKey) return 0.3;
      if (keyClass & semanticKey || isNaturalText(value)) return 1;
      return looksLikeIdentifier(value) ? 0.3 : 0.7;
  }
}
