// Re-embedding a namespace with another model: the local provider (counting what reaches it) for
// resumption after a provider failure, and an OpenAI-compatible server on 127.0.0.1 for requests.
import type { Database, EmbeddingRecord } from '@dynamic-embeddings/db';
import { createOpenAIProvider } from '@dynamic-embeddings/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOpenAIServer, type TestOpenAIServer } from '../../embeddings/src/testing/openai-server.js';
import { createPipeline } from './create-pipeline.js';
import type { EmbeddingPipeline, IngestInput } from './pipeline-types.js';
import { createCountingProvider } from './testing/counting-provider.js';
import { sharedDatabase } from './testing/database.js';

const DOCUMENTS = 24;

function documents(): IngestInput[] {
  return Array.from({ length: DOCUMENTS }, (_, index) => ({
    kind: 'data' as const,
    documentId: `campaign-${index}`,
    data: {
      name: `Campaign ${index}`,
      market: ['Norway', 'Sweden', 'Denmark'][index % 3],
      budget: index * 100,
    },
  }));
}

/** What must survive re-embedding: every column but the vector, the id and the timestamps. */
function content(rows: readonly EmbeddingRecord[]) {
  return rows
    .map(({ id: _id, created_at: _created, updated_at: _updated, embedding: _vector, ...row }) => row)
    .sort((a, b) => a.chunk_id.localeCompare(b.chunk_id));
}

async function allRows(pipeline: EmbeddingPipeline, namespace: string): Promise<EmbeddingRecord[]> {
  const rows: EmbeddingRecord[] = [];
  for (let index = 0; index < DOCUMENTS; index++) {
    rows.push(...(await pipeline.getDocument(`campaign-${index}`, { namespace })));
  }
  return rows;
}

describe('re-embedding a namespace with the local provider', () => {
  let db: Database;
  let original: EmbeddingPipeline;
  beforeAll(async () => {
    db = await sharedDatabase();
    original = await createPipeline({
      db,
      provider: createCountingProvider({ dimensions: 64 }),
      namespace: 'reembed_src',
    });
    await original.ingest(documents(), { collectionName: 'campaigns' });
  });

  it('estimates in a dry run, resumes after a provider failure, and leaves the source untouched', async () => {
    const sourceRows = await allRows(original, 'reembed_src');
    const sourceStats = await original.getNamespaceStats('reembed_src');
    const provider = createCountingProvider({ dimensions: 48, maxInputsPerCall: 8 });
    const next = await createPipeline({ db, provider, namespace: 'reembed_dst' });
    const pageRows = 20;

    const dryRun = await next.reembedNamespace({
      source: 'reembed_src',
      target: 'reembed_dst',
      pageRows,
      dryRun: true,
    });
    expect(dryRun).toMatchObject({
      dry_run: true,
      source_rows: sourceRows.length,
      embedded_rows: 0,
      target_rows: 0,
    });
    expect(dryRun.estimated_tokens).toBe(sourceRows.reduce((sum, row) => sum + (row.token_count ?? 0), 0));
    expect(dryRun.requests).toBeGreaterThanOrEqual(Math.ceil(sourceRows.length / 8));
    expect(provider.calls).toBe(0);
    expect((await next.getNamespaceStats('reembed_dst')).exists).toBe(false);

    // The provider fails in the second page: the first page is written, nothing of the second.
    provider.failOnCall = Math.ceil(pageRows / 8) + 1;
    await expect(
      next.reembedNamespace({ source: 'reembed_src', target: 'reembed_dst', pageRows }),
    ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    const partial = await next.getNamespaceStats('reembed_dst');
    expect(partial).toMatchObject({ exists: true, embedding_count: pageRows });

    provider.reset();
    const resumed = await next.reembedNamespace({ source: 'reembed_src', target: 'reembed_dst', pageRows });
    expect(resumed).toMatchObject({
      dry_run: false,
      source_rows: sourceRows.length,
      skipped_rows: pageRows,
      embedded_rows: sourceRows.length - pageRows,
      target_rows: sourceRows.length,
    });
    // Only the rows the first run did not write reached the provider.
    expect(provider.texts).toHaveLength(sourceRows.length - pageRows);
    expect(resumed.requests).toBe(provider.calls);

    const target = await next.getNamespaceStats('reembed_dst');
    expect(target).toMatchObject({ dimensions: 48, provider: provider.provider, model: provider.model });
    expect(content(await allRows(next, 'reembed_dst'))).toEqual(content(sourceRows));
    expect(await original.getNamespaceStats('reembed_src')).toEqual(sourceStats);
    expect(content(await allRows(original, 'reembed_src'))).toEqual(content(sourceRows));

    // Searchable with the new model; a third run has nothing left to do.
    const hits = await next.searchSimilar('Campaign 5 Denmark', { limit: 3 });
    expect(hits[0]?.document_id).toBe('campaign-5');
    provider.reset();
    const again = await next.reembedNamespace({ source: 'reembed_src', target: 'reembed_dst' });
    expect(again).toMatchObject({ skipped_rows: sourceRows.length, embedded_rows: 0, requests: 0 });
    expect(provider.calls).toBe(0);
  });

  it('refuses the source as its own target, a missing source, and a target of another model', async () => {
    const pipeline = await createPipeline({ db, provider: createCountingProvider({ dimensions: 32 }) });
    await expect(
      pipeline.reembedNamespace({ source: 'reembed_src', target: 'reembed_src' }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(
      pipeline.reembedNamespace({ source: 'no_such_source', target: 'x_dst' }),
    ).rejects.toMatchObject({
      code: 'NAMESPACE_NOT_FOUND',
    });
    await expect(
      pipeline.reembedNamespace({ source: 'reembed_src', target: 'reembed_dst' }),
    ).rejects.toMatchObject({
      code: 'DIMENSION_MISMATCH',
    });
  });
});

describe('re-embedding through an OpenAI-compatible server', () => {
  let server: TestOpenAIServer;
  beforeAll(async () => {
    server = await startTestOpenAIServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the requests the dry run estimated and stores the model’s vectors', async () => {
    const db = await sharedDatabase();
    const provider = createOpenAIProvider({
      baseURL: server.baseURL,
      apiKey: 'test-key',
      model: 'text-embedding-3-small',
      dimensions: 32,
      retryBaseDelayMs: 1,
      timeoutMs: 5_000,
    });
    const pipeline = await createPipeline({ db, provider: { ...provider, maxInputsPerCall: 10 } });
    const options = { source: 'reembed_src', target: 'reembed_openai' };
    const dryRun = await pipeline.reembedNamespace({ ...options, dryRun: true });
    expect(server.requests).toHaveLength(0);
    const result = await pipeline.reembedNamespace(options);
    expect(result).toMatchObject({ embedded_rows: dryRun.source_rows, target_rows: dryRun.source_rows });
    expect(server.requests).toHaveLength(dryRun.requests);
    expect(await pipeline.getNamespaceStats('reembed_openai')).toMatchObject({
      provider: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 32,
    });
    const hits = await pipeline.searchSimilar('Campaign 7', { namespace: 'reembed_openai', limit: 1 });
    expect(hits).toHaveLength(1);
  });
});
