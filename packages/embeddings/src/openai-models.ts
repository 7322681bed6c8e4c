import { invalidDimensions } from '@dynamic-embeddings/core';

/** What the provider needs to know about a model to call it correctly. */
export interface OpenAIModelSettings {
  readonly model: string;
  readonly dimensions: number;
  /** Whether the request carries a `dimensions` parameter (only text-embedding-3-* accept one). */
  readonly sendDimensions: boolean;
}

export const defaultOpenAIModel = 'text-embedding-3-large';
export const defaultOpenAIDimensions = 1536;
/** OpenAI's per-input limit for every embedding model, counted with cl100k_base. */
export const openAIMaxTokensPerInput = 8191;

// Native vector sizes; text-embedding-3 models shorten to any smaller size on request.
const nativeDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * Resolves the model and vector size. Other model names (Ollama, vLLM, TEI, Azure deployments…)
 * are passed through; their size cannot be asked for, only checked against each response.
 */
export function resolveOpenAIModel(options: { model?: string; dimensions?: number }): OpenAIModelSettings {
  const model = options.model ?? defaultOpenAIModel;
  const dimensions = options.dimensions ?? defaultOpenAIDimensions;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw invalidDimensions(`dimensions must be a positive whole number, got ${String(dimensions)}.`, {
      details: { model, dimensions },
    });
  }
  const native = nativeDimensions[model];
  const sendDimensions = model.startsWith('text-embedding-3-');
  if (native !== undefined && dimensions > native) {
    throw invalidDimensions(
      sendDimensions
        ? `${model} returns at most ${native} dimensions; ask for ${native} or fewer (got ${dimensions}).`
        : `${model} always returns ${native} dimensions and cannot be shortened; use dimensions: ${native} or a text-embedding-3 model (got ${dimensions}).`,
      { details: { model, dimensions, maximum: native } },
    );
  }
  if (!sendDimensions && native !== undefined && dimensions !== native) {
    throw invalidDimensions(
      `${model} always returns ${native} dimensions and cannot be shortened; use dimensions: ${native} or a text-embedding-3 model (got ${dimensions}).`,
      { details: { model, dimensions, maximum: native } },
    );
  }
  return { model, dimensions, sendDimensions };
}
