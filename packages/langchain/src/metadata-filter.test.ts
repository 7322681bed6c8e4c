import { djeErrorOf } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';
import { toDatabaseFilter } from './metadata-filter.js';

const contains = (value: Record<string, unknown>) => ({ metadata: { $contains: value } });

describe('toDatabaseFilter', () => {
  it('maps values, $eq, $in, $and and $or onto metadata containment the db filter accepts', () => {
    const mapped = toDatabaseFilter({
      source: 'crm',
      year: { $in: [2023, 2024] },
      $or: [{ team: { $eq: 'red' } }, { nested: { q: 3 } }],
    });
    expect(mapped).toEqual({
      $and: [
        contains({ source: 'crm' }),
        { $or: [contains({ year: 2023 }), contains({ year: 2024 })] },
        { $or: [contains({ team: 'red' }), contains({ nested: { q: 3 } })] },
      ],
    });
    expect(toDatabaseFilter({ source: 'crm' })).toEqual(contains({ source: 'crm' }));
    expect(toDatabaseFilter({})).toEqual({});
  });

  it('refuses unknown operators and keys, naming the key', async () => {
    const cases: [unknown, string][] = [
      [{ year: { $gte: 2020 } }, 'year'],
      [{ year: { $eq: 1, $nin: [2] } }, 'year'],
      [{ $where: 'x' }, '$where'],
      [{ $or: [] }, '$or'],
      [{ $and: [{ tag: { $in: 'a' } }] }, 'tag'],
      ['source = crm', ''],
    ];
    for (const [filter, key] of cases) {
      const error = await djeErrorOf(Promise.resolve().then(() => toDatabaseFilter(filter)));
      expect(error.code, JSON.stringify(filter)).toBe('INVALID_METADATA_FILTER');
      expect(error.details).toEqual({ key });
    }
  });
});
