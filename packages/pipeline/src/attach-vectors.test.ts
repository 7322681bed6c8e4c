import { chunkJson } from '@dynamic-embeddings/chunking';
import { describe, expect, it } from 'vitest';
import { attachVectors } from './attach-vectors.js';
import { prepareDocument } from './document-rows.js';
import { createCountingProvider } from './testing/counting-provider.js';
import { loadExample } from './testing/fixtures.js';

const rows = prepareDocument(
  chunkJson(loadExample('app-config'), { documentId: 'config', collectionName: 'c' }),
  'c',
).rows;

describe('attachVectors', () => {
  it('sends each distinct new text once and gives repeated texts the same vector', async () => {
    const provider = createCountingProvider({ dimensions: 32 });
    const doubled = [...rows, ...rows.map((row) => ({ ...row, chunk_id: `${row.chunk_id}-copy` }))];
    const attached = await attachVectors({
      provider,
      rows: doubled,
      storedVector: () => undefined,
      concurrency: 2,
    });
    expect(provider.texts).toEqual(rows.map((row) => row.text));
    expect(attached).toMatchObject({ embedded: doubled.length, reused: 0 });
    const half = rows.length;
    attached.records.slice(0, half).forEach((record, index) => {
      expect(record.embedding).toEqual(attached.records[half + index]?.embedding);
      expect(record).not.toHaveProperty('text_hash');
    });
  });

  it('reuses stored vectors of the right length and embeds again when the length is wrong', async () => {
    const provider = createCountingProvider({ dimensions: 32 });
    const [first, second, ...rest] = rows;
    const stored = new Map([
      [first!.text_hash, new Float32Array(32).fill(0.5)],
      [second!.text_hash, new Float32Array(16).fill(0.5)],
    ]);
    const attached = await attachVectors({
      provider,
      rows,
      storedVector: (row) => stored.get(row.text_hash),
      concurrency: 1,
    });
    expect(attached).toMatchObject({ reused: 1, embedded: rows.length - 1 });
    expect(attached.records[0]?.embedding).toBe(stored.get(first!.text_hash));
    expect(provider.texts).toEqual([second!.text, ...rest.map((row) => row.text)]);
  });
});
