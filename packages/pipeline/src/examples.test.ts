// End to end on the repository's examples/ with the offline local provider: each kind of
// document is found first by a query about its own subject.
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline } from './pipeline-types.js';
import { sharedDatabase } from './testing/database.js';
import { exampleNames, examplesDir } from './testing/fixtures.js';

let pipeline: EmbeddingPipeline;

beforeAll(async () => {
  pipeline = await createPipeline({ db: await sharedDatabase(), namespace: 'demo' });
  for (const name of exampleNames) {
    await pipeline.processJsonFile(`${examplesDir}${name}.json`, { collectionName: 'demo' });
  }
});

describe('the examples/ documents', () => {
  it('are all ingested, each as its own document', async () => {
    const files = readdirSync(examplesDir).filter((file) => file.endsWith('.json'));
    expect(files.sort()).toEqual(exampleNames.map((name) => `${name}.json`).sort());
    const [collection] = await pipeline.listCollections();
    expect(collection).toMatchObject({ collection_name: 'demo', document_count: exampleNames.length });
  });

  it.each([
    ['mobile banners with high CTR in Norway', 'campaigns'],
    ['temperature sensor battery low', 'sensor-data'],
    ['publisher revenue and eCPM growth from Q2 to Q3, private marketplace yield', 'analytics-report'],
    ['waterproof hiking boots on sale in stock', 'products'],
    ['feature flags rollout percent and logging level', 'app-config'],
  ])('"%s" finds %s first', async (query, documentId) => {
    const hits = await pipeline.searchSimilar(query, { collectionName: 'demo', limit: 3 });
    expect(hits[0]?.document_id).toBe(documentId);
  });
});
