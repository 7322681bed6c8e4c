import { djeErrorOf } from '@dynamic-embeddings/testing';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { embedAll } from './embed-all.js';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';
import { fakeEmbedding, startTestOpenAIServer, type TestOpenAIServer } from './testing/openai-server.js';

const tokenizer = new Tiktoken(cl100k);
const countTokens = (text: string) => tokenizer.encode(text).length;

let server: TestOpenAIServer;

beforeEach(async () => {
  server = await startTestOpenAIServer();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

function provider(options: OpenAIProviderOptions = {}) {
  return createOpenAIProvider({
    baseURL: server.baseURL,
    apiKey: 'test-key',
    retryBaseDelayMs: 1,
    timeoutMs: 5_000,
    ...options,
  });
}

/** The inputs of each recorded request, in input order (concurrent requests arrive in any order). */
function batchesInInputOrder(texts: readonly string[]): string[][] {
  return server.requests
    .map((request) => request.body.input ?? [])
    .sort((left, right) => texts.indexOf(left[0] ?? '') - texts.indexOf(right[0] ?? ''));
}

const campaignTexts = [
  'campaign: Spring sale Norway; format: mobile banner; ctr: 3.2%',
  'campaign: Black Friday Sweden; format: video; ctr: 1.1%',
  'device: thermostat; firmware: 3.4; battery: 81%',
  'invoice 2231 overdue by 42 days',
  'trail: Preikestolen; length: 8 km; elevation: 604 m',
];

describe('createOpenAIProvider: request shape and ordering', () => {
  it('returns vectors in input order although the server scrambles the data items', async () => {
    const vectors = await provider().embed(campaignTexts);
    expect(vectors).toHaveLength(campaignTexts.length);
    campaignTexts.forEach((text, index) => {
      expect(vectors[index]).toEqual(fakeEmbedding(text, 1536));
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/embeddings');
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(request?.body).toEqual({
      model: 'text-embedding-3-large',
      input: campaignTexts,
      encoding_format: 'base64',
      dimensions: 1536,
    });
  });

  it('sends dimensions to text-embedding-3 models', async () => {
    const vectors = await provider({ model: 'text-embedding-3-small', dimensions: 512 }).embed(['hello']);
    expect(vectors[0]).toEqual(fakeEmbedding('hello', 512));
    expect(server.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 512 });
  });

  it('sends no dimensions to text-embedding-ada-002 and expects its fixed 1536', async () => {
    const ada = provider({ model: 'text-embedding-ada-002' });
    expect(ada.dimensions).toBe(1536);
    const vectors = await ada.embed(['hello']);
    expect(vectors[0]).toHaveLength(1536);
    expect(server.requests[0]?.body.model).toBe('text-embedding-ada-002');
    expect(server.requests[0]?.body).not.toHaveProperty('dimensions');
  });

  it('sends no dimensions to other models and checks the size they answer with', async () => {
    await server.close();
    server = await startTestOpenAIServer({ defaultDimensions: 768 });
    const nomic = provider({ model: 'nomic-embed-text', dimensions: 768 });
    expect((await nomic.embed(['hello']))[0]).toEqual(fakeEmbedding('hello', 768));
    expect(server.requests[0]?.body).not.toHaveProperty('dimensions');

    const error = await djeErrorOf(provider({ model: 'nomic-embed-text' }).embed(['hello']));
    expect(error.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(error.message).toContain('dimensions: 768');
    expect(error.details).toMatchObject({ expected: 1536, received: 768 });
  });

  it('accepts float arrays from a server that ignores encoding_format', async () => {
    server.script({ kind: 'ok', encoding: 'float' });
    const vectors = await provider().embed(campaignTexts);
    campaignTexts.forEach((text, index) => {
      expect(vectors[index]).toEqual(fakeEmbedding(text, 1536));
    });
  });

  it('rejects dimensions a model cannot produce, before any request', () => {
    for (const options of [
      { model: 'text-embedding-ada-002', dimensions: 512 },
      { model: 'text-embedding-3-small', dimensions: 2048 },
      { model: 'text-embedding-3-large', dimensions: 4096 },
      { dimensions: 0 },
      { dimensions: 1.5 },
    ]) {
      expect(() => provider(options)).toThrowError(expect.objectContaining({ code: 'INVALID_DIMENSIONS' }));
    }
    expect(server.requests).toHaveLength(0);
  });

  it('rejects unusable numeric options', () => {
    for (const options of [
      { concurrency: 0 },
      { maxRetries: -1 },
      { timeoutMs: 0 },
      { maxTokensPerRequest: 0.5 },
    ]) {
      expect(() => provider(options)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });
});

describe('createOpenAIProvider: batching', () => {
  it('packs inputs into requests within the token budget, as few as the budget allows', async () => {
    const sizes = [120, 40, 300, 90, 260, 10, 500, 75, 180, 220, 60, 330, 15, 140];
    const texts = sizes.map((words, index) => `item ${index}: ${'banner click '.repeat(words)}`.trim());
    const budget = 1_000;
    const vectors = await provider({
      maxTokensPerRequest: budget,
      model: 'text-embedding-3-small',
      dimensions: 8,
    }).embed(texts);
    texts.forEach((text, index) => {
      expect(vectors[index]).toEqual(fakeEmbedding(text, 8));
    });
    const batches = batchesInInputOrder(texts);
    // Requests are contiguous runs of the input.
    expect(batches.flat()).toEqual(texts);
    const tokens = batches.map((batch) => batch.reduce((sum, text) => sum + countTokens(text), 0));
    // Only an input that alone exceeds the budget (item 6, 500 × "banner click") may go over it, alone.
    expect(countTokens(texts[6] ?? '')).toBeGreaterThan(budget);
    batches.forEach((batch, index) => {
      if (batch.length > 1) expect(tokens[index]).toBeLessThanOrEqual(budget);
      else if ((tokens[index] ?? 0) > budget) expect(batch).toEqual([texts[6]]);
    });
    // Greedy packing: the next request's first input would not have fitted into the previous one.
    for (let index = 1; index < batches.length; index++) {
      expect((tokens[index - 1] ?? 0) + countTokens(batches[index]?.[0] ?? '')).toBeGreaterThan(budget);
    }
    expect(batches.length).toBeGreaterThan(3);
  });

  it('never sends more than 2048 inputs in one request', async () => {
    const texts = Array.from({ length: 5_000 }, (_, index) => `chunk ${index}`);
    const embedder = provider({ model: 'text-embedding-3-small', dimensions: 4 });
    const vectors = await embedAll(embedder, texts);
    expect(vectors[4_321]).toEqual(fakeEmbedding('chunk 4321', 4));
    const sizes = server.requests.map((request) => request.body.input?.length ?? 0);
    // Three requests would do (2,048 each at most); embedAll spreads the texts over the default
    // concurrency of 4 instead: four requests of 1,250 at once.
    expect(sizes).toEqual([1250, 1250, 1250, 1250]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2048);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(5_000);
    expect(batchesInInputOrder(texts).flat()).toEqual(texts);
    expect(embedder.usage?.()).toEqual({
      requests: server.requests.length,
      tokens: texts.reduce((sum, text) => sum + text.length, 0),
    });
  });

  it('sends at most maxInputsPerRequest inputs per request when a server needs smaller batches', async () => {
    const texts = Array.from({ length: 100 }, (_, index) => `chunk ${index}`);
    const vectors = await provider({
      maxInputsPerRequest: 32,
      dimensions: 4,
      model: 'text-embedding-3-small',
    }).embed(texts);
    expect(vectors[99]).toEqual(fakeEmbedding('chunk 99', 4));
    expect(batchesInInputOrder(texts).map((batch) => batch.length)).toEqual([32, 32, 32, 4]);
    expect(() => provider({ maxInputsPerRequest: 2049 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('rejects more than maxInputsPerCall texts in one embed call', async () => {
    const error = await djeErrorOf(provider().embed(Array.from({ length: 2049 }, () => 'x')));
    expect(error.code).toBe('TOO_MANY_INPUTS');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an input above 8191 tokens, naming it, and sends nothing', async () => {
    const long = `overlong ${'lorem ipsum dolor '.repeat(3_000)}`;
    expect(countTokens(long)).toBeGreaterThan(8191);
    const error = await djeErrorOf(provider().embed(['short', 'also short', long]));
    expect(error.code).toBe('INPUT_TOO_LONG');
    expect(error.kind).toBe('validation');
    expect(error.details).toMatchObject({ index: 2, limit: 8191, tokens: countTokens(long) });
    expect(error.message).toContain('Input 2 ("overlong lorem ipsum');
    expect(server.requests).toHaveLength(0);
  });

  it('names a too-long input by its position in the whole embedAll call', async () => {
    const texts = Array.from({ length: 2_100 }, (_, index) => `chunk ${index}`);
    texts[2_077] = 'lorem ipsum dolor '.repeat(3_000);
    const error = await djeErrorOf(
      embedAll(provider({ dimensions: 4, model: 'text-embedding-3-small' }), texts),
    );
    expect(error.code).toBe('INPUT_TOO_LONG');
    expect(error.details?.index).toBe(2_077);
    expect(error.message).toMatch(/^Input 2077 /);
  });

  it('refuses empty text before sending anything', async () => {
    const error = await djeErrorOf(provider().embed(['fine', '']));
    expect(error.code).toBe('EMPTY_INPUT');
    expect(error.details?.index).toBe(1);
    expect(server.requests).toHaveLength(0);
  });

  it('limits requests in flight across embed calls to `concurrency`', async () => {
    server.script(...Array.from({ length: 12 }, () => ({ kind: 'ok' as const, delayMs: 40 })));
    const embedder = provider({
      concurrency: 2,
      maxTokensPerRequest: 5,
      dimensions: 4,
      model: 'text-embedding-3-small',
    });
    const texts = Array.from({ length: 6 }, (_, index) => `one two three four ${index}`);
    const [first, second] = await Promise.all([embedder.embed(texts), embedder.embed(texts.toReversed())]);
    expect(first?.[5]).toEqual(fakeEmbedding(texts[5] ?? '', 4));
    expect(second?.[0]).toEqual(fakeEmbedding(texts[5] ?? '', 4));
    expect(server.requests).toHaveLength(12);
    expect(server.maxConcurrent).toBe(2);
  });
});

describe('createOpenAIProvider: retries', () => {
  it('waits as long as retry-after-ms asks after a 429, then succeeds', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } });
    const embedder = provider();
    const vectors = await embedder.embed(['hello']);
    expect(vectors[0]).toEqual(fakeEmbedding('hello', 1536));
    expect(server.requests.map((request) => request.reply)).toEqual(['status', 'ok']);
    const [first, second] = server.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(295);
    expect(embedder.usage?.()).toEqual({ requests: 2, tokens: 5 });
  });

  it('honours Retry-After in seconds', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    await provider().embed(['hello']);
    const [first, second] = server.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(995);
  });

  it('gives up at once when the server asks for a wait of an hour', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    const error = await djeErrorOf(provider().embed(['hello']));
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx and resets with backoff until one succeeds', async () => {
    server.script(
      { kind: 'status', status: 500 },
      { kind: 'reset' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 502 },
    );
    const embedder = provider({ maxRetries: 4 });
    expect((await embedder.embed(['hello']))[0]).toEqual(fakeEmbedding('hello', 1536));
    expect(server.requests.map((request) => request.reply)).toEqual([
      'status',
      'reset',
      'status',
      'status',
      'ok',
    ]);
    expect(embedder.usage?.().requests).toBe(5);
  });

  it('stops after maxRetries + 1 attempts with PROVIDER_UNAVAILABLE', async () => {
    server.script(...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 500 })));
    const error = await djeErrorOf(provider({ maxRetries: 2 }).embed(['hello']));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.details?.attempts).toBe(3);
    expect(error.message).toContain('HTTP 500');
    expect(server.requests).toHaveLength(3);
  });

  it('reports connection resets that outlast the retries as PROVIDER_UNAVAILABLE', async () => {
    server.script({ kind: 'reset' }, { kind: 'reset' });
    const error = await djeErrorOf(provider({ maxRetries: 1 }).embed(['hello']));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(server.requests).toHaveLength(2);
  });

  it('reports persistent 429s as PROVIDER_RATE_LIMITED', async () => {
    server.script(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429 })));
    const error = await djeErrorOf(provider({ maxRetries: 2 }).embed(['hello']));
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 429 for an exhausted quota', async () => {
    server.script({
      kind: 'status',
      status: 429,
      code: 'insufficient_quota',
      message: 'You exceeded your quota.',
    });
    const error = await djeErrorOf(provider().embed(['hello']));
    expect(error.code).toBe('PROVIDER_QUOTA_EXCEEDED');
    expect(error.message).toContain('You exceeded your quota.');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a stalled request and retries it', async () => {
    server.script({ kind: 'stall' });
    const vectors = await provider({ timeoutMs: 200 }).embed(['hello']);
    expect(vectors[0]).toEqual(fakeEmbedding('hello', 1536));
    expect(server.requests.map((request) => request.reply)).toEqual(['stall', 'ok']);
  });

  it('reports requests that keep stalling as PROVIDER_TIMEOUT', async () => {
    server.script({ kind: 'stall' }, { kind: 'stall' });
    const error = await djeErrorOf(provider({ timeoutMs: 150, maxRetries: 1 }).embed(['hello']));
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.details?.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });
});

