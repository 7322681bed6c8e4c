import { DjeError } from '@dynamic-embeddings/core';
import { databaseTargets } from '@dynamic-embeddings/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { type Filter, parseFilter } from './filters.js';
import { tableExists } from './index.js';
import { connectTarget, testRecord, testVector } from './testing/records.js';
import { createVectorStore } from './vector-store.js';
import type { EmbeddingInput, VectorStore } from './vector-store-types.js';

const DIMENSIONS = 8;

function filterError(input: unknown): DjeError {
  try {
    parseFilter(input);
  } catch (error) {
    if (DjeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseFilter', () => {
  it('reads a bare value as $eq and keeps operator objects', () => {
    // The parsed form is itself a Filter, so callers can pass it on (e.g. the HTTP body schema).
    const parsed: Filter = parseFilter({ strategy: 'flat', $or: [{ domain_tags: { $any: ['a'] } }] });
    expect(parsed).toEqual({ strategy: { $eq: 'flat' }, $or: [{ domain_tags: { $any: ['a'] } }] });
    expect(parseFilter({ strategy: 'flat', depth_level: { $gte: 1, $lt: 3 }, is_leaf: false })).toEqual({
      strategy: { $eq: 'flat' },
      depth_level: { $gte: 1, $lt: 3 },
      is_leaf: { $eq: false },
    });
    expect(parseFilter({ path: null })).toEqual({ path: { $eq: null } });
  });

  it.each([
    [{ colour: 'red' }, 'colour', /unknown filter key "colour"/],
    [{ "strategy = 'x'; DROP TABLE y; --": 1 }, "strategy = 'x'; DROP TABLE y; --", /unknown filter key/],
    [{ strategy: { $like: 'x%' } }, '$like', /unknown operator "\$like"/],
    [
      { strategy: { $gt: 'a' } },
      '$gt',
      /unknown operator "\$gt"; string fields take \$eq, \$ne, \$in, \$nin/,
    ],
    [{ path: { $regex: '.*' } }, '$regex', /path fields take .*\$prefix/],
    [{ $or: [{ strategy: 'a' }, { colour: 1 }] }, 'colour', /unknown filter key "colour"/],
    [{ $and: [{ depth_level: { $between: [1, 2] } }] }, '$between', /unknown operator/],
    [{ metadata: { market: 'NO' } }, 'market', /unknown operator "market"; JSON fields take \$contains/],
  ])('rejects unknown keys and operators: %j', (input, key, message) => {
    const error = filterError(input);
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.details).toMatchObject({ key });
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ depth_level: 'deep' }, 'depth_level'],
    [{ depth_level: { $gt: '1' } }, 'depth_level.$gt'],
    [{ semantic_density: { $lt: Number.POSITIVE_INFINITY } }, 'semantic_density.$lt'],
    [{ is_leaf: 'yes' }, 'is_leaf'],
    [{ strategy: {} }, 'strategy'],
    [{ strategy: ['a', 'b'] }, 'strategy'],
    [{ document_id: { $in: 'doc-1' } }, 'document_id.$in'],
    [{ domain_tags: ['ads'] }, 'domain_tags'],
    [{ domain_tags: { $any: [] } }, 'domain_tags.$any'],
    [{ metadata: { $contains: 'NO' } }, 'metadata.$contains'],
    [{ strategy: 'nul\u0000' }, 'strategy.$eq'],
    [{ $or: [] }, '$or'],
    [{ $and: { strategy: 'a' } }, '$and'],
  ])('rejects ill-typed values: %j at %s', (input, path) => {
    const error = filterError(input);
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.details).toMatchObject({ path });
    expect(error.message).toContain(`"${path}"`);
  });

  it('rejects filters that are not objects, and absurd nesting', () => {
    for (const input of [null, 'strategy=flat', ['strategy'], 42]) {
      expect(filterError(input).code).toBe('INVALID_FILTER');
    }
    let nested: Filter = { strategy: 'a' };
    for (let level = 0; level < 20; level++) nested = { $and: [nested] };
    expect(filterError(nested).message).toMatch(/nested more than/);
  });
});

/** Fixture rows whose columns vary independently, so each operator selects a distinct subset. */
function fixture(): EmbeddingInput[] {
  return Array.from({ length: 60 }, (_, index) =>
    testRecord({
      index,
      dimensions: DIMENSIONS,
      overrides: {
        document_id: `doc-${index % 6}`,
        strategy: ['flat', 'semantic', 'hierarchical'][index % 3] as string,
        content_type: index % 2 === 0 ? 'array' : 'object',
        path:
          index % 5 === 0
            ? null
            : index % 7 === 0
              ? `a%b_${index}`
              : index % 7 === 1
                ? `aXbY${index}`
                : `root.${index % 4 === 0 ? 'users' : 'orders'}[${index}]`,
        depth_level: index % 4,
        // The columns are nullable; EmbeddingInput's types leave NULL out, the store accepts it.
        hierarchy_level: index % 10 === 0 ? (null as unknown as number) : index % 3,
        semantic_density: index / 60,
        is_leaf: index % 2 === 0,
        contains_arrays: index % 11 === 0 ? (null as unknown as boolean) : index % 3 === 0,
        domain_tags: index % 4 === 0 ? null : ([['ads'], ['ads', 'mobile'], ['web']][index % 3] as string[]),
        metadata: {
          market: index % 2 === 0 ? 'SE' : 'NO',
          score: index % 5,
          nested: { flag: index % 3 === 0 },
        },
      },
    }),
  );
}

