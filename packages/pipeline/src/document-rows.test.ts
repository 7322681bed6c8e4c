import { createHash } from 'node:crypto';
import { chunkJson } from '@dynamic-embeddings/chunking';
import { describe, expect, it } from 'vitest';
import { prepareDocument } from './document-rows.js';
import { loadExample } from './testing/fixtures.js';

describe('prepareDocument', () => {
  it('keeps every chunk column, adds the collection and the sha256 of the text', () => {
    const result = chunkJson(loadExample('products'), { documentId: 'products', collectionName: 'shop' });
    const document = prepareDocument(result, 'shop');
    expect(document).toMatchObject({ documentId: 'products', chunks: result.chunks.length, skipped: 0 });
    expect(document.tokens).toBe(result.chunks.reduce((sum, chunk) => sum + chunk.token_count, 0));
    document.rows.forEach((row, index) => {
      const { document_id: _documentId, ...chunk } = result.chunks[index]!;
      expect(row).toEqual({
        ...chunk,
        document_id: 'products',
        collection_name: 'shop',
        text_hash: createHash('sha256').update(chunk.text).digest('hex'),
      });
    });
  });

  it('leaves out chunks whose text is blank and counts them as skipped', () => {
    const result = chunkJson({ name: 'tent', price: 12 }, { documentId: 'tent', collectionName: 'shop' });
    const [chunk] = result.chunks;
    const withBlank = {
      ...result,
      chunks: [...result.chunks, { ...chunk!, chunk_id: 'shop/tent#blank', text: ' \n' }],
    };
    const document = prepareDocument(withBlank, 'shop');
    expect(document).toMatchObject({ chunks: result.chunks.length + 1, skipped: 1 });
    expect(document.rows.map((row) => row.chunk_id)).not.toContain('shop/tent#blank');
    expect(document.tokens).toBe(result.chunks.reduce((sum, item) => sum + item.token_count, 0));
  });
});
