// processJsonStream: NDJSON and top-level arrays, batching, re-ingestion, cancellation between
// batches, and errors in the middle of a stream.
import { chunkJson } from '@dynamic-embeddings/chunking';
import type { Database } from '@dynamic-embeddings/db';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline, ProgressEvent } from './pipeline-types.js';
import { type CountingProvider, createCountingProvider } from './testing/counting-provider.js';
import { sharedDatabase } from './testing/database.js';

let db: Database;
let provider: CountingProvider;
let pipeline: EmbeddingPipeline;
let namespaceCounter = 0;

beforeAll(async () => {
  db = await sharedDatabase();
});

beforeEach(async () => {
  provider = createCountingProvider({ dimensions: 64 });
  namespaceCounter++;
  pipeline = await createPipeline({ db, provider, namespace: `stream_${namespaceCounter}` });
});

const products = Array.from({ length: 10 }, (_, index) => ({
  id: `sku-${index}`,
  name: `Trail product ${index}`,
  category: ['tents', 'boots', 'lamps'][index % 3],
  price: { amount: 50 + index * 7, currency: 'EUR' },
  inventory: { in_stock: index % 4 !== 0, warehouse: index % 2 === 0 ? 'Oslo' : 'Bergen' },
  tags: ['outdoor', `tag-${index}`],
}));

/** Splits text into uneven pieces, as a file or socket would deliver it. */
async function* pieces(text: string, size = 37): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const ndjson = (documents: readonly unknown[]) =>
  documents.map((document) => JSON.stringify(document)).join('\n');

function expectedChunks(documents: readonly { id: string }[]): number {
  return documents.reduce(
    (sum, document) =>
      sum + chunkJson(document, { documentId: document.id, collectionName: 'catalog' }).chunks.length,
    0,
  );
}

async function storedDocumentIds(): Promise<string[]> {
  const ids = new Set<string>();
  for (const product of products) {
    if ((await pipeline.getDocument(product.id)).length > 0) ids.add(product.id);
  }
  return [...ids].sort();
}

