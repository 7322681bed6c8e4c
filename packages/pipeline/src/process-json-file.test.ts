// processJsonFile: default document ids, and files that are missing, directories or bad JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '@dynamic-embeddings/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline } from './pipeline-types.js';
import { type CountingProvider, createCountingProvider } from './testing/counting-provider.js';
import { sharedDatabase } from './testing/database.js';
import { examplePath } from './testing/fixtures.js';

let db: Database;
let directory: string;
let provider: CountingProvider;
let pipeline: EmbeddingPipeline;

beforeAll(async () => {
  db = await sharedDatabase();
  directory = mkdtempSync(path.join(tmpdir(), 'dje-pipeline-files-'));
  provider = createCountingProvider({ dimensions: 64 });
  pipeline = await createPipeline({ db, provider, namespace: 'files' });
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('processJsonFile', () => {
  it('names the document after the file unless told otherwise', async () => {
    const byName = await pipeline.processJsonFile(examplePath('products'), { collectionName: 'shop' });
    expect(byName.results.map((document) => document.document_id)).toEqual(['products']);
    const byId = await pipeline.processJsonFile(examplePath('products'), {
      collectionName: 'shop',
      documentId: 'catalog-2024',
    });
    expect(byId.results).toMatchObject([
      { document_id: 'catalog-2024', source: examplePath('products'), chunks: byName.chunks },
    ]);
    expect(await pipeline.getDocument('catalog-2024')).toHaveLength(byId.chunks);
    expect(await pipeline.getDocument('products')).toHaveLength(byName.chunks);
  });

  it('a missing file is FILE_NOT_FOUND', async () => {
    await expect(
      pipeline.processJsonFile(path.join(directory, 'nope.json'), { collectionName: 'shop' }),
    ).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', kind: 'not_found' });
  });

  it('a directory is NOT_A_FILE', async () => {
    await expect(pipeline.processJsonFile(directory, { collectionName: 'shop' })).rejects.toMatchObject({
      code: 'NOT_A_FILE',
    });
  });

  it('invalid JSON is INVALID_JSON with its line and column, and nothing is stored', async () => {
    const file = path.join(directory, 'broken.json');
    writeFileSync(file, '{\n  "name": "tent",\n  "price": 12,,\n}\n');
    provider.reset();
    const error = await pipeline
      .processJsonFile(file, { collectionName: 'shop' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_JSON', details: { line: 3 } });
    expect((error as Error).message).toContain('broken.json');
    expect(provider.calls).toBe(0);
    expect(await pipeline.getDocument('broken')).toEqual([]);
  });
});
