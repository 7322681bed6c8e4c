import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';
import { resolveLimits } from './server-limits.js';

describe('readEnv', () => {
  it('fills in defaults and parses numbers', () => {
    const env = readEnv({ PORT: '9000', DJE_MAX_BODY_BYTES: '2048', DJE_API_KEYS: ' k1:*:rw ' });
    expect(env.PORT).toBe(9000);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.DJE_MAX_BODY_BYTES).toBe(2048);
    expect(env.DJE_API_KEYS).toBe('k1:*:rw');
    expect(readEnv({}).PORT).toBe(8080);
    expect(readEnv({ DJE_INDEX_BUILD_MEMORY_MB: '0' }).DJE_INDEX_BUILD_MEMORY_MB).toBe(0);
    expect(readEnv({ DJE_INDEX_BUILD_MEMORY_MB: '2048' }).DJE_INDEX_BUILD_MEMORY_MB).toBe(2048);
    expect(readEnv({}).DJE_INDEX_BUILD_MEMORY_MB).toBeUndefined();
    expect(readEnv({ DJE_REQUESTS_PER_MINUTE: '3500', DJE_TOKENS_PER_MINUTE: '1000000' })).toMatchObject({
      DJE_REQUESTS_PER_MINUTE: 3500,
      DJE_TOKENS_PER_MINUTE: 1_000_000,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DJE_PROVIDER: 'cohere' }, 'DJE_PROVIDER'],
    [{ DJE_EMBEDDING_CONCURRENCY: '0' }, 'DJE_EMBEDDING_CONCURRENCY'],
    [{ DJE_INDEX_BUILD_MEMORY_MB: '1GB' }, 'DJE_INDEX_BUILD_MEMORY_MB'],
    [{ DJE_INDEX_BUILD_MEMORY_MB: '-1' }, 'DJE_INDEX_BUILD_MEMORY_MB'],
    [{ DJE_REQUESTS_PER_MINUTE: '0' }, 'DJE_REQUESTS_PER_MINUTE'],
    [{ DJE_TOKENS_PER_MINUTE: '1e6' }, 'DJE_TOKENS_PER_MINUTE'],
    [{ DJE_API_KEYS: 'k1:*:rw', DJE_API_KEYS_FILE: '/keys' }, 'DJE_API_KEYS_FILE'],
  ])('rejects %j naming %s', (source, variable) => {
    expect(() => readEnv(source)).toThrow(
      expect.objectContaining({ code: 'INVALID_ENVIRONMENT', details: { variable } }),
    );
  });
});

describe('resolveLimits', () => {
  it('keeps defaults for what is not given', () => {
    const limits = resolveLimits({ jsonBodyBytes: 1024 });
    expect(limits.jsonBodyBytes).toBe(1024);
    expect(limits.ndjsonLineBytes).toBe(1024 * 1024);
  });

  it('names an invalid or unknown limit', () => {
    expect(() => resolveLimits({ embeddingConcurrency: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_LIMITS', details: { field: 'embeddingConcurrency' } }),
    );
    expect(() => resolveLimits({ bodyBytes: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_LIMITS', details: { field: 'bodyBytes' } }),
    );
  });
});