describe('processJsonStream', () => {
  it('ingests NDJSON in batches, naming documents by their id field', async () => {
    const events: ProgressEvent[] = [];
    const result = await pipeline.processJsonStream(pieces(ndjson(products)), {
      collectionName: 'catalog',
      batchDocuments: 4,
      onProgress: (event) => events.push(event),
    });
    const chunks = expectedChunks(products);
    expect(result).toMatchObject({
      documents: 10,
      chunks,
      embedded: chunks,
      reused: 0,
      collection_name: 'catalog',
    });
    expect(events.filter((event) => event.phase === 'store').map((event) => event.done)).toEqual([4, 8, 10]);
    expect(await storedDocumentIds()).toEqual(products.map((product) => product.id).sort());
    for (const product of products.slice(0, 3)) {
      const rows = await pipeline.getDocument(product.id, { collectionName: 'catalog' });
      expect(rows).toHaveLength(
        chunkJson(product, { documentId: product.id, collectionName: 'catalog' }).chunks.length,
      );
    }
  });

  it('takes a top-level JSON array the same way, and a re-run reuses every vector', async () => {
    const first = await pipeline.processJsonStream(pieces(JSON.stringify(products, null, 2)), {
      collectionName: 'catalog',
    });
    expect(first.documents).toBe(10);
    provider.reset();
    const again = await pipeline.processJsonStream(pieces(JSON.stringify(products)), {
      collectionName: 'catalog',
    });
    expect(provider.calls).toBe(0);
    expect(again).toMatchObject({
      documents: 10,
      chunks: first.chunks,
      embedded: 0,
      reused: first.chunks,
      removed: 0,
    });
  });

  it('replaces a re-streamed document’s chunks, removing the ones it no longer has', async () => {
    await pipeline.processJsonStream(pieces(ndjson(products)), { collectionName: 'catalog' });
    const shrunk = products.map(({ tags: _tags, inventory: _inventory, ...rest }) => rest);
    const result = await pipeline.processJsonStream(pieces(ndjson(shrunk)), { collectionName: 'catalog' });
    expect(result.chunks).toBe(expectedChunks(shrunk));
    for (const product of shrunk.slice(0, 3)) {
      const rows = await pipeline.getDocument(product.id, { collectionName: 'catalog' });
      expect(rows.map((row) => row.text).sort()).toEqual(
        chunkJson(product, { documentId: product.id, collectionName: 'catalog' })
          .chunks.map((chunk) => chunk.text)
          .sort(),
      );
    }
  });

  it('uses the documentId function when given', async () => {
    const result = await pipeline.processJsonStream(pieces(ndjson(products.slice(0, 3))), {
      collectionName: 'catalog',
      documentId: (_document, index) => `line-${index + 1}`,
    });
    expect(result.documents).toBe(3);
    expect((await pipeline.getDocument('line-2')).length).toBeGreaterThan(0);
    expect(await pipeline.getDocument('sku-1')).toEqual([]);
  });

  it('a document repeated in one batch ends up as its last version', async () => {
    const older = { id: 'dup', note: 'first version about tents' };
    const newer = { id: 'dup', note: 'second version about boots' };
    await pipeline.processJsonStream(pieces(ndjson([older, newer])), { collectionName: 'catalog' });
    const texts = (await pipeline.getDocument('dup')).map((row) => row.text).join('\n');
    expect(texts).toContain('boots');
    expect(texts).not.toContain('tents');
  });

  it('stops between batches when aborted: earlier batches complete, nothing of later ones', async () => {
    const controller = new AbortController();
    const error = await pipeline
      .processJsonStream(pieces(ndjson(products)), {
        collectionName: 'catalog',
        batchDocuments: 3,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.phase === 'store' && event.done === 3) controller.abort();
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CANCELLED', kind: 'cancelled', details: { documents_stored: 3 } });
    expect(await storedDocumentIds()).toEqual(['sku-0', 'sku-1', 'sku-2']);
    for (const product of products.slice(0, 3)) {
      expect(await pipeline.getDocument(product.id)).toHaveLength(
        chunkJson(product, { documentId: product.id, collectionName: 'catalog' }).chunks.length,
      );
    }
  });

  it('an already aborted signal stores nothing and creates nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      pipeline.processJsonStream(pieces(ndjson(products)), {
        collectionName: 'catalog',
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await pipeline.getNamespaceStats()).exists).toBe(false);
    expect(provider.calls).toBe(0);
  });

  it('invalid JSON in the middle fails with its position; batches before it stay stored', async () => {
    const lines = products.slice(0, 6).map((product) => JSON.stringify(product));
    lines.splice(4, 0, '{"id": "broken", "name": ');
    const error = await pipeline
      .processJsonStream(pieces(lines.join('\n')), { collectionName: 'catalog', batchDocuments: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_JSON', details: { line: 5, documents_stored: 4 } });
    expect(await storedDocumentIds()).toEqual(['sku-0', 'sku-1', 'sku-2', 'sku-3']);
  });

  it('rejects a bad batch size', async () => {
    await expect(
      pipeline.processJsonStream(pieces(ndjson(products)), { collectionName: 'catalog', batchDocuments: 0 }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('the per-document rows of a long stream', () => {
  it('lists the first resultLimit documents and counts the rest in the totals', async () => {
    const all = await pipeline.processJsonStream(pieces(ndjson(products)), { collectionName: 'catalog' });
    expect(all).toMatchObject({ documents: 10, results_omitted: 0 });
    expect(all.results).toHaveLength(10);

    const limited = await pipeline.processJsonStream(pieces(ndjson(products)), {
      collectionName: 'limited',
      batchDocuments: 4,
      resultLimit: 3,
    });
    expect(limited.results.map((result) => result.document_id)).toEqual(['sku-0', 'sku-1', 'sku-2']);
    expect(limited).toMatchObject({ documents: 10, results_omitted: 7, chunks: all.chunks });
    expect((await pipeline.getCollectionStats('limited')).document_count).toBe(10);
  });

  it('refuses a resultLimit below 0 before anything is embedded', async () => {
    await expect(
      pipeline.processJsonStream(pieces(ndjson(products)), { collectionName: 'catalog', resultLimit: -1 }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { option: 'resultLimit' } });
    expect(provider.calls).toBe(0);
  });
});
