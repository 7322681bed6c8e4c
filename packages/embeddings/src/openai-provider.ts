import { createError, DjeError, invalidOption, wholeNumberOption } from '@dynamic-embeddings/core';
import OpenAI, { APIError } from 'openai';
import { cancelledError, delay, throwIfCancelled } from './cancellation.js';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import type { EmbeddingProvider, EmbeddingUsage, EmbedOptions } from './embedding-provider.js';
import { parseEmbeddingResponse } from './embedding-response.js';
import { inputError } from './input-error.js';
import { mapBounded } from './map-bounded.js';
import { classifyFailure, exhaustedError, type RetryableFailure } from './openai-failure.js';
import { type OpenAIModelSettings, openAIMaxTokensPerInput, resolveOpenAIModel } from './openai-models.js';
import { planRequests } from './plan-requests.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { backoffDelay } from './retry-delay.js';
import { loadTokenCounter, type TokenCounter } from './token-counter.js';
import { validateInputs } from './validate-inputs.js';

export interface OpenAIProviderOptions {
  /** API key; default `OPENAI_API_KEY`, read at the first `embed` call, not before. */
  readonly apiKey?: string;
  /** Any OpenAI-compatible server; default `OPENAI_BASE_URL`, else OpenAI's API. */
  readonly baseURL?: string;
  /** Default `text-embedding-3-large`. */
  readonly model?: string;
  /** Vector length; default 1536. Sent to text-embedding-3-* models, checked for all. */
  readonly dimensions?: number;
  /** Further attempts after a 429, 5xx, connection failure or timeout; default 5. */
  readonly maxRetries?: number;
  /** Limit for each HTTP request, until its whole body has arrived; default 60,000 ms. */
  readonly timeoutMs?: number;
  /** Requests in flight at once across every `embed` call of this provider; default 4. */
  readonly concurrency?: number;
  /** Token budget of one request, summed over its inputs; default 300,000 (OpenAI's cap). */
  readonly maxTokensPerRequest?: number;
  /** Most inputs in one request; default and maximum 2048 (OpenAI's cap). TEI, for one, takes 32 by default. */
  readonly maxInputsPerRequest?: number;
  /** First retry waits about this long, doubling per retry up to 20 s; default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** Requests sent in any minute at most, across every `embed` call; default: no cap of our own. */
  readonly requestsPerMinute?: number;
  /** Tokens sent in any minute at most (a larger request goes alone); default: no cap of our own. */
  readonly tokensPerMinute?: number;
  /** Fetch implementation handed to the OpenAI SDK (proxies, instrumentation). */
  readonly fetch?: typeof globalThis.fetch;
}

/** OpenAI's cap on inputs in one embeddings request. */
const openAIMaxInputsPerRequest = 2048;
const maxRetryDelayMs = 20_000;
// A server asking for a longer pause than this is out of capacity for now; failing says so sooner
// than hanging silently would.
const maxRetryAfterMs = 60_000;
const openAIBaseURL = 'https://api.openai.com/v1';

/** The SDK client, created at the first `embed`, and how errors name the model and server. */
interface Connection {
  readonly openai: OpenAI;
  readonly source: string;
}

/** The validated options a provider works with. */
interface OpenAISettings extends OpenAIModelSettings {
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly maxTokensPerRequest: number;
  readonly maxInputsPerRequest: number;
  readonly retryBaseDelayMs: number;
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
}

/** Requests sent and tokens used over the provider's life, for `usage()`. */
interface UsageTotals {
  requests: number;
  tokens: number;
}

/** What one request needs: the settings, the connection and the totals it adds to. */
interface RequestContext {
  readonly settings: OpenAISettings;
  readonly connection: Connection;
  readonly totals: UsageTotals;
  readonly rateLimiter: RateLimiter;
}

interface EmbeddingRequest {
  inputs: string[];
  tokens: number;
}

