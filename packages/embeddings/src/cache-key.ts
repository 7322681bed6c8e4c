import { createHash } from 'node:crypto';

export interface CacheKeyParts {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
  readonly text: string;
}

/**
 * `provider/model/dimensions/sha256(text)`. The parts are URI-encoded so `/` inside a model name
 * (`BAAI/bge-small-en`) cannot make two different models share a key.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const digest = createHash('sha256').update(parts.text, 'utf8').digest('hex');
  return `${encodeURIComponent(parts.provider)}/${encodeURIComponent(parts.model)}/${parts.dimensions}/${digest}`;
}