const tags = (record: EmbeddingInput) => record.domain_tags ?? [];
const market = (record: EmbeddingInput) => record.metadata?.market;

/** Each filter with the same condition written as a JavaScript predicate. */
const cases: [string, Filter, (record: EmbeddingInput) => boolean][] = [
  ['bare value', { strategy: 'flat' }, (r) => r.strategy === 'flat'],
  ['$ne', { strategy: { $ne: 'flat' } }, (r) => r.strategy !== 'flat'],
  ['$in', { document_id: { $in: ['doc-1', 'doc-2'] } }, (r) => ['doc-1', 'doc-2'].includes(r.document_id)],
  ['$nin', { document_id: { $nin: ['doc-1'] } }, (r) => r.document_id !== 'doc-1'],
  ['empty $in matches nothing', { strategy: { $in: [] } }, () => false],
  ['$gt', { depth_level: { $gt: 1 } }, (r) => (r.depth_level ?? 0) > 1],
  [
    '$gte and $lt together',
    { depth_level: { $gte: 1, $lt: 3 } },
    (r) => [1, 2].includes(r.depth_level ?? -1),
  ],
  ['$lte on a float', { semantic_density: { $lte: 0.25 } }, (r) => (r.semantic_density ?? 0) <= 0.25],
  ['null means IS NULL', { hierarchy_level: null }, (r) => r.hierarchy_level === null],
  ['$ne null means IS NOT NULL', { hierarchy_level: { $ne: null } }, (r) => r.hierarchy_level !== null],
  ['$ne keeps NULLs', { hierarchy_level: { $ne: 1 } }, (r) => r.hierarchy_level !== 1],
  [
    '$nin keeps NULLs',
    { hierarchy_level: { $nin: [1, 2] } },
    (r) => ![1, 2].includes(r.hierarchy_level ?? -1),
  ],
  ['boolean', { is_leaf: true }, (r) => r.is_leaf === true],
  ['boolean $ne keeps NULLs', { contains_arrays: { $ne: true } }, (r) => r.contains_arrays !== true],
  ['$prefix', { path: { $prefix: 'root.users' } }, (r) => r.path?.startsWith('root.users') === true],
  [
    '$prefix takes LIKE wildcards literally',
    { path: { $prefix: 'a%b_' } },
    (r) => r.path?.startsWith('a%b_') === true,
  ],
  [
    '$any',
    { domain_tags: { $any: ['mobile', 'web'] } },
    (r) => tags(r).some((tag) => ['mobile', 'web'].includes(tag)),
  ],
  [
    '$all',
    { domain_tags: { $all: ['ads', 'mobile'] } },
    (r) => ['ads', 'mobile'].every((tag) => tags(r).includes(tag)),
  ],
  ['$contains', { metadata: { $contains: { market: 'NO' } } }, (r) => market(r) === 'NO'],
  [
    '$contains nested',
    { metadata: { $contains: { nested: { flag: true }, score: 0 } } },
    (r) => (r.metadata?.nested as { flag: boolean } | undefined)?.flag === true && r.metadata?.score === 0,
  ],
  [
    '$or',
    { $or: [{ strategy: 'flat' }, { depth_level: 3 }] },
    (r) => r.strategy === 'flat' || r.depth_level === 3,
  ],
  [
    'nested $and / $or beside a field',
    {
      content_type: 'object',
      $and: [
        { strategy: { $in: ['flat', 'semantic'] } },
        { $or: [{ depth_level: { $lte: 1 } }, { metadata: { $contains: { score: 4 } } }] },
      ],
    },
    (r) =>
      r.content_type === 'object' &&
      ['flat', 'semantic'].includes(r.strategy) &&
      ((r.depth_level ?? 0) <= 1 || r.metadata?.score === 4),
  ],
  ['empty filter', {}, () => true],
];

describe.each(databaseTargets)('compiled filters on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  let store: VectorStore;
  const records = fixture();
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
    store = createVectorStore(db, {
      namespace: 'filters',
      embedding: { provider: 'test', model: 'filters', dimensions: DIMENSIONS },
    });
    await store.insertEmbeddings(records);
  });
  afterAll(async () => {
    await close();
  });

  it.each(cases)('%s selects exactly the matching rows', async (_label, filters, predicate) => {
    const expected = records.filter(predicate).map((record) => record.chunk_id);
    const results = await store.similaritySearch({ vector: testVector(1, DIMENSIONS), limit: 1000, filters });
    expect(results.map(([record]) => record.chunk_id).sort()).toEqual(expected.sort());
  });

  it('uses filter values only as parameters', async () => {
    const hostile = "flat' OR '1'='1'; DROP TABLE embeddings_filters; --";
    const results = await store.similaritySearch({
      vector: testVector(1, DIMENSIONS),
      limit: 1000,
      filters: { strategy: hostile, $or: [{ path: { $prefix: "'); DROP TABLE dje_namespaces; --" } }] },
    });
    expect(results).toEqual([]);
    expect(await tableExists(db.orm, 'embeddings_filters')).toBe(true);
    expect(await tableExists(db.orm, 'dje_namespaces')).toBe(true);
  });
});
