import { createError } from '@dynamic-embeddings/core';
import { describe, expect, it } from 'vitest';
import { delay } from './cancellation.js';
import { embedAll } from './embed-all.js';
import type { EmbeddingProvider, EmbedOptions } from './embedding-provider.js';
import { createLocalProvider } from './local-provider.js';

const local = createLocalProvider({ dimensions: 16 });

interface Call {
  readonly texts: readonly string[];
  signal: AbortSignal | undefined;
}

/**
 * A provider with small batches whose calls take `latency(call number)` ms, recording every call
 * and how many ran at once; vectors come from the real local provider.
 */
function slowProvider(options: {
  maxInputsPerCall: number;
  latency?: (call: number) => number;
  fail?: (texts: readonly string[]) => unknown;
}) {
  const calls: Call[] = [];
  let running = 0;
  let maxRunning = 0;
  const provider: EmbeddingProvider = {
    ...local,
    maxInputsPerCall: options.maxInputsPerCall,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions) {
      const call: Call = { texts, signal: embedOptions?.signal };
      calls.push(call);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        await delay(options.latency?.(calls.length - 1) ?? 0, embedOptions?.signal);
        const failure = options.fail?.(texts);
        if (failure !== undefined) throw failure;
        return await local.embed(texts);
      } finally {
        running--;
      }
    },
  };
  return { provider, calls, maxRunning: () => maxRunning };
}

const texts = Array.from({ length: 10 }, (_, index) => `campaign ${index} banner Norway`);

describe('embedAll', () => {
  it('batches by maxInputsPerCall and keeps input order when batches finish out of order', async () => {
    const { provider, calls } = slowProvider({ maxInputsPerCall: 3, latency: (call) => 40 - call * 10 });
    const vectors = await embedAll(provider, texts);
    expect(vectors).toEqual(await local.embed(texts));
    expect(calls.map((call) => call.texts.length)).toEqual([3, 3, 3, 1]);
  });

  it('runs at most `concurrency` batches at once', async () => {
    const { provider, maxRunning } = slowProvider({ maxInputsPerCall: 1, latency: () => 10 });
    await embedAll(provider, texts, { concurrency: 3 });
    expect(maxRunning()).toBe(3);
  });

  it('splits a call that fits one request into enough requests of 512+ inputs to use the concurrency', async () => {
    const many = Array.from({ length: 1500 }, (_, index) => `reading ${index}`);
    const { provider, calls, maxRunning } = slowProvider({ maxInputsPerCall: 2048, latency: () => 20 });
    const vectors = await embedAll(provider, many, { concurrency: 4 });
    // ⌈1,500 ÷ 512⌉ = 3 requests (LangChain's count), all at once; never below 512 a request but the last.
    expect(calls.map((call) => call.texts.length)).toEqual([500, 500, 500]);
    expect(maxRunning()).toBe(3);
    expect(vectors[1234]).toEqual((await local.embed([many[1234] ?? '']))[0]);
    const few = slowProvider({ maxInputsPerCall: 2048 });
    await embedAll(few.provider, many.slice(0, 512), { concurrency: 4 });
    expect(few.calls.map((call) => call.texts.length)).toEqual([512]);
  });

  it('reports progress after every batch', async () => {
    const { provider } = slowProvider({ maxInputsPerCall: 4 });
    const progress: { done: number; total: number }[] = [];
    await embedAll(provider, texts, { concurrency: 1, onProgress: (update) => progress.push(update) });
    expect(progress).toEqual([
      { done: 4, total: 10 },
      { done: 8, total: 10 },
      { done: 10, total: 10 },
    ]);
  });

  it('stops at the first failure and aborts the batches still running', async () => {
    const broken = createError({ code: 'PROVIDER_UNAVAILABLE', message: 'down' });
    const { provider, calls } = slowProvider({
      maxInputsPerCall: 2,
      latency: (call) => (call === 1 ? 5 : 200),
      fail: (batch) => (batch.includes(texts[2] ?? '') ? broken : undefined),
    });
    await expect(embedAll(provider, texts, { concurrency: 2 })).rejects.toBe(broken);
    // The first batch was running when the second failed; it was told to stop, and nothing new started.
    expect(calls).toHaveLength(2);
    expect(calls[0]?.signal?.aborted).toBe(true);
  });

  it('cancels with CANCELLED when the caller aborts', async () => {
    const controller = new AbortController();
    const { provider, calls } = slowProvider({ maxInputsPerCall: 2, latency: () => 20 });
    const pending = embedAll(provider, texts, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 2) controller.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED', kind: 'cancelled' });
    expect(calls).toHaveLength(1);
    await expect(embedAll(provider, texts, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it("names a bad input by its index in the caller's texts", async () => {
    const many = Array.from({ length: 2_100 }, (_, index) => `text ${index}`);
    many[2_049] = '';
    const error = await embedAll(createLocalProvider(), many).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'EMPTY_INPUT', details: { index: 2_049 } });
    expect((error as Error).message).toMatch(/^Input 2049 /);
  });

  it("re-indexes other providers' input errors in their details", async () => {
    const { provider } = slowProvider({
      maxInputsPerCall: 4,
      fail: (batch) => {
        const index = batch.indexOf(texts[6] ?? '');
        return index === -1
          ? undefined
          : createError({ code: 'PROVIDER_BAD_REQUEST', message: 'refused', details: { index } });
      },
    });
    await expect(embedAll(provider, texts, { concurrency: 1 })).rejects.toMatchObject({
      code: 'PROVIDER_BAD_REQUEST',
      details: { index: 6 },
    });
  });

  it('rejects a provider that returns the wrong number or size of vectors', async () => {
    const short: EmbeddingProvider = {
      ...local,
      embed: async (batch) => (await local.embed(batch)).slice(1),
    };
    await expect(embedAll(short, texts)).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE' });
    const wide: EmbeddingProvider = {
      ...local,
      embed: async (batch) => batch.map(() => new Float32Array(17)),
    };
    await expect(embedAll(wide, texts)).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE' });
  });

  it('returns nothing for no texts and refuses a useless concurrency', async () => {
    const { provider, calls } = slowProvider({ maxInputsPerCall: 2 });
    expect(await embedAll(provider, [])).toEqual([]);
    expect(calls).toHaveLength(0);
    await expect(embedAll(provider, texts, { concurrency: 0 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});
