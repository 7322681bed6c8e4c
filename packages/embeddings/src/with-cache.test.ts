import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey } from './cache-key.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { createLocalProvider } from './local-provider.js';
import { createMemoryCacheStore } from './memory-cache-store.js';
import { createOpenAIProvider } from './openai-provider.js';
import { startTestOpenAIServer, type TestOpenAIServer } from './testing/openai-server.js';
import { withCache } from './with-cache.js';

/** The real local provider, recording which texts reached it. */
function recorded(provider: EmbeddingProvider) {
  const calls: string[][] = [];
  const wrapped: EmbeddingProvider = {
    ...provider,
    embed: (texts, options) => {
      calls.push([...texts]);
      return provider.embed(texts, options);
    },
  };
  return { provider: wrapped, calls };
}

describe('withCache', () => {
  const local = createLocalProvider({ dimensions: 32 });

  it('sends only texts missing from the store to the provider', async () => {
    const { provider, calls } = recorded(local);
    const cached = withCache(provider, createMemoryCacheStore());
    expect(await cached.embed(['a', 'b', 'c'])).toEqual(await local.embed(['a', 'b', 'c']));
    expect(await cached.embed(['b', 'd', 'a'])).toEqual(await local.embed(['b', 'd', 'a']));
    expect(await cached.embed(['c', 'a'])).toEqual(await local.embed(['c', 'a']));
    expect(calls).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('embeds a repeated text once and hands out independent copies', async () => {
    const { provider, calls } = recorded(local);
    const [first, second] = await withCache(provider, createMemoryCacheStore()).embed(['same', 'same']);
    expect(calls).toEqual([['same']]);
    expect(first).toEqual(second);
    if (first) first[0] = 42;
    expect(second?.[0]).not.toBe(42);
  });

  it('stores under cacheKey, so providers with another model or size never share entries', async () => {
    const store = createMemoryCacheStore();
    await withCache(local, store).embed(['banner']);
    const key = cacheKey({ provider: 'local', model: local.model, dimensions: 32, text: 'banner' });
    expect((await store.get([key])).get(key)).toEqual((await local.embed(['banner']))[0]);

    const { provider: wider, calls } = recorded(createLocalProvider({ dimensions: 64 }));
    await withCache(wider, store).embed(['banner']);
    expect(calls).toEqual([['banner']]);
  });

  it('re-embeds and overwrites an entry of the wrong size', async () => {
    const store = createMemoryCacheStore();
    const key = cacheKey({ provider: 'local', model: local.model, dimensions: 32, text: 'banner' });
    await store.set(new Map([[key, new Float32Array(3)]]));
    const { provider, calls } = recorded(local);
    const [vector] = await withCache(provider, store).embed(['banner']);
    expect(calls).toEqual([['banner']]);
    expect(vector).toHaveLength(32);
    expect((await store.get([key])).get(key)).toHaveLength(32);
  });

  it('describes itself as the provider it wraps', () => {
    const cached = withCache(local, createMemoryCacheStore());
    expect(cached).toMatchObject({
      specificationVersion: 'v1',
      provider: 'local',
      model: local.model,
      dimensions: 32,
      maxInputsPerCall: local.maxInputsPerCall,
    });
    expect(cached.usage).toBeUndefined();
  });

  it('refuses empty text by its own index, before reading the store', async () => {
    await expect(withCache(local, createMemoryCacheStore()).embed(['x', ''])).rejects.toMatchObject({
      code: 'EMPTY_INPUT',
      details: { index: 1 },
    });
  });
});

describe('withCache in front of the openai provider', () => {
  let server: TestOpenAIServer;
  beforeEach(async () => {
    server = await startTestOpenAIServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('costs no requests for texts already embedded, and passes usage through', async () => {
    const openai = createOpenAIProvider({
      baseURL: server.baseURL,
      apiKey: 'k',
      model: 'text-embedding-3-small',
      dimensions: 8,
    });
    const cached = withCache(openai, createMemoryCacheStore());
    await cached.embed(['one', 'two']);
    const again = await cached.embed(['two', 'one']);
    expect(again).toEqual((await openai.embed(['two', 'one'])).map((vector) => vector));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.body.input).toEqual(['one', 'two']);
    expect(cached.usage?.()).toEqual(openai.usage?.());
  });

  it("names a too-long input by its index in the caller's texts, not among the misses", async () => {
    const openai = createOpenAIProvider({
      baseURL: server.baseURL,
      apiKey: 'k',
      dimensions: 8,
      model: 'text-embedding-3-small',
    });
    const cached = withCache(openai, createMemoryCacheStore());
    await cached.embed(['cached one', 'cached two']);
    const long = 'lorem ipsum dolor '.repeat(3_000);
    await expect(cached.embed(['cached one', 'new', 'cached two', long])).rejects.toMatchObject({
      code: 'INPUT_TOO_LONG',
      details: { index: 3 },
      message: expect.stringMatching(/^Input 3 /),
    });
  });
});