describe('createOpenAIProvider: failures that are not retried', () => {
  it.each([
    [400, 'PROVIDER_BAD_REQUEST', "'$.input' is invalid."],
    [404, 'PROVIDER_BAD_REQUEST', 'The model `text-embedding-4` does not exist.'],
    [401, 'PROVIDER_AUTH_FAILED', 'Incorrect API key provided.'],
    [403, 'PROVIDER_AUTH_FAILED', 'Project does not have access to model.'],
  ])('fails fast on HTTP %i with %s and the server message', async (status, code, message) => {
    server.script({ kind: 'status', status, message });
    const error = await djeErrorOf(provider().embed(['hello']));
    expect(error.code).toBe(code);
    expect(error.kind).toBe('provider');
    expect(error.message).toContain(message);
    expect(error.details?.status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [{ kind: 'malformed' as const }, 'not JSON'],
    [{ kind: 'wrong-dimension' as const, dimensions: 1024 }, '1024 dimensions where 1536 were expected'],
    [{ kind: 'missing-item' as const }, '4 embeddings for 5 inputs'],
  ])('rejects a bad answer (%o) with PROVIDER_BAD_RESPONSE', async (reply, text) => {
    server.script(reply);
    const error = await djeErrorOf(provider().embed(campaignTexts));
    expect(error.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(error.message).toContain(text);
    expect(server.requests).toHaveLength(1);
  });
});

describe('createOpenAIProvider: configuration and cancellation', () => {
  it('reads OPENAI_API_KEY only when embedding, and names it when missing', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('OPENAI_BASE_URL', '');
    const embedder = createOpenAIProvider();
    expect(embedder.model).toBe('text-embedding-3-large');
    expect(embedder.dimensions).toBe(1536);
    const error = await djeErrorOf(embedder.embed(['hello']));
    expect(error.code).toBe('OPENAI_API_KEY_MISSING');
    expect(error.message).toContain('OPENAI_API_KEY');
  });

  it('takes the key and the server from the environment at the first embed call', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('OPENAI_BASE_URL', '');
    const embedder = createOpenAIProvider({ retryBaseDelayMs: 1 });
    vi.stubEnv('OPENAI_API_KEY', 'key-from-env');
    vi.stubEnv('OPENAI_BASE_URL', server.baseURL);
    expect((await embedder.embed(['hello']))[0]).toEqual(fakeEmbedding('hello', 1536));
    expect(server.requests[0]?.headers.authorization).toBe('Bearer key-from-env');
  });

  it('needs no key for a custom server', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const vectors = await createOpenAIProvider({ baseURL: server.baseURL }).embed(['hello']);
    expect(vectors).toHaveLength(1);
  });

  it('uses the fetch it is given', async () => {
    const urls: string[] = [];
    const embedder = provider({
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await embedder.embed(['hello']);
    expect(urls).toEqual([`${server.baseURL}/embeddings`]);
  });

  it('cancels a request in flight with CANCELLED', async () => {
    server.script({ kind: 'stall' });
    const controller = new AbortController();
    const pending = provider().embed(['hello'], { signal: controller.signal });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    controller.abort();
    const error = await djeErrorOf(pending);
    expect(error.code).toBe('CANCELLED');
    expect(error.kind).toBe('cancelled');
  });

  it('cancels during a retry wait', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const controller = new AbortController();
    const pending = provider().embed(['hello'], { signal: controller.signal });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    controller.abort();
    expect((await djeErrorOf(pending)).code).toBe('CANCELLED');
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing for an already aborted signal or no texts', async () => {
    expect((await djeErrorOf(provider().embed(['hello'], { signal: AbortSignal.abort() }))).code).toBe(
      'CANCELLED',
    );
    expect(await provider().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});
