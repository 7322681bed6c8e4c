// Validation of an embeddings response body: nothing a server sends is stored until it is the
// right number of finite vectors of the right size, one per input index.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import { z } from 'zod';

const responseSchema = z.object({
  data: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      // base64 is what we ask for; some compatible servers ignore `encoding_format` and send floats.
      embedding: z.union([z.string(), z.array(z.number())]),
    }),
  ),
  usage: z
    .object({
      prompt_tokens: z.number().nonnegative().optional(),
      total_tokens: z.number().nonnegative().optional(),
    })
    .nullish(),
});

export interface ParseEmbeddingResponseOptions {
  readonly body: string;
  /** Number of inputs sent. */
  readonly count: number;
  readonly dimensions: number;
  /** Names the server and model in error messages, e.g. `text-embedding-3-large at https://…`. */
  readonly source: string;
}

export interface ParsedEmbeddingResponse {
  /** One vector per input, in input order. */
  readonly vectors: Float32Array[];
  /** Tokens the server reports having processed, if it says. */
  readonly tokens: number | undefined;
}

/** PROVIDER_BAD_RESPONSE: `source` answered with `problem`, which cannot be stored. */
export function badResponse(
  source: string,
  problem: string,
  options: { details?: Record<string, unknown>; advice?: string } = {},
): DjeError {
  const advice = options.advice ?? 'Check that the server is an OpenAI-compatible embeddings endpoint.';
  return createError({
    code: 'PROVIDER_BAD_RESPONSE',
    message: `${source} answered with ${problem}; nothing was stored. ${advice}`,
    details: { source, ...options.details },
  });
}

/** Decodes little-endian float32 values, the layout of OpenAI's base64 embeddings. */
function decodeBase64(encoded: string): Float32Array | undefined {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  const vector = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let position = 0; position < vector.length; position++)
    vector[position] = view.getFloat32(position * 4, true);
  return vector;
}

export function parseEmbeddingResponse(options: ParseEmbeddingResponseOptions): ParsedEmbeddingResponse {
  const { source, count, dimensions } = options;
  let json: unknown;
  try {
    json = JSON.parse(options.body);
  } catch {
    throw badResponse(source, `a body that is not JSON ("${options.body.slice(0, 80)}")`);
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badResponse(
      source,
      `an unexpected body (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
    );
  }
  const { data, usage } = parsed.data;
  if (data.length !== count) {
    throw badResponse(source, `${data.length} embeddings for ${count} inputs`, {
      details: { expected: count, received: data.length },
    });
  }
  const vectors = new Array<Float32Array | undefined>(count);
  for (const item of data) {
    if (item.index >= count || vectors[item.index] !== undefined) {
      throw badResponse(source, `a missing or repeated embedding index ${item.index}`, {
        details: { index: item.index },
      });
    }
    const vector =
      typeof item.embedding === 'string' ? decodeBase64(item.embedding) : Float32Array.from(item.embedding);
    if (vector === undefined) {
      throw badResponse(source, `a base64 embedding of an unreadable size at index ${item.index}`, {
        details: { index: item.index },
      });
    }
    if (vector.length !== dimensions) {
      throw badResponse(source, `vectors of ${vector.length} dimensions where ${dimensions} were expected`, {
        details: { expected: dimensions, received: vector.length, index: item.index },
        advice: `If ${vector.length} is the model's own size, create the provider with dimensions: ${vector.length}.`,
      });
    }
    for (const value of vector) {
      if (!Number.isFinite(value)) {
        throw badResponse(source, `a non-finite number (${value}) in embedding ${item.index}`, {
          details: { index: item.index },
        });
      }
    }
    vectors[item.index] = vector;
  }
  return {
    // Every slot is filled: `count` distinct indices below `count` were checked above.
    vectors: vectors as Float32Array[],
    tokens: usage?.total_tokens ?? usage?.prompt_tokens,
  };
}
