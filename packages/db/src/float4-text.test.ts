// float4Hex, vectorLiteral and the INSERT path's vector arrays (unnestColumns): every float4 written
// in C99 hexadecimal reads back as itself, in JavaScript and in pgvector on each database target.
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { queryRows } from './database.js';
import { type VectorInput, vectorLiteral } from './embedding-vector.js';
import { float4Hex } from './float4-text.js';
import { connectTarget, testVector } from './testing/records.js';
import { unnestColumns } from './unnest-columns.js';

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

/** Reads C99 hexadecimal float text in JavaScript, which has no parser for it. */
function readHex(text: string): number {
  if (text === '0') return 0;
  const match = /^(-?)0x([01])(?:\.([0-9a-f]+))?p([+-]\d+)$/.exec(text);
  if (match === null) throw new Error(`not C99 hexadecimal: ${text}`);
  const [, sign, lead, fraction = '', power] = match;
  const mantissa =
    Number(lead) + (fraction === '' ? 0 : Number.parseInt(fraction, 16) / 16 ** fraction.length);
  return (sign === '-' ? -1 : 1) * mantissa * 2 ** Number(power);
}

describe('float4Hex', () => {
  it('reads back as the same float4 for float4s of every exponent and sign, subnormals included', () => {
    const values = [...spreadFloat4s(104_729), ...EDGES, ...EDGES.map((edge) => -edge)];
    const wrong = values.filter((value) => readHex(float4Hex(value)) !== value);
    expect(values.length).toBeGreaterThan(40_000);
    expect(wrong).toEqual([]);
  });

  it('writes the float4 bits: a leading 1 (0 when subnormal), up to six hex digits, the power of two', () => {
    expect(float4Hex(0.5)).toBe('0x1p-1');
    expect(float4Hex(0.75)).toBe('0x1.8p-1');
    expect(float4Hex(100)).toBe('0x1.9p+6');
    expect(float4Hex(-2)).toBe('-0x1p+1');
    expect(float4Hex(1)).toBe('0x1p+0');
    expect(float4Hex(0)).toBe('0');
    expect(float4Hex(-0)).toBe('0');
    expect(float4Hex(3.4028234663852886e38)).toBe('0x1.fffffep+127');
    expect(float4Hex(1.401298464324817e-45)).toBe('0x0.000002p-126');
    for (const value of spreadFloat4s(1_000_003))
      expect(float4Hex(value)).toMatch(/^-?0x[01](\.[0-9a-f]{0,5}[1-9a-f])?p[+-]\d{1,3}$/);
  });

  it('rounds a JS number to the float4 PostgreSQL would store', () => {
    // 0.1 is not a float4: the nearest is 0x1.99999ap-4 (0.100000001490116…).
    expect(float4Hex(0.1)).toBe('0x1.99999ap-4');
    expect(readHex(float4Hex(0.123456789012345))).toBe(Math.fround(0.123456789012345));
  });
});

describe('vectorLiteral', () => {
  it('writes each vector whole, also a short one after a longer one', () => {
    const long = spreadFloat4s(2_000_003);
    expect(vectorLiteral(long)).toBe(`[${long.map(float4Hex).join(',')}]`);
    expect(vectorLiteral([1, 0.5, -2])).toBe('[0x1p+0,0x1p-1,-0x1p+1]');
    expect(vectorLiteral(Float32Array.from([0.75]))).toBe('[0x1.8p-1]');
  });
});

describe.each(databaseTargets)('vector text read by pgvector on $name', (target) => {
  let close: () => Promise<void>;
  let db: Database;

  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close?.();
  });

  it('gives pgvector the float4s it was given, as vector and as real[]', async () => {
    // Subnormals too: strtof reads their hexadecimal exactly.
    const values = [...spreadFloat4s(2_000_003), ...EDGES];
    const [row] = await queryRows<{ elements: number[] }>(
      db.orm,
      sql`SELECT (${vectorLiteral(values)}::vector)::real[] AS elements`,
    );
    expect(row?.elements.map(Math.fround)).toEqual(values);
  });

  it('unnests every row with its own vector, float4 for float4, in row order', async () => {
    // Vectors of unequal lengths and element sizes (subnormal, huge, negative), and a null among them.
    const rows: { label: string; embedding: VectorInput | null }[] = Array.from(
      { length: 300 },
      (_, index) => ({
        label: `row ${index}`,
        embedding:
          index === 7
            ? null
            : index % 3 === 0
              ? Float32Array.from(testVector(index, 40 + (index % 5)))
              : [1.401298464324817e-45 * (index + 1), -3.4e38, ...testVector(index, 16)],
      }),
    );
    const [labels, vectors] = unnestColumns({
      columns: [
        { name: 'label', type: 'text' },
        { name: 'embedding', type: 'vector' },
      ],
      rows,
    });
    const stored = await queryRows<{ label: string; elements: number[] | null }>(
      db.orm,
      sql`SELECT label, (embedding::vector)::real[] AS elements
          FROM unnest(${sql.param(labels)}::text[], ${sql.param(vectors)}::text[]) AS rows(label, embedding)`,
    );
    expect(stored.map((row) => row.label)).toEqual(rows.map((row) => row.label));
    expect(stored.map((row) => row.elements?.map(Math.fround) ?? null)).toEqual(
      rows.map((row) => (row.embedding === null ? null : Array.from(row.embedding, Math.fround))),
    );
  });
});
