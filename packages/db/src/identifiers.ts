// The one place SQL identifiers are validated and quoted. Every table, index and column name that
// reaches SQL text goes through `ident`; user-supplied values never do (they are parameters).
import { createHash } from 'node:crypto';
import { createError } from '@dynamic-embeddings/core';
import { type SQL, sql } from 'drizzle-orm';

/** PostgreSQL silently truncates identifiers longer than this many bytes. */
export const MAX_IDENTIFIER_BYTES = 63;
export const MAX_NAMESPACE_LENGTH = 50;
export const RESERVED_NAMESPACES: readonly string[] = ['backup', 'temp', 'tmp', 'system', 'admin'];
export const NAMESPACE_TABLE_PREFIX = 'embeddings_';
/** Backup tables are `embeddings_backup_…`, so no namespace may start with `backup_`. */
export const BACKUP_TABLE_PREFIX = `${NAMESPACE_TABLE_PREFIX}backup_`;

const namespacePattern = /^[a-z0-9_]+$/;
const identifierPattern = /^[a-z_][a-z0-9_]*$/;

/** Throws INVALID_NAMESPACE_NAME unless `namespace` follows the naming rules; returns it unchanged. */
export function validateNamespaceName(namespace: unknown): string {
  const fail = (why: string): never => {
    throw createError({
      code: 'INVALID_NAMESPACE_NAME',
      message: `Invalid namespace name ${JSON.stringify(namespace)}: ${why}. Namespace names are 1–${MAX_NAMESPACE_LENGTH} characters of lowercase letters, digits and underscores, and not one of ${RESERVED_NAMESPACES.join(', ')} (nor start with "backup_").`,
      details: { namespace },
    });
  };
  if (typeof namespace !== 'string') return fail('it is not a string');
  if (namespace.length === 0) return fail('it is empty');
  if (namespace.length > MAX_NAMESPACE_LENGTH)
    return fail(`it is longer than ${MAX_NAMESPACE_LENGTH} characters`);
  if (!namespacePattern.test(namespace)) return fail('it may only contain a-z, 0-9 and _');
  if (RESERVED_NAMESPACES.includes(namespace)) return fail('it is a reserved name');
  if (namespace.startsWith('backup_'))
    return fail('names starting with "backup_" would collide with backup tables');
  return namespace;
}

/** True when the name follows the namespace rules. */
export function isValidNamespaceName(namespace: unknown): boolean {
  try {
    validateNamespaceName(namespace);
    return true;
  } catch {
    return false;
  }
}

/** Validates a generated identifier (table, index, column) and returns it quoted as SQL. */
export function ident(name: string): SQL {
  assertIdentifier(name);
  return sql.raw(`"${name}"`);
}

/** Throws INVALID_IDENTIFIER unless `name` is a plain lowercase identifier of at most 63 bytes. */
export function assertIdentifier(name: string): void {
  if (!identifierPattern.test(name) || Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw createError({
      code: 'INVALID_IDENTIFIER',
      message: `Refusing to use ${JSON.stringify(name)} as an SQL identifier: identifiers must match ${identifierPattern} and be at most ${MAX_IDENTIFIER_BYTES} bytes.`,
      details: { identifier: name },
    });
  }
}

/**
 * `${base}${suffix}` when it fits in 63 bytes; otherwise `base` is cut and an 8-hex-digit hash of the
 * full name is inserted, so two long names that share a prefix still get distinct identifiers.
 */
export function boundedIdentifier(base: string, suffix = ''): string {
  const full = `${base}${suffix}`;
  if (Buffer.byteLength(full) <= MAX_IDENTIFIER_BYTES) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const room = MAX_IDENTIFIER_BYTES - suffix.length - hash.length - 1;
  return `${base.slice(0, room)}_${hash}${suffix}`;
}
