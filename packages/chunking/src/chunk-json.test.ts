// Behaviour on realistic documents (the fixtures), the text format, ids, paths, and bad input.
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { adCampaign } from './__fixtures__/ad-campaign.js';
import { appConfig } from './__fixtures__/app-config.js';
import { iotNetwork } from './__fixtures__/iot-network.js';
import { productCatalog } from './__fixtures__/product-catalog.js';
import { yieldAnalysis } from './__fixtures__/yield-analysis.js';
import { chunkJson } from './chunk-json.js';
import { columnProblems, compactJsonLength, contentLength, missingLeaves } from './testing/support.js';
import { type Chunk, chunkingStrategies } from './types.js';

const fixtures: Record<string, unknown> = {
  'ad campaign': adCampaign,
  'yield analysis': yieldAnalysis,
  'IoT network': iotNetwork(),
  'product catalog': productCatalog,
  'app config': appConfig,
};

const contentOf = (chunk: Chunk): string => chunk.text.slice(chunk.metadata.header_length as number);

describe.each(Object.entries(fixtures))('chunkJson on the %s fixture', (_name, document) => {
  it.each(chunkingStrategies)('with %s keeps every leaf and fills every column correctly', (strategy) => {
    const result = chunkJson(document, { documentId: 'fixture-1', strategy });
    expect(result.strategy).toBe(strategy);
    expect(missingLeaves(document, result.chunks)).toEqual([]);
    expect(columnProblems(result, { maxTokens: 512 })).toEqual([]);
    expect(contentLength(result.chunks)).toBeLessThanOrEqual(1.6 * compactJsonLength(document));
    for (const chunk of result.chunks) expect(chunk.strategy).toBe(strategy);
  });

  it('gives byte-identical output for the same input', () => {
    const first = chunkJson(document, { documentId: 'fixture-1' });
    const second = chunkJson(structuredClone(document), { documentId: 'fixture-1' });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});

describe('text format', () => {
  const chunks = chunkJson(appConfig, { documentId: 'checkout-config', strategy: 'flat' }).chunks;

  it('starts with a header naming the document and path, then key: value lines', () => {
    const [first] = chunks;
    expect(first?.text.split('\n')[0]).toBe('Document checkout-config');
    expect(first?.text).toContain(
      '\napp: {name: checkout-service, version: 4.12.0, environment: production}\n',
    );
    expect(first?.text).toMatch(/\n\[server\]\nhost: 0\.0\.0\.0\nport: 8080\n/);
    expect(first?.text).toContain('tls: {enabled: true, cert_path: /etc/tls/cert.pem, min_version: TLSv1.2}');
    expect(first?.text).toContain('retries: {max_attempts: 3, backoff_ms: [100, 400, 1600]}');
  });

  it('keeps bookkeeping out of the text', () => {
    for (const chunk of chunks) {
      expect(chunk.text).not.toMatch(/chunk_id|header_length|parent_chunk|undefined|\[object Object\]/);
      expect(chunk.text).not.toContain('"host"');
    }
  });

  it("keeps one object's keys in one chunk when they fit", () => {
    const small = chunkJson(appConfig, {
      documentId: 'checkout-config',
      strategy: 'flat',
      maxTokens: 128,
    }).chunks;
    expect(small.length).toBeGreaterThan(1);
    const holding = small.filter((chunk) => chunk.text.includes('db-primary.internal'));
    expect(holding).toHaveLength(1);
    expect(holding[0]?.text).toMatch(
      /\[primary\]\nhost: db-primary\.internal\nport: 5432\nname: checkout\n\[primary\.pool\]\nmin: 4\nmax: 32\n/,
    );
  });

  it('quotes keys that could be misread and renders empty strings visibly', () => {
    const text = chunkJson({ '': 1, ' padded': 2, 'a: b': 3, '#tag': 4, blank: '' }, { documentId: 'keys' })
      .chunks[0]?.text;
    expect(text).toContain('\n"": 1\n" padded": 2\n"a: b": 3\n"#tag": 4\nblank: ""');
  });

  it('writes a scalar or empty document as its value', () => {
    for (const [value, expected] of [
      [42, '42'],
      ['hello', 'hello'],
      [null, 'null'],
      [false, 'false'],
      [{}, '{}'],
      [[], '[]'],
      [[1, 'two', null], '1, two, null'],
    ] as const) {
      const result = chunkJson(value, { documentId: 'scalar' });
      expect(result.chunks).toHaveLength(1);
      expect(result.chunks[0]?.text).toBe(`Document scalar\n${expected}`);
      expect(columnProblems(result, { maxTokens: 512 })).toEqual([]);
    }
  });
});

describe('strategies on their fixtures', () => {
  it('auto slices the IoT readings as self-describing tables (dimensional)', () => {
    const document = iotNetwork();
    const result = chunkJson(document, { documentId: 'plant', config: 'iot' });
    expect(result.strategy).toBe('dimensional');
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.scores?.dimensional).toBeGreaterThan(result.scores?.flat ?? 0);
    const slices = result.chunks.filter((chunk) => chunk.path?.startsWith('$.readings['));
    expect(slices.every((slice) => slice.content_type === 'array_slice')).toBe(true);
    expect(slices.length).toBeGreaterThan(10);
    let next = 0;
    for (const slice of slices) {
      const { start, end, total } = slice.metadata.elements as { start: number; end: number; total: number };
      expect(start).toBe(next);
      expect(total).toBe(600);
      expect(slice.path).toBe(`$.readings[${start}:${end}]`);
      expect(slice.text.split('\n')[0]).toBe(`Document plant · readings · rows ${start}–${end - 1} of 600`);
      expect(slice.text.split('\n')[1]).toBe(
        'columns: sensor_id | timestamp | temperature_c | humidity_pct | battery_pct | status',
      );
      expect(slice.text.split('\n')[2]).toMatch(new RegExp(`^${start}: sn-\\d{3} \\| 2024-05-01T`));
      expect(slice.domain_tags).toContain('iot');
      next = end;
    }
    expect(next).toBe(600);
    // The rest of the document is chunked normally, not left as one giant remainder.
    const rest = result.chunks.filter((chunk) => !slices.includes(chunk));
    expect(rest.some((chunk) => chunk.text.includes('network_id: plant-oslo-01'))).toBe(true);
    expect(Math.max(...rest.map((chunk) => chunk.token_count))).toBeLessThanOrEqual(512);
  });

  it('hierarchical: a parent references its child chunks instead of copying them', () => {
    const result = chunkJson(adCampaign, { documentId: 'cmp', strategy: 'hierarchical' });
    const root = result.chunks[0]!;
    const targeting = result.chunks.find((chunk) => chunk.path === '$.targeting')!;
    expect(root.path).toBe('$');
    expect(root.text).toContain(
      '\ntargeting: → 5 keys: geographic, demographics, interests, devices, audiences',
    );
    expect(root.text).not.toContain('Trondheim');
    expect(root.text).not.toContain('hiking, skiing');
    expect(targeting.parent_chunk_id).toBe(root.chunk_id);
    expect(targeting).toMatchObject({ depth_level: 1, hierarchy_level: 1 });
    expect(root).toMatchObject({ depth_level: 0, hierarchy_level: 0, is_leaf: false, parent_chunk_id: null });
    expect(root.metadata.child_chunk_ids).toContain(targeting.chunk_id);
    const geographic = result.chunks.find((chunk) => chunk.path === '$.targeting.geographic')!;
    expect(geographic).toMatchObject({
      parent_chunk_id: targeting.chunk_id,
      hierarchy_level: 2,
      is_leaf: true,
    });
    expect(geographic.text).toContain('cities: Oslo, Bergen, Trondheim, Stavanger, Drammen');
  });

  it('semantic: keeps metrics next to their reasoning and separates prose-heavy sections', () => {
    const result = chunkJson(yieldAnalysis, { documentId: 'yield', strategy: 'semantic' });
    const summary = result.chunks.find((chunk) => chunk.text.includes('revenue_change_pct: -9.8'))!;
    expect(contentOf(summary)).toMatch(/revenue_change_pct: -9\.8\nrevenue_change_reasoning: Revenue fell/);
    const units = result.chunks.filter((chunk) => chunk.text.includes('revenue_change_reasoning'));
    for (const chunk of units) expect(chunk.semantic_density).toBeGreaterThan(0.7);
    expect(result.chunks.some((chunk) => chunk.content_type === 'text')).toBe(true);
    expect(
      result.chunks.every((chunk) => chunk.domain_tags.length === 0 || chunk.domain_tags.includes('finance')),
    ).toBe(true);
  });

  it('auto picks semantic for the yield analysis and a slicing strategy for the catalog', () => {
    expect(chunkJson(yieldAnalysis, { documentId: 'yield' }).strategy).toBe('semantic');
    expect(chunkJson(productCatalog, { documentId: 'catalog' }).strategy).toBe('dimensional');
  });

  it('hybrid routes each top-level section and records the route', () => {
    const result = chunkJson(adCampaign, { documentId: 'cmp', strategy: 'hybrid' });
    const routes = new Set(result.chunks.map((chunk) => chunk.metadata.routed_strategy));
    expect(routes.size).toBeGreaterThan(1);
    const daily = result.chunks.filter((chunk) => chunk.path?.startsWith('$.performance.daily'));
    expect(daily.length).toBeGreaterThan(0);
    for (const chunk of daily) expect(chunk.metadata.routed_strategy).toBe('dimensional');
  });

  it('tags chunks with the domains of their keys', () => {
    const tags = (document: unknown) =>
      new Set(chunkJson(document, { documentId: 'd' }).chunks.flatMap((chunk) => chunk.domain_tags));
    expect(tags(adCampaign)).toContain('advertising');
    expect(tags(productCatalog)).toContain('ecommerce');
    expect(tags(appConfig)).toContain('configuration');
    expect(tags(yieldAnalysis)).toContain('finance');
  });
});

describe('splitting', () => {
  it('splits a long string into parts within maxTokens, noting the path, and loses nothing', () => {
    const notes = Array.from({ length: 400 }, (_, index) => `Sentence ${index} about campaign pacing.`).join(
      ' ',
    );
    const document = { id: 'n', notes };
    const result = chunkJson(document, { documentId: 'notes', maxTokens: 128 });
    const parts = result.chunks.flatMap(
      (chunk) =>
        (chunk.metadata.string_parts as { path: string; start: number; end: number }[] | undefined) ?? [],
    );
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.every((part) => part.path === '$.notes')).toBe(true);
    expect(parts.map((part) => notes.slice(part.start, part.end)).join('')).toBe(notes);
    expect(result.chunks.some((chunk) => chunk.text.includes('\nnotes (part 2/'))).toBe(true);
    expect(columnProblems(result, { maxTokens: 128 })).toEqual([]);
  });

  it('honours large and small maxTokens and other encodings exactly', () => {
    const document = iotNetwork(300);
    const large = chunkJson(document, { documentId: 'plant', maxTokens: 8192 });
    expect(columnProblems(large, { maxTokens: 8192 })).toEqual([]);
    expect(Math.max(...large.chunks.map((chunk) => chunk.token_count))).toBeGreaterThan(2000);
    const small = chunkJson(document, { documentId: 'plant', maxTokens: 128 });
    expect(columnProblems(small, { maxTokens: 128 })).toEqual([]);
    const o200kCounter = new Tiktoken(o200k);
    for (const chunk of chunkJson(adCampaign, { documentId: 'cmp', encoding: 'o200k_base' }).chunks) {
      expect(chunk.token_count).toBe(o200kCounter.encode(chunk.text, [], []).length);
    }
  });
});

