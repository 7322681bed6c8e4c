// The AI SDK bridge both ways, with the real `ai` and `@ai-sdk/openai` packages: an AI SDK model
// against the local OpenAI-compatible server as our provider, and our provider under `embedMany`.
import { createOpenAI } from '@ai-sdk/openai';
import { djeErrorOf } from '@dynamic-embeddings/testing';
import { embed, embedMany } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAiSdk } from './ai-sdk-model.js';
import { type AiSdkProviderOptions, fromAiSdk } from './ai-sdk-provider.js';
import { embedAll } from './embed-all.js';
import { createLocalProvider } from './local-provider.js';
import { fakeEmbedding, startTestOpenAIServer, type TestOpenAIServer } from './testing/openai-server.js';

const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

describe('fromAiSdk', () => {
  let server: TestOpenAIServer;
  let requestsBefore: number;
  beforeAll(async () => {
    // @ai-sdk/openai takes the vectors in response order, as OpenAI sends them.
    server = await startTestOpenAIServer({ inOrder: true });
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    requestsBefore = server.requests.length;
  });
  const sent = () => server.requests.slice(requestsBefore);

  function provider(options: Partial<AiSdkProviderOptions> = {}) {
    const openai = createOpenAI({ baseURL: server.baseURL, apiKey: 'test-key' });
    return fromAiSdk(openai.embedding('text-embedding-3-small'), {
      dimensions: 8,
      sendDimensions: true,
      retryBaseDelayMs: 1,
      ...options,
    });
  }

  it('embeds through the model, in input order, with its identity and limits', async () => {
    const bridged = provider();
    expect(bridged).toMatchObject({ provider: 'openai.embedding', model: 'text-embedding-3-small' });
    expect(bridged.maxInputsPerCall).toBe(2048);
    const vectors = await embedAll(bridged, texts);
    expect(vectors.map((vector) => Array.from(vector))).toEqual(
      texts.map((text) => Array.from(fakeEmbedding(text, 8))),
    );
    expect(sent()).toHaveLength(1);
    expect(sent()[0]?.body).toMatchObject({ model: 'text-embedding-3-small', input: texts, dimensions: 8 });
    expect(bridged.usage?.()).toEqual({ requests: 1, tokens: texts.join('').length });
  });

  it('packs requests by inputs and by token budget', async () => {
    await embedAll(provider({ maxInputsPerCall: 2 }), texts);
    expect(sent().map((request) => request.body.input?.length)).toEqual([2, 2, 1]);
    requestsBefore = server.requests.length;
    // Each text is one token: a budget of three tokens per request splits five texts 3 + 2.
    await provider({ maxTokensPerRequest: 3 }).embed(texts);
    expect(sent().map((request) => request.body.input?.length)).toEqual([3, 2]);
  });

  it('retries rate limits and outages, and gives up with a stable code', async () => {
    server.script(
      { kind: 'status', status: 429, headers: { 'retry-after-ms': '1' } },
      { kind: 'status', status: 503 },
    );
    const bridged = provider();
    expect(await bridged.embed(['alpha'])).toHaveLength(1);
    expect(sent().map((request) => request.reply)).toEqual(['status', 'status', 'ok']);
    expect(bridged.usage?.().requests).toBe(3);

    server.script(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503 })));
    const exhausted = await djeErrorOf(provider({ maxRetries: 2 }).embed(['alpha']));
    expect(exhausted.code).toBe('PROVIDER_UNAVAILABLE');
    expect(exhausted.details).toMatchObject({ attempts: 3, status: 503 });
  });

  it('does not retry what retrying cannot fix', async () => {
    server.script({ kind: 'status', status: 401 }, { kind: 'status', status: 400 });
    expect((await djeErrorOf(provider().embed(['alpha']))).code).toBe('PROVIDER_AUTH_FAILED');
    expect((await djeErrorOf(provider().embed(['alpha']))).code).toBe('PROVIDER_BAD_REQUEST');
    expect(sent()).toHaveLength(2);
  });

  it('refuses an input over the token limit and an empty input before sending anything', async () => {
    const tooLong = await djeErrorOf(
      provider({ maxTokensPerInput: 3 }).embed(['ok', 'one two three four five']),
    );
    expect(tooLong.code).toBe('INPUT_TOO_LONG');
    expect(tooLong.details).toMatchObject({ index: 1, limit: 3 });
    expect((await djeErrorOf(provider().embed(['ok', '']))).code).toBe('EMPTY_INPUT');
    expect((await djeErrorOf(Promise.resolve().then(() => provider({ dimensions: 0 })))).code).toBe(
      'INVALID_OPTION',
    );
    expect(sent()).toHaveLength(0);
  });

  it('is cancelled by its signal', async () => {
    server.script({ kind: 'stall' });
    const controller = new AbortController();
    const pending = provider().embed(['alpha'], { signal: controller.signal });
    while (sent().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect((await djeErrorOf(pending)).code).toBe('CANCELLED');
  });
});

describe('toAiSdk', () => {
  it("serves the AI SDK's embedMany and embed with our provider's vectors", async () => {
    const local = createLocalProvider();
    const model = toAiSdk(local);
    const { embeddings } = await embedMany({ model, values: texts, maxRetries: 0 });
    const expected = await embedAll(local, texts);
    expect(embeddings).toEqual(expected.map((vector) => Array.from(vector)));
    const { embedding } = await embed({ model, value: 'gamma', maxRetries: 0 });
    expect(embedding).toEqual(Array.from(expected[2] ?? []));
  });

  it('passes our errors through with their codes', async () => {
    const error = await djeErrorOf(
      embedMany({ model: toAiSdk(createLocalProvider()), values: ['a', ''], maxRetries: 0 }),
    );
    expect(error.code).toBe('EMPTY_INPUT');
  });
});
