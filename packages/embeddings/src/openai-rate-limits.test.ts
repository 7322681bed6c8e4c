// The provider's shared rate limiter, through real HTTP against the local OpenAI-compatible server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embedAll } from './embed-all.js';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';
import { fakeEmbedding, startTestOpenAIServer, type TestOpenAIServer } from './testing/openai-server.js';

let server: TestOpenAIServer;

beforeEach(async () => {
  server = await startTestOpenAIServer({ defaultDimensions: 8 });
});

afterEach(async () => {
  await server.close();
});

function provider(options: OpenAIProviderOptions = {}) {
  return createOpenAIProvider({
    baseURL: server.baseURL,
    apiKey: 'test-key',
    model: 'text-embedding-3-small',
    dimensions: 8,
    retryBaseDelayMs: 1,
    timeoutMs: 5_000,
    ...options,
  });
}

/** How many times each input came back in a successful answer. */
function successfulEmbeddings(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of server.requests) {
    if (request.reply !== 'ok') continue;
    for (const input of request.body.input ?? []) counts.set(input, (counts.get(input) ?? 0) + 1);
  }
  return counts;
}

// Timer slack: a timer may fire a little early by the clock that stamps receivedAt.
const slackMs = 5;

describe('createOpenAIProvider: one rate limiter for all requests', () => {
  it('pauses every request after a 429 for its retry-after, and embeds each input exactly once', async () => {
    const texts = Array.from(
      { length: 24 },
      (_, index) => `reading ${index}: sensor ${index % 5} at ${index}°C`,
    );
    server.script(
      { kind: 'status', status: 429, headers: { 'retry-after-ms': '400' } },
      ...Array.from({ length: 5 }, () => ({ kind: 'ok' as const, delayMs: 30 })),
      { kind: 'status', status: 429, headers: { 'retry-after': '0.3' } },
      ...Array.from({ length: 7 }, () => ({ kind: 'ok' as const, delayMs: 30 })),
    );
    const embedder = provider({ concurrency: 3, maxInputsPerRequest: 2 });
    const vectors = await embedAll(embedder, texts, { concurrency: 4 });

    expect(vectors).toEqual(texts.map((text) => fakeEmbedding(text, 8)));
    const counts = successfulEmbeddings();
    expect(counts.size).toBe(texts.length);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(server.requests.filter((request) => request.reply === 'status')).toHaveLength(2);
    expect(server.requests).toHaveLength(14);
    expect(server.maxConcurrent).toBeLessThanOrEqual(3);

    // At most two other requests were in flight when a 429 came back (three slots), so every request
    // from the third after it on was sent after the pause began and arrived after it ended.
    const requests = server.requests;
    for (const [index, request] of requests.entries()) {
      if (request.reply !== 'status') continue;
      const pause = index === 0 ? 400 : 300;
      const later = requests.slice(index + 3);
      expect(later.length).toBeGreaterThan(0);
      for (const next of later) {
        expect(next.receivedAt - request.receivedAt).toBeGreaterThanOrEqual(pause - slackMs);
      }
    }
  });

  it('waits for the reset x-ratelimit-reset-requests names when no requests are left', async () => {
    server.script({
      kind: 'ok',
      headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '300ms' },
    });
    const embedder = provider({ concurrency: 1, maxInputsPerRequest: 1 });
    await embedder.embed(['first', 'second', 'third']);
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(3);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(300 - slackMs);
  });

  it('waits for x-ratelimit-reset-tokens when the next request needs more tokens than are left', async () => {
    server.script({
      kind: 'ok',
      headers: { 'x-ratelimit-remaining-tokens': '2', 'x-ratelimit-reset-tokens': '0.25s' },
    });
    const embedder = provider({ concurrency: 1, maxInputsPerRequest: 1 });
    await embedder.embed(['one two three four', 'five six seven eight']);
    const [first, second] = server.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(250 - slackMs);
  });

  it.each([
    ['requestsPerMinute', 0],
    ['requestsPerMinute', 1.5],
    ['tokensPerMinute', -1],
  ] as const)('rejects %s = %d with INVALID_OPTION naming it', (name, value) => {
    let caught: unknown;
    try {
      provider({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_OPTION', details: { option: name, value } });
  });
});