/** The validated options with their defaults; the first invalid one throws. */
function resolveSettings(options: OpenAIProviderOptions): OpenAISettings {
  const { model, dimensions, sendDimensions } = resolveOpenAIModel(options);
  const maxRetries = wholeNumberOption({
    name: 'maxRetries',
    value: options.maxRetries,
    fallback: 5,
    minimum: 0,
  });
  const timeoutMs = wholeNumberOption({
    name: 'timeoutMs',
    value: options.timeoutMs,
    fallback: 60_000,
    minimum: 1,
  });
  const concurrency = wholeNumberOption({
    name: 'concurrency',
    value: options.concurrency,
    fallback: 4,
    minimum: 1,
  });
  const [requestsPerMinute, tokensPerMinute] = (['requestsPerMinute', 'tokensPerMinute'] as const).map(
    (name) =>
      options[name] === undefined
        ? undefined
        : wholeNumberOption({ name, value: options[name], fallback: 0, minimum: 1 }),
  );
  const maxTokensPerRequest = wholeNumberOption({
    name: 'maxTokensPerRequest',
    value: options.maxTokensPerRequest,
    fallback: 300_000,
    minimum: 1,
  });
  const maxInputsPerRequest = wholeNumberOption({
    name: 'maxInputsPerRequest',
    value: options.maxInputsPerRequest,
    fallback: openAIMaxInputsPerRequest,
    minimum: 1,
  });
  if (maxInputsPerRequest > openAIMaxInputsPerRequest) {
    throw invalidOption(
      `maxInputsPerRequest can be at most ${openAIMaxInputsPerRequest}, got ${maxInputsPerRequest}.`,
      { details: { option: 'maxInputsPerRequest', value: maxInputsPerRequest } },
    );
  }
  const retryBaseDelayMs = wholeNumberOption({
    name: 'retryBaseDelayMs',
    value: options.retryBaseDelayMs,
    fallback: 500,
    minimum: 0,
  });
  return {
    model,
    dimensions,
    sendDimensions,
    maxRetries,
    timeoutMs,
    concurrency,
    maxTokensPerRequest,
    maxInputsPerRequest,
    retryBaseDelayMs,
    requestsPerMinute,
    tokensPerMinute,
  };
}

/** The SDK client; reads the key and base URL (options, else the environment) when called. */
function openConnection(options: OpenAIProviderOptions, settings: OpenAISettings): Connection {
  const baseURL = options.baseURL || process.env.OPENAI_BASE_URL || undefined;
  const apiKey = options.apiKey || process.env.OPENAI_API_KEY || undefined;
  // Local OpenAI-compatible servers (Ollama, vLLM, LM Studio, TEI) usually want no key at all.
  if (apiKey === undefined && baseURL === undefined) {
    throw createError({
      code: 'OPENAI_API_KEY_MISSING',
      message:
        'The openai provider needs an API key: set the OPENAI_API_KEY environment variable (or pass apiKey), or use the local provider, which needs none.',
      details: { variable: 'OPENAI_API_KEY' },
    });
  }
  const openai = new OpenAI({
    // The SDK refuses to start without a key; servers that need none ignore the placeholder.
    apiKey: apiKey ?? 'no-key',
    baseURL: baseURL ?? openAIBaseURL,
    maxRetries: 0,
    timeout: settings.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { openai, source: `${settings.model} at ${baseURL ?? openAIBaseURL}` };
}

/** One HTTP attempt; resolves to vectors, or to a failure worth retrying. */
async function attempt(
  { settings, connection, totals, rateLimiter }: RequestContext,
  request: EmbeddingRequest,
  signal: AbortSignal,
): Promise<Float32Array[] | RetryableFailure> {
  const { model, dimensions, sendDimensions, timeoutMs } = settings;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), timeoutMs);
  totals.requests++;
  try {
    const response = await connection.openai.embeddings
      .create(
        {
          model,
          input: request.inputs,
          // base64 float32 is about a third of the bytes of decimal JSON and exact to the bit.
          encoding_format: 'base64',
          ...(sendDimensions ? { dimensions } : {}),
        },
        { signal: AbortSignal.any([signal, timer.signal]), maxRetries: 0, timeout: timeoutMs },
      )
      .asResponse();
    rateLimiter.observe(response.headers);
    const body = await response.text();
    const parsed = parseEmbeddingResponse({
      body,
      count: request.inputs.length,
      dimensions,
      source: connection.source,
    });
    totals.tokens += parsed.tokens ?? request.tokens;
    return parsed.vectors;
  } catch (error) {
    if (signal.aborted) throw cancelledError(error);
    if (error instanceof APIError) rateLimiter.observe(error.headers);
    const failure = classifyFailure(error, {
      source: connection.source,
      timedOut: timer.signal.aborted,
      timeoutMs,
    });
    if (DjeError.isInstance(failure)) throw failure;
    return failure;
  } finally {
    clearTimeout(timeout);
  }
}

