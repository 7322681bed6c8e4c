// Any AI SDK embedding model (@ai-sdk/openai, cohere, google, mistral, amazon-bedrock, voyage, …)
// as our EmbeddingProvider. The model only sends requests; ours are the packing of inputs by
// count and token budget, the retries (the AI SDK's own live in `embedMany`, not in `doEmbed`),
// cancellation and the usage totals.
import type { EmbeddingModelV3, EmbeddingModelV4 } from '@ai-sdk/provider';
import { DjeError, wholeNumberOption } from '@dynamic-embeddings/core';
import { classifyAiSdkFailure } from './ai-sdk-failure.js';
import { cancelledError, throwIfCancelled } from './cancellation.js';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import type { EmbeddingProvider, EmbeddingUsage } from './embedding-provider.js';
import { inputError } from './input-error.js';
import { mapBounded } from './map-bounded.js';
import type { RetryableFailure } from './openai-failure.js';
import { planRequests } from './plan-requests.js';
import { withRetries } from './retry-loop.js';
import { loadTokenCounter } from './token-counter.js';
import { validateInputs } from './validate-inputs.js';

/** The AI SDK's embedding model specifications this bridge speaks (`doEmbed({ values })`). */
export type AiSdkEmbeddingModel = EmbeddingModelV4 | EmbeddingModelV3;

export interface AiSdkProviderOptions {
  /** Length of the model's vectors; stored in the namespace registry and checked on every answer. */
  readonly dimensions: number;
  /** Ask the model for `dimensions` (models that shorten vectors, e.g. text-embedding-3-*); default false. */
  readonly sendDimensions?: boolean;
  /** Texts per request (default: the model's `maxEmbeddingsPerCall` when it is a number, else 96). */
  readonly maxInputsPerCall?: number;
  /** Tokens one text may have (default 8191); counted with cl100k_base, an estimate for other models. */
  readonly maxTokensPerInput?: number;
  /** Tokens one request may carry (default 300,000, OpenAI's budget). */
  readonly maxTokensPerRequest?: number;
  /** Retries of a rate-limited or failed request (default 5). */
  readonly maxRetries?: number;
  /** First backoff delay (default 500 ms), doubled per retry with jitter. */
  readonly retryBaseDelayMs?: number;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
}

const fallbackInputsPerCall = 96;
const maxRetryDelayMs = 20_000;
const maxRetryAfterMs = 60_000;

function inputsPerCall(model: AiSdkEmbeddingModel, option: number | undefined): number {
  const declared = model.maxEmbeddingsPerCall;
  const fallback =
    typeof declared === 'number' && Number.isFinite(declared) && declared >= 1
      ? declared
      : fallbackInputsPerCall;
  return wholeNumberOption({ name: 'maxInputsPerCall', value: option, fallback, minimum: 1 });
}

function resolveSettings(model: AiSdkEmbeddingModel, options: AiSdkProviderOptions) {
  const whole = (name: keyof AiSdkProviderOptions, fallback: number, minimum: number) =>
    wholeNumberOption({ name, value: options[name] as number | undefined, fallback, minimum });
  return {
    dimensions: whole('dimensions', Number.NaN, 1),
    maxInputsPerCall: inputsPerCall(model, options.maxInputsPerCall),
    maxTokensPerInput: whole('maxTokensPerInput', 8191, 1),
    maxTokensPerRequest: whole('maxTokensPerRequest', 300_000, 1),
    maxRetries: whole('maxRetries', 5, 0),
    retryBaseDelayMs: whole('retryBaseDelayMs', 500, 0),
    concurrency: whole('concurrency', 4, 1),
  };
}

/** `fromAiSdk(openai.embedding('text-embedding-3-small'), { dimensions: 1536 })`. */
export function fromAiSdk(model: AiSdkEmbeddingModel, options: AiSdkProviderOptions): EmbeddingProvider {
  const settings = resolveSettings(model, options);
  const source = `${model.modelId} (${model.provider})`;
  const limiter = createConcurrencyLimiter(settings.concurrency);
  const totals = { requests: 0, tokens: 0 };

  const attempt = async (
    values: string[],
    signal: AbortSignal,
  ): Promise<Float32Array[] | RetryableFailure> => {
    totals.requests++;
    try {
      const result = await model.doEmbed({
        values,
        abortSignal: signal,
        ...(options.sendDimensions === true ? { dimensions: settings.dimensions } : {}),
      });
      totals.tokens += result.usage?.tokens ?? 0;
      return result.embeddings.map((vector) => Float32Array.from(vector));
    } catch (error) {
      if (signal.aborted) throw cancelledError(error);
      const failure = classifyAiSdkFailure(error, source);
      if (DjeError.isInstance(failure)) throw failure;
      return failure;
    }
  };

  return {
    specificationVersion: 'v1',
    provider: model.provider,
    model: model.modelId,
    dimensions: settings.dimensions,
    maxInputsPerCall: settings.maxInputsPerCall,
    maxTokensPerInput: settings.maxTokensPerInput,
    async embed(texts, embedOptions = {}) {
      const { signal } = embedOptions;
      throwIfCancelled(signal);
      validateInputs(texts, settings.maxInputsPerCall);
      if (texts.length === 0) return [];
      const countTokens = await loadTokenCounter();
      const tokenCounts = texts.map((text, index) => {
        const tokens = countTokens(text);
        if (tokens <= settings.maxTokensPerInput) return tokens;
        throw inputError({
          code: 'INPUT_TOO_LONG',
          index,
          text,
          problem: `has about ${tokens} tokens; ${source} takes at most ${settings.maxTokensPerInput} per input. Chunk it smaller; nothing was sent.`,
          details: { tokens, limit: settings.maxTokensPerInput },
        });
      });
      const plan = planRequests({
        tokenCounts,
        maxInputsPerRequest: settings.maxInputsPerCall,
        maxTokensPerRequest: settings.maxTokensPerRequest,
      });
      const parts = await mapBounded({
        items: plan,
        limiter,
        signal,
        task: (request, _index, requestSignal) =>
          withRetries(() => attempt(texts.slice(request.start, request.end), requestSignal), {
            ...settings,
            source,
            maxRetryDelayMs,
            maxRetryAfterMs,
            signal: requestSignal,
          }),
      });
      return parts.flat();
    },
    usage(): EmbeddingUsage {
      return { ...totals };
    },
  };
}
