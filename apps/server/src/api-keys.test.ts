import { DjeError } from '@dynamic-embeddings/core';
import { describe, expect, it } from 'vitest';
import { createKeyRing, keyAllows, parseApiKeys } from './api-keys.js';

function parseError(text: string): DjeError {
  try {
    parseApiKeys(text);
  } catch (error) {
    if (DjeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected parseApiKeys to throw');
}

describe('parseApiKeys', () => {
  it('reads comma- and newline-separated KEY:NAMESPACES:ACCESS entries', () => {
    expect(parseApiKeys('k1:*:rw, k2:tenant_a|tenant_b:r\n# a comment\n\nk3:tenant_c:rw\n')).toEqual([
      { key: 'k1', namespaces: '*', access: 'rw' },
      { key: 'k2', namespaces: ['tenant_a', 'tenant_b'], access: 'r' },
      { key: 'k3', namespaces: ['tenant_c'], access: 'rw' },
    ]);
    expect(parseApiKeys('')).toEqual([]);
  });

  it.each([
    ['k1:*:rw,secret-two:*', 2, /2 colon-separated parts/],
    ['k1:*:rw,secret-two:*:admin', 2, /access is "admin"/],
    ['secret-one:Tenant-A:rw', 1, /invalid namespace/],
    ['secret-one:tenant_a||tenant_b:r', 1, /invalid namespace/],
    ['k1:*:rw\nk2:*:r\nk1:*:r', 3, /repeats the key of entry 1/],
    [':*:rw', 1, /key is empty/],
  ])('rejects %j at entry %i without echoing any key', (text, entry, reason) => {
    const error = parseError(text);
    expect(error.code).toBe('INVALID_API_KEYS');
    expect(error.details?.entry).toBe(entry);
    expect(error.message).toMatch(reason);
    const serialised = JSON.stringify(error.toJSON());
    for (const secret of ['secret-one', 'secret-two']) expect(serialised).not.toContain(secret);
  });
});

describe('createKeyRing', () => {
  const keys = parseApiKeys('alpha-key:*:rw,beta-key:tenant_a:r,b:tenant_b:rw');
  const ring = createKeyRing(keys);

  it('finds exactly the key presented, whatever the lengths', () => {
    expect(ring.find('beta-key')).toBe(keys[1]);
    expect(ring.find('b')).toBe(keys[2]);
    expect(ring.find('alpha-key')).toBe(keys[0]);
    expect(ring.find('beta-ke')).toBeUndefined();
    expect(ring.find('beta-key ')).toBeUndefined();
    expect(ring.find('')).toBeUndefined();
  });

  it('decides access by namespace and by r/rw', () => {
    const [admin, reader, writer] = keys;
    if (admin === undefined || reader === undefined || writer === undefined) throw new Error('keys');
    expect(keyAllows(admin, { namespace: 'anything', write: true })).toBe(true);
    expect(keyAllows(reader, { namespace: 'tenant_a', write: false })).toBe(true);
    expect(keyAllows(reader, { namespace: 'tenant_a', write: true })).toBe(false);
    expect(keyAllows(reader, { namespace: 'tenant_b', write: false })).toBe(false);
    expect(keyAllows(writer, { namespace: 'tenant_b', write: true })).toBe(true);
  });
});
