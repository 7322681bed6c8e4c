import { createError } from '@dynamic-embeddings/core';
import { inputError } from './input-error.js';

/**
 * Checks what every provider requires of `embed` input: an array of at most `maxInputsPerCall`
 * non-empty strings. Empty text has no meaning to embed (OpenAI rejects it too), so it is refused
 * everywhere rather than turned into an arbitrary vector.
 */
export function validateInputs(texts: readonly string[], maxInputsPerCall: number): void {
  if (!Array.isArray(texts)) {
    throw createError({
      code: 'INVALID_INPUT',
      message: `embed() takes an array of strings, got ${texts === null ? 'null' : typeof texts}.`,
    });
  }
  if (texts.length > maxInputsPerCall) {
    throw createError({
      code: 'TOO_MANY_INPUTS',
      message: `embed() got ${texts.length} texts but accepts at most ${maxInputsPerCall} per call; use embedAll() to batch any number of texts.`,
      details: { count: texts.length, limit: maxInputsPerCall },
    });
  }
  texts.forEach((text, index) => {
    if (typeof text !== 'string') {
      throw inputError({
        code: 'INVALID_INPUT',
        index,
        text,
        problem: 'is not a string; every input must be a string.',
      });
    }
    if (text.length === 0) {
      throw inputError({
        code: 'EMPTY_INPUT',
        index,
        text,
        problem: 'is empty; drop empty texts before embedding them.',
      });
    }
  });
}
