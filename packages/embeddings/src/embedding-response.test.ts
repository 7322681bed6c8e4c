import { describe, expect, it } from 'vitest';
import { parseEmbeddingResponse } from './embedding-response.js';

const base64 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64');
const parse = (data: unknown[], dimensions = 2) =>
  parseEmbeddingResponse({
    body: JSON.stringify({ data }),
    count: data.length,
    dimensions,
    source: 'test model',
  });

describe('parseEmbeddingResponse', () => {
  it('decodes base64 little-endian float32 and orders by index', () => {
    const result = parse([
      { index: 1, embedding: base64([0.5, -2]) },
      { index: 0, embedding: [0.25, 1e-3] },
    ]);
    expect(result.vectors).toEqual([new Float32Array([0.25, 1e-3]), new Float32Array([0.5, -2])]);
    expect(result.tokens).toBeUndefined();
  });

  it('reports the tokens the server counted', () => {
    const body = JSON.stringify({
      data: [{ index: 0, embedding: [1, 0] }],
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    expect(parseEmbeddingResponse({ body, count: 1, dimensions: 2, source: 'test' }).tokens).toBe(7);
  });

  it.each([
    [
      'a repeated index',
      [
        { index: 0, embedding: [1, 0] },
        { index: 0, embedding: [0, 1] },
      ],
      'repeated',
    ],
    [
      'an index out of range',
      [
        { index: 0, embedding: [1, 0] },
        { index: 2, embedding: [0, 1] },
      ],
      'index 2',
    ],
    ['an infinite value', [{ index: 0, embedding: base64([Number.POSITIVE_INFINITY, 0]) }], 'non-finite'],
    ['a NaN', [{ index: 0, embedding: base64([Number.NaN, 0]) }], 'non-finite'],
    ['a float too large for float32', [{ index: 0, embedding: [1e39, 0] }], 'non-finite'],
    ['a truncated base64 vector', [{ index: 0, embedding: base64([1, 0]).slice(0, 7) }], 'unreadable size'],
    ['a string where a number belongs', [{ index: 0, embedding: [1, '0'] }], 'embedding'],
    ['a missing index', [{ embedding: [1, 0] }], 'index'],
  ])('rejects %s with PROVIDER_BAD_RESPONSE', (_name, data, text) => {
    expect(() => parse(data)).toThrowError(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE', message: expect.stringContaining(text) }),
    );
  });

  it('rejects a body without data', () => {
    expect(() =>
      parseEmbeddingResponse({ body: '{"error": null}', count: 1, dimensions: 2, source: 'test' }),
    ).toThrowError(expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }));
  });
});
