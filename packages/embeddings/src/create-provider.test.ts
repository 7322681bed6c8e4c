import { describe, expect, it } from 'vitest';
import { createProvider } from './create-provider.js';

describe('createProvider', () => {
  it('creates the local provider, with its default or a given size', () => {
    expect(createProvider({ provider: 'local' })).toMatchObject({
      provider: 'local',
      model: 'local-hash-v1',
      dimensions: 384,
    });
    expect(createProvider({ provider: 'local', dimensions: 64, model: 'local-hash-v1' }).dimensions).toBe(64);
  });

  it('refuses another model name for the local provider', () => {
    expect(() => createProvider({ provider: 'local', model: 'text-embedding-3-large' })).toThrowError(
      expect.objectContaining({ code: 'UNKNOWN_MODEL' }),
    );
  });

  it('creates the openai provider without needing a key until it embeds', () => {
    const provider = createProvider({ provider: 'openai', model: 'text-embedding-3-small', dimensions: 256 });
    expect(provider).toMatchObject({ provider: 'openai', model: 'text-embedding-3-small', dimensions: 256 });
    expect(createProvider({ provider: 'openai' })).toMatchObject({
      model: 'text-embedding-3-large',
      dimensions: 1536,
    });
  });

  it('names the choices for an unknown provider', () => {
    expect(() => createProvider({ provider: 'cohere' as 'local' })).toThrowError(
      expect.objectContaining({
        code: 'UNKNOWN_PROVIDER',
        message: expect.stringContaining('local, openai'),
      }),
    );
  });
});
