import { describe, expect, it } from 'vitest';
import { hybridDataset } from './hybrid-dataset.js';

describe('hybridDataset', () => {
  const dataset = hybridDataset({ documents: 400, queriesPerSet: 40 });
  const byId = new Map(dataset.documents.map((document) => [document.documentId, document]));

  it('generates the four shapes with unique ids, the same every run', () => {
    expect(dataset.documents).toHaveLength(400);
    expect(byId.size).toBe(400);
    const shapes = new Set(dataset.documents.map((document) => Object.keys(document.data)[0]));
    expect(shapes).toEqual(new Set(['campaign_id', 'sku', 'device_id', 'report_id']));
    expect(hybridDataset({ documents: 400, queriesPerSet: 40 })).toEqual(dataset);
  });

  it('asks about the same documents, of every shape, in each set', () => {
    for (const set of ['identifiers', 'descriptive', 'mixed'] as const) {
      expect(dataset.queries[set]).toHaveLength(40);
      expect(dataset.queries[set].map((query) => query.documentId)).toEqual(
        dataset.queries.identifiers.map((query) => query.documentId),
      );
    }
    const shapes = new Set(dataset.queries.identifiers.map((query) => query.documentId.slice(0, 3)));
    expect(shapes).toEqual(new Set(['cmp', 'sku', 'dev', 'rep']));
  });

  it('identifier queries are the id; mixed ones the id and words of the document; descriptive ones lack some', () => {
    dataset.queries.identifiers.forEach((query, index) => {
      const text = JSON.stringify(byId.get(query.documentId)?.data).toLowerCase();
      expect(query.text).toBe(query.documentId);
      const mixed = dataset.queries.mixed[index]!;
      for (const word of mixed.text.toLowerCase().split(' ')) expect(text).toContain(word);
      const descriptive = dataset.queries.descriptive[index]!;
      expect(descriptive.text).not.toContain(query.documentId);
      const missing = descriptive.text
        .toLowerCase()
        .split(' ')
        .filter((word) => !text.includes(word));
      expect(missing.length).toBeGreaterThan(0);
    });
  });
});
