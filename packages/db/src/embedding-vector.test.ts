// assertValidVector on both input shapes (Float32Array and number[]): which element is refused and
// why, so a bad embedding is named precisely whichever shape the provider returned.
import { djeErrorOf } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';
import { assertValidVector } from './embedding-vector.js';
import type { VectorStorage } from './schema/registry.js';

function check(vector: unknown, storage: VectorStorage = 'vector') {
  return assertValidVector({ vector, dimensions: 4, storage, namespace: 'items', label: 'v' });
}

async function errorOf(vector: unknown, storage: VectorStorage = 'vector') {
  return djeErrorOf(Promise.resolve().then(() => check(vector, storage)));
}

describe('assertValidVector', () => {
  it('returns a valid vector unchanged, in either shape', () => {
    const typed = Float32Array.from([0, -0.5, 3, 1e38]);
    const plain = [0, 0, 0, -1e-40];
    expect(check(typed)).toBe(typed);
    expect(check(plain)).toBe(plain);
  });

  it.each([
    ['NaN in a Float32Array', Float32Array.from([1, 2, Number.NaN, 4]), 2, 'NaN'],
    ['-Infinity in a Float32Array', Float32Array.from([Number.NEGATIVE_INFINITY, 2, 3, 4]), 0, '-Infinity'],
    ['a number beyond float4 in an array', [1, 2, 3, -1e39], 3, '-1e+39'],
    ['a string in an array', [1, '2', 3, 4], 1, '2'],
    ['null in an array', [1, 2, null, 4], 2, 'null'],
  ])('names the first bad element: %s', async (_label, vector, index, value) => {
    const error = await errorOf(vector);
    expect(error.code).toBe('INVALID_VECTOR');
    expect(error.message).toContain(`v[${index}] is ${value}`);
    expect(error.details).toMatchObject({ field: 'v', index, value });
  });

  it('refuses an element beyond float16 range for halfvec storage, in either shape', async () => {
    for (const vector of [Float32Array.from([1, 65_520, 0, 0]), [1, -70_000, 0, 0]]) {
      const error = await errorOf(vector, 'halfvec');
      expect(error.code).toBe('INVALID_VECTOR');
      expect(error.details).toMatchObject({ index: 1 });
      expect(error.message).toContain('halfvec');
    }
    expect(check(Float32Array.from([1, 65_504, 0, 0]), 'halfvec')).toHaveLength(4);
  });

  it('refuses a zero vector (negative zeros included) in either shape', async () => {
    for (const vector of [new Float32Array(4), [0, -0, 0, -0]]) {
      const error = await errorOf(vector);
      expect(error.code).toBe('INVALID_VECTOR');
      expect(error.message).toContain('all zeros');
    }
  });

  it('refuses the wrong length and what is not an array', async () => {
    expect((await errorOf(Float32Array.from([1, 2, 3]))).code).toBe('DIMENSION_MISMATCH');
    expect((await errorOf('1,2,3,4')).code).toBe('INVALID_VECTOR');
  });
});
