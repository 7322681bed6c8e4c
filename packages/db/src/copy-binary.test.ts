import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import { type CopyColumn, type CopyRow, encodeCopyBinary, encodeCopyBinaryParts } from './copy-binary.js';
import { type Database, queryRows } from './database.js';
import { parseVector } from './embedding-vector.js';

const columns: readonly CopyColumn[] = [
  { name: 'label', type: 'text' },
  { name: 'count', type: 'int4' },
  { name: 'ratio', type: 'float8' },
  { name: 'flag', type: 'bool' },
  { name: 'tags', type: 'text[]' },
  { name: 'document', type: 'jsonb' },
  { name: 'embedding', type: 'vector' },
];

const rows: readonly CopyRow[] = [
  ['plain', 1, 0.5, true, ['a', 'b'], { key: 'value' }, [1, 0.5, -2]],
  [
    'Ünïcödé — 日本語 🚀 "quotes" \\ back\\slash',
    -2_147_483_648,
    -1.234_567_890_123e-300,
    false,
    ['', 'NULL', 'with,comma', '{braces}', '"quoted"', 'back\\slash', 'ø 🚀'],
    { nested: { list: [1, 'two', null, true], empty: {} }, unicode: 'ñ 🚀', quote: '"' },
    Float32Array.from([0.1, -0.2, 3.4e38]),
  ],
  ['', 2_147_483_647, Number.MAX_VALUE, true, [], {}, [Number.MIN_VALUE, 0, -0]],
  [null, null, null, null, null, null, null],
];

describe('encodeCopyBinary through in-process PGlite COPY FROM /dev/blob', () => {
  let db: Database;
  beforeAll(async () => {
    db = await connect('memory://');
    await db.orm.execute(
      sql`CREATE TABLE copied (position serial, label text, count integer, ratio double precision, flag boolean,
                              tags text[], document jsonb, embedding vector(3))`,
    );
  });
  afterAll(async () => {
    await db.close();
  });

  it('round-trips every column type, NULLs, unicode and vectors', async () => {
    const bytes = encodeCopyBinary({ columns, rows });
    const pglite = db.pglite;
    if (pglite === undefined) throw new Error('memory:// must be in-process PGlite');
    await pglite.query(
      `COPY copied (label, count, ratio, flag, tags, document, embedding) FROM '/dev/blob' (FORMAT binary)`,
      [],
      { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) },
    );
    const stored = await queryRows<Record<string, unknown>>(
      db.orm,
      sql`SELECT label, count, ratio, flag, tags, document, embedding::text AS embedding FROM copied ORDER BY position`,
    );
    expect(stored).toEqual(
      rows.map((row) => ({
        label: row[0],
        count: row[1],
        ratio: row[2],
        flag: row[3],
        tags: row[4],
        document: row[5],
        embedding: row[6] === null ? null : expect.any(String),
      })),
    );
    stored.forEach((row, index) => {
      const vector = rows[index]?.[6] as ArrayLike<number> | null;
      if (vector === null) return;
      // pgvector keeps float4: each element must come back as the float4 nearest the input.
      expect(parseVector(row.embedding)).toEqual(Array.from(Float32Array.from(Array.from(vector))));
    });
  });

  it('splits the stream into parts at row boundaries that add up to the whole stream', async () => {
    const many: CopyRow[] = Array.from({ length: 40 }, (_, index) => rows[index % rows.length] as CopyRow);
    const whole = Buffer.from(encodeCopyBinary({ columns, rows: many }));
    const parts = [...encodeCopyBinaryParts({ columns, rows: many, partBytes: 256 })];
    expect(parts.length).toBeGreaterThan(4);
    expect(Buffer.concat(parts)).toEqual(whole);
    // Parts break between rows: each part after the first starts with a row's field count, or is
    // the trailer alone.
    for (const part of parts.slice(1)) {
      expect([columns.length, -1]).toContain(Buffer.from(part).readInt16BE(0));
    }
    const pglite = db.pglite;
    if (pglite === undefined) throw new Error('memory:// must be in-process PGlite');
    await db.orm.execute(sql`TRUNCATE copied`);
    await pglite.query(
      `COPY copied (label, count, ratio, flag, tags, document, embedding) FROM '/dev/blob' (FORMAT binary)`,
      [],
      { blob: new Blob(parts as Uint8Array<ArrayBuffer>[]) },
    );
    const counted = await queryRows<{ count: number }>(
      db.orm,
      sql`SELECT count(*)::int AS count FROM copied`,
    );
    expect(counted[0]?.count).toBe(many.length);
  });

  it('encodes halfvec as pgvector converts float4 to half: ties to even, subnormals, the largest value', async () => {
    // Values chosen to hit every branch: exact halves, round-half-even ties (1 + 2^-11 rounds down,
    // 1 + 3·2^-11 up), a carry into the exponent, subnormals and their ties, underflow to zero,
    // the largest finite half, negatives; then random values over many magnitudes.
    const edges = [
      1,
      -1,
      0.5,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      2047 / 1024 + 2 ** -11,
      2 ** -14,
      2 ** -24,
      3 * 2 ** -25,
      2 ** -25,
      2 ** -26,
      65_504,
      -65_504,
      65_519,
      0.1,
      -0.333,
      1e-7,
      12_345.678,
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const randoms = Array.from(
      { length: 2000 },
      () => (random() - 0.5) * 10 ** Math.floor(random() * 10 - 6),
    );
    const values = Float32Array.from([...edges, ...randoms]);
    await db.orm.execute(sql`CREATE TABLE halves (embedding halfvec(${sql.raw(String(values.length))}))`);
    const bytes = encodeCopyBinary({ columns: [{ name: 'embedding', type: 'halfvec' }], rows: [[values]] });
    await db.pglite?.query(`COPY halves (embedding) FROM '/dev/blob' (FORMAT binary)`, [], {
      blob: new Blob([bytes as Uint8Array<ArrayBuffer>]),
    });
    const [row] = await queryRows<{ same: boolean; stored: string }>(
      db.orm,
      sql`SELECT embedding = ${`[${Array.from(values).join(',')}]`}::halfvec AS same, embedding::text AS stored FROM halves`,
    );
    expect(row?.same).toBe(true);
    const stored = parseVector(row?.stored);
    expect(stored.slice(0, 6)).toEqual([1, -1, 0.5, 1, 1 + 4 * 2 ** -11, 2]);
    expect(stored.slice(6, 11)).toEqual([2 ** -14, 2 ** -24, 2 ** -23, 0, 0]);
    expect(stored.slice(11, 14)).toEqual([65_504, -65_504, 65_504]);
    // Within float16 precision: relative error ≤ 2^-11 for normal halves, absolute ≤ 2^-25 below.
    values.forEach((value, index) => {
      const error = Math.abs((stored[index] as number) - value);
      expect(error).toBeLessThanOrEqual(Math.max(Math.abs(value) * 2 ** -11, 2 ** -25));
    });
  });

  it('writes the documented header and trailer', () => {
    const bytes = Buffer.from(encodeCopyBinary({ columns, rows: [] }));
    expect(bytes.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(bytes.readInt32BE(11)).toBe(0);
    expect(bytes.readInt32BE(15)).toBe(0);
    expect(bytes.readInt16BE(19)).toBe(-1);
    expect(bytes.length).toBe(21);
  });
});
