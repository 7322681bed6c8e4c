import { describe, expect, it } from 'vitest';
import { buildFilter, emptyFilterFields, searchModes } from './search-filter.js';

describe('buildFilter', () => {
  it('sends nothing for an empty form', () => {
    expect(buildFilter(emptyFilterFields)).toBeUndefined();
  });

  it('combines the JSON editor with the form fields, the form winning on the same field', () => {
    const filter = buildFilter({
      ...emptyFilterFields,
      json: '{"document_id": "a", "metadata": {"$contains": {"region": "EU"}}}',
      documentId: ' b ',
      strategy: 'flat',
      maxDepth: '2',
    });
    expect(filter).toEqual({
      document_id: 'b',
      metadata: { $contains: { region: 'EU' } },
      strategy: 'flat',
      depth_level: { $lte: 2 },
    });
  });

  it('names the problem with the JSON', () => {
    expect(() => buildFilter({ ...emptyFilterFields, json: '{"a":' })).toThrow(/filter JSON is not valid/);
    expect(() => buildFilter({ ...emptyFilterFields, json: '[1]' })).toThrow(/must be an object/);
  });
});

describe('searchModes', () => {
  it("reads the search request's mode enum from the OpenAPI document, none when it has no mode", () => {
    const document = (properties: Record<string, unknown>) => ({
      components: { schemas: { SearchRequest: { type: 'object', properties } } },
    });
    expect(searchModes(document({ query: { type: 'string' } }))).toEqual([]);
    expect(
      searchModes(
        document({ mode: { type: 'string', enum: ['vector', 'keyword', 'hybrid'], default: 'vector' } }),
      ),
    ).toEqual(['vector', 'keyword', 'hybrid']);
    expect(searchModes(undefined)).toEqual([]);
  });
});
