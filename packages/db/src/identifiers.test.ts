import { describe, expect, it } from 'vitest';
import {
  assertIdentifier,
  boundedIdentifier,
  ident,
  isValidNamespaceName,
  MAX_IDENTIFIER_BYTES,
  validateNamespaceName,
} from './identifiers.js';
import { backupTableName, getTableName, indexNamesFor, isBackupTableName } from './table-names.js';
import { INVALID_NAMESPACE_NAMES } from './testing/records.js';

describe('validateNamespaceName', () => {
  it.each(INVALID_NAMESPACE_NAMES)('rejects %s with INVALID_NAMESPACE_NAME and the rule', (_label, name) => {
    expect(() => validateNamespaceName(name)).toThrow(
      expect.objectContaining({
        code: 'INVALID_NAMESPACE_NAME',
        message: expect.stringContaining('lowercase letters, digits and underscores'),
      }),
    );
    expect(isValidNamespaceName(name)).toBe(false);
  });

  it.each(['default', 'a', 'prod_2024', '_x', '9lives', 'a'.repeat(50), 'backupx', 'my_backup'])(
    'accepts %s',
    (name) => {
      expect(validateNamespaceName(name)).toBe(name);
      expect(getTableName(name)).toBe(`embeddings_${name}`);
    },
  );
});

describe('ident', () => {
  it('quotes valid identifiers and refuses anything else', () => {
    expect(ident('embeddings_x').getSQL().queryChunks).toHaveLength(1);
    for (const bad of ['x"; drop table y; --', 'Upper', '1starts_with_digit', 'a b', 'a'.repeat(64), '']) {
      expect(() => assertIdentifier(bad)).toThrow(expect.objectContaining({ code: 'INVALID_IDENTIFIER' }));
    }
  });
});

describe('derived names', () => {
  const longA = `${'n'.repeat(45)}aaaaa`;
  const longB = `${'n'.repeat(45)}bbbbb`;

  it('stay within 63 bytes and differ for long namespaces that share a prefix', () => {
    const names = [longA, longB].flatMap((namespace) =>
      Object.values(indexNamesFor(getTableName(namespace))),
    );
    for (const name of names) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keep short names readable', () => {
    expect(indexNamesFor('embeddings_docs')).toMatchObject({
      primaryKey: 'embeddings_docs_pkey',
      vector: 'embeddings_docs_vector_idx',
      chunkIdUnique: 'embeddings_docs_chunk_id_key',
    });
    expect(boundedIdentifier('short', '_suffix')).toBe('short_suffix');
  });

  it('name backups within 63 bytes, distinct per second, and recognisably', () => {
    const at = new Date('2024-05-06T07:08:09Z');
    const first = backupTableName(longA, at);
    const second = backupTableName(longA, new Date(at.getTime() + 1000));
    expect(Buffer.byteLength(first)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    expect(first).not.toBe(second);
    expect(first.endsWith('_20240506070809')).toBe(true);
    expect(isBackupTableName(first)).toBe(true);
    expect(isBackupTableName(getTableName('backupx'))).toBe(false);
    expect(backupTableName('docs', at)).toBe('embeddings_backup_docs_20240506070809');
  });
});
