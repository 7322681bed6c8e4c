// float4Text and vectorLiteral: every float4 written in nine digits or fewer reads back as itself,
// in JavaScript and in pgvector on each database target.
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { queryRows } from './database.js';
import { vectorLiteral } from './embedding-vector.js';
import { float4Text } from './float4-text.js';
import { connectTarget } from './testing/records.js';

/** float4s of every exponent: bit patterns from the smallest denormal to the largest finite, by a prime stride. */
function spreadFloat4s(stride: number): number[] {
  const bits = new Uint32Array(1);
  const value = new Float32Array(bits.buffer);
  const values: number[] = [];
  for (let pattern = 1; pattern < 0x7f800000; pattern += stride) {
    bits[0] = pattern;
    values.push(value[0] as number, -(value[0] as number));
  }
  return values;
}

/** Edges, as float4s: powers of ten and their neighbours (where log10 is a step off), extremes, halfvec's max. */
const EDGES = [
  1,
  0.1,
  0.5,
  100,
  123_456,
  65_504,
  3.4028234663852886e38,
  1.401298464324817e-45,
  1.1754943508222875e-38,
  ...Array.from({ length: 76 }, (_, index) => 10 ** (index - 38)).flatMap((power) => {
    const single = Math.fround(power);
    return [single, single * (1 + 2 ** -23), single * (1 - 2 ** -24)];
  }),
].map(Math.fround);

describe('float4Text', () => {
  it('reads back as the same float4 for float4s of every exponent and sign', () => {
    const values = [...spreadFloat4s(104_729), ...EDGES, ...EDGES.map((edge) => -edge)];
    const wrong = values.filter((value) => Math.fround(Number(float4Text(value))) !== value);
    expect(values.length).toBeGreaterThan(40_000);
    expect(wrong).toEqual([]);
  });

  it('writes at most nine significant digits, positionally near 1, without trailing zeros', () => {
    expect(float4Text(0.5)).toBe('0.5');
    expect(float4Text(100)).toBe('100');
    expect(float4Text(-2)).toBe('-2');
    expect(float4Text(0)).toBe('0');
    expect(float4Text(Math.fround(-0.0123456789))).toBe('-0.0123456791');
    expect(float4Text(Math.fround(1234.5))).toBe('1234.5');
    // 0.1 is not a float4: the float4 nearest it is 0.100000001490116…
    expect(float4Text(0.1)).toBe('0.100000001');
    expect(float4Text(Math.fround(2.5e-7))).toBe('0.000000249999999');
    expect(float4Text(Math.fround(1e-10))).toBe('100000001e-18');
    expect(float4Text(Math.fround(3e20))).toBe('300000006e12');
    for (const value of spreadFloat4s(1_000_003)) {
      const text = float4Text(value);
      expect(text).toMatch(/^-?([0-9]+(\.[0-9]*[1-9])?|[1-9][0-9]*e-?[0-9]+)$/);
      expect(
        text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length,
      ).toBeLessThanOrEqual(9);
    }
  });

  it('rounds a JS number to the float4 PostgreSQL would store', () => {
    expect(float4Text(0.123456789012345)).toBe('0.123456791');
    expect(Math.fround(0.123456791)).toBe(Math.fround(0.123456789012345));
  });
});

describe.each(databaseTargets)('vectorLiteral read by pgvector on $name', (target) => {
  let close: () => Promise<void>;
  let db: Database;

  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close?.();
  });

  it('gives pgvector the float4s it was given, as vector and as real[]', async () => {
    const values = [...spreadFloat4s(2_000_003).filter((value) => Math.abs(value) > 1e-37), ...EDGES];
    const [row] = await queryRows<{ elements: number[] }>(
      db.orm,
      sql`SELECT (${vectorLiteral(values)}::vector)::real[] AS elements`,
    );
    expect(row?.elements.map(Math.fround)).toEqual(values);
  });
});
