// compileFilterOnce: a plain-JSON filter is validated and compiled once per table, and only a filter
// JSON describes exactly is remembered; searches through the memo return what the filter selects.
import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { compileFilterOnce, plainJson } from './filter-memo.js';
import { openNamespace } from './namespace-handle.js';
import { tableByName } from './namespace-table.js';
import { connectTarget, seedIndexedNamespace, testVector } from './testing/records.js';

const DIMENSIONS = 8;
const identity = { dimensions: DIMENSIONS, provider: 'test', model: 'filter-memo' } as const;

describe('plainJson', () => {
  it('writes plain JSON values as JSON', () => {
    const value = { metadata: { $contains: { a: [1, 'two', null, true, { b: -1.5 }] } }, $or: [] };
    expect(plainJson(value)).toBe(JSON.stringify(value));
    expect(plainJson(Object.assign(Object.create(null), { x: 1 }))).toBe('{"x":1}');
  });

  it.each([
    ['undefined', { metadata: { $eq: undefined } }],
    ['a Date', { created_at: { $gte: new Date(0) } }],
    ['NaN', { confidence: { $gt: Number.NaN } }],
    ['Infinity', { confidence: { $lt: Number.POSITIVE_INFINITY } }],
    ['-0', { depth_level: { $eq: -0 } }],
    ['a hole in an array', { strategy: { $in: new Array<string>(2).fill('flat', 1) } }],
    ['a class instance', { metadata: { $contains: new Map() } }],
    ['a symbol key', { [Symbol('x')]: 1, strategy: 'flat' }],
    ['a function', { strategy: () => 'flat' }],
    ['a bigint', { depth_level: 1n }],
  ])('has no key for a filter holding %s', (_label, value) => {
    expect(plainJson(value)).toBeUndefined();
  });
});

describe('compileFilterOnce', () => {
  const table = tableByName('embeddings_memo', { dimensions: DIMENSIONS });

  it('compiles an equal filter once: the same condition and key for a new object', () => {
    const first = compileFilterOnce(table, { metadata: { $contains: { group: 'a' } } });
    const again = compileFilterOnce(table, { metadata: { $contains: { group: 'a' } } });
    expect(first.key).toBe('{"metadata":{"$contains":{"group":"a"}}}');
    expect(again.where).toBe(first.where);
    expect(again.key).toBe(first.key);
  });

  it('keeps filters apart that JSON tells apart (1 and "1")', () => {
    const number = compileFilterOnce(table, { metadata: { $contains: { group: 1 } } });
    const text = compileFilterOnce(table, { metadata: { $contains: { group: '1' } } });
    expect(number.key).not.toBe(text.key);
    expect(number.where).not.toBe(text.where);
  });

  it('refuses an invalid filter every time, with INVALID_FILTER', async () => {
    for (const _ of [1, 2]) {
      const error = await djeErrorOf(
        Promise.resolve().then(() => compileFilterOnce(table, { nope: { $eq: 1 } })),
      );
      expect(error.code).toBe('INVALID_FILTER');
    }
  });

  it('compiles a filter without a faithful JSON afresh, with no key', async () => {
    const error = await djeErrorOf(
      Promise.resolve().then(() => compileFilterOnce(table, { depth_level: { $eq: Number.NaN } })),
    );
    expect(error.code).toBe('INVALID_FILTER');
    const compiled = compileFilterOnce(table, { strategy: { $eq: 'flat', $ne: undefined } });
    expect(compiled.key).toBeUndefined();
    expect(compiled.where).toBeDefined();
  });
});

describe.each(databaseTargets)('searches through remembered filters on $name', (target) => {
  let close: () => Promise<void>;
  let db: Database;

  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
    await seedIndexedNamespace(db, {
      namespace: 'memo',
      identity,
      count: 40,
      metadata: (index) => ({ group: index % 2 === 0 ? 1 : '1' }),
    });
  });
  afterAll(async () => {
    await close?.();
  });

  it('returns the rows of each filter, alternating filters that differ only in type', async () => {
    const handle = await openNamespace(db, 'memo');
    for (let round = 0; round < 3; round += 1) {
      for (const [group, parity] of [
        [1, 0],
        ['1', 1],
      ] as const) {
        const { results, plan } = await handle.searchWithPlan({
          vector: testVector(round, DIMENSIONS),
          limit: 30,
          filters: { metadata: { $contains: { group } } },
        });
        expect(plan.matching_rows).toBe(20);
        const indexes = results.map(([record]) => Number(record.chunk_id.slice('chunk-'.length)));
        expect(indexes).toHaveLength(20);
        expect(indexes.every((index) => index % 2 === parity)).toBe(true);
      }
    }
  });
});