describe('ids and paths', () => {
  it('makes ids from the collection, document and path: stable and unique across documents', () => {
    const one = chunkJson(adCampaign, { documentId: 'cmp-1', collectionName: 'campaigns' }).chunks;
    const two = chunkJson(adCampaign, { documentId: 'cmp-2', collectionName: 'campaigns' }).chunks;
    const other = chunkJson(adCampaign, { documentId: 'cmp-1', collectionName: 'archive' }).chunks;
    expect(one[0]?.chunk_id).toBe('campaigns/cmp-1#$');
    const ids = [...one, ...two, ...other].map((chunk) => chunk.chunk_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      chunkJson(adCampaign, { documentId: 'cmp-1', collectionName: 'campaigns' }).chunks.map(
        (chunk) => chunk.chunk_id,
      ),
    ).toEqual(one.map((chunk) => chunk.chunk_id));
  });

  it('escapes separators so that different documents never share an id', () => {
    const first = chunkJson({ x: 1 }, { documentId: 'a#$', collectionName: 'c/d' }).chunks[0]!.chunk_id;
    const second = chunkJson({ x: 1 }, { documentId: 'a', collectionName: 'c' }).chunks[0]!.chunk_id;
    expect(first).toBe('c%2Fd/a%23$#$');
    expect(first).not.toBe(second);
  });

  it('hashes ids and paths that would not fit their columns, keeping the full path in metadata', () => {
    const key = 'k'.repeat(300);
    let document: unknown = { value: 'deep' };
    for (let level = 0; level < 20; level += 1)
      document = { [`${key}${level}`]: document, [`s${level}`]: level };
    const result = chunkJson(document, { documentId: 'd'.repeat(500), strategy: 'flat' });
    expect(columnProblems(result, { maxTokens: 512, checkTokens: false })).toEqual([]);
    const shortened = result.chunks.filter((chunk) => chunk.metadata.full_path !== undefined);
    expect(shortened.length).toBeGreaterThan(0);
    for (const chunk of shortened) {
      expect(chunk.path?.length).toBeLessThanOrEqual(4096);
      expect(chunk.path).toMatch(/…#[0-9a-f]{32}$/);
      expect((chunk.metadata.full_path as string).length).toBeGreaterThan(4096);
      expect((chunk.metadata.full_path as string).startsWith(chunk.path!.slice(0, 4000))).toBe(true);
    }
    for (const chunk of result.chunks) expect(chunk.chunk_id.length).toBeLessThanOrEqual(512);
    expect(missingLeaves(document, result.chunks)).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    ['undefined', { a: undefined }, '$.a'],
    ['NaN', { a: [1, Number.NaN] }, '$.a[1]'],
    ['Infinity', Number.POSITIVE_INFINITY, '$'],
    ['a function', { run: () => 1 }, '$.run'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a Map', new Map(), '$'],
    ['a bigint', { big: 10n }, '$.big'],
  ])('rejects %s with INVALID_JSON_VALUE naming its path', (_name, value, path) => {
    expect(() => chunkJson(value, { documentId: 'bad' })).toThrowError(
      expect.objectContaining({
        code: 'INVALID_JSON_VALUE',
        kind: 'validation',
        details: expect.objectContaining({ path }),
      }),
    );
  });

  it('rejects cycles instead of looping', () => {
    const cyclic: Record<string, unknown> = { name: 'loop', child: { items: [] as unknown[] } };
    ((cyclic.child as Record<string, unknown>).items as unknown[]).push(cyclic);
    expect(() => chunkJson(cyclic, { documentId: 'bad' })).toThrowError(
      expect.objectContaining({
        code: 'INVALID_JSON_VALUE',
        message: expect.stringContaining('contains itself'),
      }),
    );
  });

  it.each([
    [{ documentId: '' }, 'INVALID_DOCUMENT_ID'],
    [{ documentId: 'x'.repeat(513) }, 'INVALID_DOCUMENT_ID'],
    [{ documentId: 7 as unknown as string }, 'INVALID_DOCUMENT_ID'],
    [{ documentId: 'd', maxTokens: 100 }, 'INVALID_MAX_TOKENS'],
    [{ documentId: 'd', maxTokens: 512.5 }, 'INVALID_MAX_TOKENS'],
    [{ documentId: 'd', strategy: 'clever' as 'flat' }, 'INVALID_STRATEGY'],
    [{ documentId: 'd', encoding: 'gpt2' as 'cl100k_base' }, 'INVALID_ENCODING'],
    [{ documentId: 'd', config: 'retail' }, 'UNKNOWN_CONFIG'],
  ])('rejects options %j with %s', (options, code) => {
    expect(() => chunkJson({ a: 1 }, options)).toThrowError(expect.objectContaining({ code }));
  });
});
