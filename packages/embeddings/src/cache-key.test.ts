import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey } from './cache-key.js';

describe('cacheKey', () => {
  it('is provider/model/dimensions/sha256(text)', () => {
    const text = 'Mobile banner, Norway';
    const digest = createHash('sha256').update(text).digest('hex');
    expect(cacheKey({ provider: 'openai', model: 'text-embedding-3-large', dimensions: 1536, text })).toBe(
      `openai/text-embedding-3-large/1536/${digest}`,
    );
  });

  it('differs whenever any part differs, even with separators inside names', () => {
    const base = { provider: 'openai', model: 'text-embedding-3-small', dimensions: 512, text: 'x' };
    const keys = [
      base,
      { ...base, provider: 'local' },
      { ...base, model: 'text-embedding-3-large' },
      { ...base, dimensions: 256 },
      { ...base, text: 'y' },
      { ...base, provider: 'a/b', model: 'c' },
      { ...base, provider: 'a', model: 'b/c' },
    ].map(cacheKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
