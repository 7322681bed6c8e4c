import { describe, expect, it } from 'vitest';
import { fnv1aByte, fnv1aString, fnvOffsetBasis, mix32 } from './fnv1a.js';

function fnv1aOfBytes(bytes: Uint8Array): number {
  return bytes.reduce((hash, byte) => fnv1aByte(hash, byte), fnvOffsetBasis);
}

describe('fnv1aString', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv).
    expect(fnv1aString(fnvOffsetBasis, '')).toBe(0x811c9dc5);
    expect(fnv1aString(fnvOffsetBasis, 'a')).toBe(0xe40c292c);
    expect(fnv1aString(fnvOffsetBasis, 'foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of any text, lone surrogates as U+FFFD', () => {
    for (const text of ['café', 'Tromsø', '数据', '🚀 launch', 'a\uD800b', '\uDC00']) {
      expect(fnv1aString(fnvOffsetBasis, text)).toBe(fnv1aOfBytes(new TextEncoder().encode(text)));
    }
  });

  it('continues a hash, so prefixes need no string building', () => {
    expect(fnv1aString(fnv1aString(fnvOffsetBasis, 'w:'), 'banner')).toBe(
      fnv1aString(fnvOffsetBasis, 'w:banner'),
    );
  });
});

describe('mix32', () => {
  it('spreads hashes that differ in one bit over many bits', () => {
    const differing = (mix32(0x1234) ^ mix32(0x1235)).toString(2).replaceAll('0', '').length;
    expect(differing).toBeGreaterThan(8);
    expect(mix32(0)).toBe(0);
    expect(mix32(0xffffffff)).toBeGreaterThanOrEqual(0);
  });
});
