import { describe, expect, it } from 'vitest';
import { createMemoryCacheStore } from './memory-cache-store.js';

describe('createMemoryCacheStore', () => {
  it('returns stored vectors and leaves absent keys out', async () => {
    const store = createMemoryCacheStore();
    await store.set(new Map([['a', new Float32Array([1, 2])]]));
    const found = await store.get(['a', 'missing']);
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')).toEqual(new Float32Array([1, 2]));
  });

  it('copies vectors in and out', async () => {
    const store = createMemoryCacheStore();
    const vector = new Float32Array([1, 2]);
    await store.set(new Map([['a', vector]]));
    vector[0] = 99;
    const first = (await store.get(['a'])).get('a');
    if (first) first[1] = 99;
    expect((await store.get(['a'])).get('a')).toEqual(new Float32Array([1, 2]));
  });

  it('evicts the least recently used entries beyond maxEntries', async () => {
    const store = createMemoryCacheStore({ maxEntries: 2 });
    await store.set(new Map([['a', new Float32Array([1])]]));
    await store.set(new Map([['b', new Float32Array([2])]]));
    await store.get(['a']);
    await store.set(new Map([['c', new Float32Array([3])]]));
    expect([...(await store.get(['a', 'b', 'c'])).keys()]).toEqual(['a', 'c']);
  });

  it('refuses a useless maxEntries', () => {
    expect(() => createMemoryCacheStore({ maxEntries: 0 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
