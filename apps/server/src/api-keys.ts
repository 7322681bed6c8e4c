// API keys: the `KEY:NAMESPACES:ACCESS` format, and a lookup that takes the same time whichever
// key (if any) matches, so response timing cannot be used to guess keys.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createError, DjeError, type ErrorFacts } from '@dynamic-embeddings/core';
import { validateNamespaceName } from '@dynamic-embeddings/pipeline';

export type ApiKeyAccess = 'r' | 'rw';

export interface ApiKey {
  /** The secret clients send as `Authorization: Bearer KEY`. */
  readonly key: string;
  /** `*` for every namespace, else the namespaces the key may use. */
  readonly namespaces: '*' | readonly string[];
  /** `r`: read and search; `rw`: also write and delete. */
  readonly access: ApiKeyAccess;
}

export interface KeyRing {
  /** The configured key equal to `presented`, compared in constant time; undefined when none is. */
  find(presented: string): ApiKey | undefined;
}

const keyPattern = /^[^\s:,|]+$/;

/** INVALID_API_KEYS: the configured keys cannot be used; the server does not start. */
export function invalidApiKeys(message: string, facts: ErrorFacts): DjeError {
  return createError({ code: 'INVALID_API_KEYS', message, ...facts });
}

function invalidEntry(position: number, why: string, details: Record<string, unknown> = {}): DjeError {
  // The entry itself is never part of the message: it contains the secret.
  return invalidApiKeys(
    `API key entry ${position} is invalid: ${why}. Each entry is KEY:NAMESPACES:ACCESS, where NAMESPACES is * or ns1|ns2 and ACCESS is r or rw (e.g. k1:*:rw,k2:tenant_a|tenant_b:r).`,
    { details: { entry: position, ...details } },
  );
}

/**
 * Parses `KEY:NAMESPACES:ACCESS` entries separated by commas or newlines (blank entries and lines
 * starting with `#` are skipped). An invalid entry is an INVALID_API_KEYS error naming its position
 * (1 = first entry), never its text.
 */
export function parseApiKeys(text: string): ApiKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const position = index + 1;
    const parts = entry.split(':');
    if (parts.length !== 3)
      throw invalidEntry(position, `it has ${parts.length} colon-separated parts, not 3`);
    const [key = '', namespaces = '', access = ''] = parts;
    if (!keyPattern.test(key)) {
      throw invalidEntry(position, 'the key is empty or contains whitespace, ":", "," or "|"');
    }
    const firstPosition = seen.get(key);
    if (firstPosition !== undefined)
      throw invalidEntry(position, `it repeats the key of entry ${firstPosition}`);
    seen.set(key, position);
    if (access !== 'r' && access !== 'rw') {
      throw invalidEntry(position, `the access is "${access}", not r or rw`, { access });
    }
    if (namespaces === '*') return { key, namespaces, access };
    const names = namespaces.split('|');
    for (const name of names) {
      try {
        validateNamespaceName(name);
      } catch (error) {
        const why = DjeError.isInstance(error) ? error.message : String(error);
        throw invalidEntry(position, `it names an invalid namespace (${why})`, { namespace: name });
      }
    }
    return { key, namespaces: [...new Set(names)], access };
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function createKeyRing(keys: readonly ApiKey[]): KeyRing {
  // Comparing fixed-length digests makes timingSafeEqual applicable whatever the key lengths, and
  // checking every entry (no early exit) keeps the time independent of which one matches.
  const entries = keys.map((apiKey) => ({ apiKey, digest: digest(apiKey.key) }));
  return {
    find(presented) {
      const presentedDigest = digest(presented);
      let match: ApiKey | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(entry.digest, presentedDigest) && match === undefined) match = entry.apiKey;
      }
      return match;
    },
  };
}

/** Whether the key may use `namespace` (reads), and write to it when `write` is set. */
export function keyAllows(
  apiKey: ApiKey,
  options: { readonly namespace: string; readonly write: boolean },
): boolean {
  if (options.write && apiKey.access !== 'rw') return false;
  return apiKey.namespaces === '*' || apiKey.namespaces.includes(options.namespace);
}