/**
 * Sends one request when the rate limiter lets it, retrying retryable failures with backoff (or the
 * server's Retry-After). A 429 pauses every request of the provider, not only this one: the limit
 * it reports is the account's, which the other requests would hit next.
 */
async function send(
  context: RequestContext,
  request: EmbeddingRequest,
  signal: AbortSignal,
): Promise<Float32Array[]> {
  const { maxRetries, retryBaseDelayMs } = context.settings;
  for (let retry = 0; ; retry++) {
    await context.rateLimiter.acquire(request.tokens, signal);
    const result = await attempt(context, request, signal);
    if (!('reason' in result)) return result;
    const wait =
      result.retryAfterMs ??
      backoffDelay({ retry, baseDelayMs: retryBaseDelayMs, maxDelayMs: maxRetryDelayMs });
    if (retry >= maxRetries || wait > maxRetryAfterMs) {
      throw exhaustedError(result, { source: context.connection.source, attempts: retry + 1 });
    }
    if (result.reason === 'rate_limited') context.rateLimiter.pause(wait);
    else await delay(wait, signal);
  }
}

/** Token count of each text; refuses, before anything is sent, a text over the per-input limit. */
function countInputTokens(texts: readonly string[], countTokens: TokenCounter, model: string): number[] {
  return texts.map((text, index) => {
    const tokens = countTokens(text);
    if (tokens > openAIMaxTokensPerInput) {
      throw inputError({
        code: 'INPUT_TOO_LONG',
        index,
        text,
        problem: `has ${tokens} tokens; ${model} accepts at most ${openAIMaxTokensPerInput} per input. Chunk the document into smaller pieces; nothing was sent.`,
        details: { tokens, limit: openAIMaxTokensPerInput },
      });
    }
    return tokens;
  });
}

/**
 * Embeddings from OpenAI or any OpenAI-compatible server through the official SDK. Inputs are
 * packed into requests by count and token budget; requests are retried on their own (the SDK's
 * retries are off) so every attempt is counted, bounded and cancellable.
 */
export function createOpenAIProvider(options: OpenAIProviderOptions = {}): EmbeddingProvider {
  const settings = resolveSettings(options);
  const { model, dimensions, maxInputsPerRequest, maxTokensPerRequest } = settings;
  const limiter = createConcurrencyLimiter(settings.concurrency);
  const rateLimiter = createRateLimiter(settings);
  const totals: UsageTotals = { requests: 0, tokens: 0 };
  let client: Connection | undefined;

  return {
    specificationVersion: 'v1',
    provider: 'openai',
    model,
    dimensions,
    maxInputsPerCall: openAIMaxInputsPerRequest,
    maxTokensPerInput: openAIMaxTokensPerInput,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions) {
      const signal = embedOptions?.signal;
      throwIfCancelled(signal);
      validateInputs(texts, openAIMaxInputsPerRequest);
      if (texts.length === 0) return [];
      client ??= openConnection(options, settings);
      const context: RequestContext = { settings, connection: client, totals, rateLimiter };
      const countTokens = await loadTokenCounter();
      const tokenCounts = countInputTokens(texts, countTokens, model);
      const plan = planRequests({ tokenCounts, maxInputsPerRequest, maxTokensPerRequest });
      const parts = await mapBounded({
        items: plan,
        limiter,
        signal,
        task: (request, _index, requestSignal) =>
          send(
            context,
            { inputs: texts.slice(request.start, request.end), tokens: request.tokens },
            requestSignal,
          ),
      });
      return parts.flat();
    },
    usage(): EmbeddingUsage {
      return { requests: totals.requests, tokens: totals.tokens };
    },
  };
}
