import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';
import { resolveGlobalOptions } from './global-options.js';

describe('resolveGlobalOptions: rate caps', () => {
  it('takes --rpm / --tpm, else DJE_REQUESTS_PER_MINUTE / DJE_TOKENS_PER_MINUTE, else no cap', () => {
    const env = readEnv({ DJE_REQUESTS_PER_MINUTE: '500', DJE_TOKENS_PER_MINUTE: ' 1000000 ' });
    expect(resolveGlobalOptions({ rpm: 60 }, env)).toMatchObject({
      requestsPerMinute: 60,
      tokensPerMinute: 1_000_000,
    });
    expect(resolveGlobalOptions({}, readEnv({}))).toMatchObject({
      requestsPerMinute: undefined,
      tokensPerMinute: undefined,
    });
  });

  it.each([
    ['DJE_REQUESTS_PER_MINUTE', '0'],
    ['DJE_REQUESTS_PER_MINUTE', '-5'],
    ['DJE_TOKENS_PER_MINUTE', '1.5'],
    ['DJE_TOKENS_PER_MINUTE', 'lots'],
  ])('rejects %s=%s with INVALID_ENVIRONMENT naming it', (variable, value) => {
    expect(() => resolveGlobalOptions({}, readEnv({ [variable]: value }))).toThrow(
      expect.objectContaining({ code: 'INVALID_ENVIRONMENT', details: { variable } }),
    );
  });
});
