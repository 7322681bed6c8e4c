// The main flow on an embedded database in a temp dir: ingest, search, re-ingest, inspect, filter,
// documents, and the refusal of destructive commands without --force. One data dir, so the steps
// run in order (the embedded database takes one process at a time).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dje,
  embeddedDatabaseArgs,
  errorCodeOf,
  examplesDir,
  jsonOf,
  temporaryDirectory,
} from './testing/dje.js';

/** One stored document's row of an ingest result. */
interface DocumentResultJson {
  readonly document_id: string;
  readonly source?: string;
  readonly chunks: number;
  readonly embedded: number;
  readonly reused: number;
  readonly removed: number;
  readonly strategy: string;
}

/** What every `dje ingest --json` prints: totals and one row per document. */
interface IngestResultJson {
  readonly namespace: string;
  readonly collection_name: string;
  readonly sources: number;
  readonly documents: number;
  readonly chunks: number;
  readonly embedded: number;
  readonly reused: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly duration_ms: number;
  readonly results: ReadonlyArray<DocumentResultJson>;
}

interface SearchHitJson {
  readonly document_id: string;
  readonly collection_name: string;
  readonly chunk_id: string;
  readonly text: string;
  readonly similarity: number;
  readonly strategy: string;
}

describe('dje on an embedded database (pglite://)', () => {
  const directory = temporaryDirectory('embedded');
  const database = embeddedDatabaseArgs(directory.path);
  let totalChunks = 0;
  afterAll(() => directory.remove());

  it('ingests the examples folder and a search finds the right document', async () => {
    const ingest = await dje([...database, 'ingest', examplesDir, '--collection', 'demo', '--json']);
    expect(ingest.stderr).not.toMatch(/^error/m);
    expect(ingest.code).toBe(0);
    const result = jsonOf<IngestResultJson>(ingest);
    expect(result.namespace).toBe('default');
    expect(result.collection_name).toBe('demo');
    expect(result.sources).toBe(5);
    expect(result.results.map((entry) => entry.document_id)).toEqual([
      'analytics-report',
      'app-config',
      'campaigns',
      'products',
      'sensor-data',
    ]);
    // A first ingest embeds every chunk; the totals are the sums of the per-file results.
    expect(result.reused).toBe(0);
    expect(result.embedded).toBe(result.chunks);
    expect(result.chunks).toBe(result.results.reduce((sum, entry) => sum + entry.chunks, 0));
    expect(result.results.every((entry) => entry.chunks > 0)).toBe(true);
    totalChunks = result.chunks;
    // Progress goes to stderr as lines (not a TTY), and ends with a summary.
    expect(ingest.stderr).toMatch(/ingest: done, 5 files/);

    const campaigns = await dje([
      ...database,
      'search',
      'mobile banners with high CTR in Norway',
      '--collection',
      'demo',
      '--limit',
      '3',
      '--mode',
      'vector',
      '--json',
    ]);
    expect(campaigns.code).toBe(0);
    const hits = jsonOf<SearchHitJson[]>(campaigns);
    expect(hits).toHaveLength(3);
    expect(hits[0]?.document_id).toBe('campaigns');
    expect(hits[0]?.collection_name).toBe('demo');
    // Ranked by similarity, best first; no vectors in the output.
    expect(hits.map((hit) => hit.similarity)).toEqual(
      [...hits.map((hit) => hit.similarity)].sort((a, b) => b - a),
    );
    expect(hits[0]).not.toHaveProperty('embedding');
    expect(campaigns.stderr).toBe('');

    const sensors = await dje([
      ...database,
      'search',
      'greenhouse temperature sensor with low battery',
      '--limit',
      '1',
    ]);
    expect(sensors.code).toBe(0);
    // Human output: rank, similarity, document id, then the chunk's text.
    expect(sensors.stdout).toMatch(/^1\. \d\.\d{4} {2}sensor-data {2}demo/);
    expect(sensors.stdout).toMatch(/\n {4}\S/);
  });

  it('searches in hybrid mode by default, and in the mode --mode names', async () => {
    const hybrid = await dje([...database, 'search', 'sensor battery', '--limit', '5', '--explain']);
    expect(hybrid.code).toBe(0);
    expect(hybrid.stdout).toMatch(/^1\. \d\.\d{4} {2}\S+ {2}demo .*\((vector|keyword) #\d+/);
    expect(hybrid.stdout).toContain('mode: hybrid');
    expect(hybrid.stdout).toContain('keyword leg: ');
    expect(hybrid.stdout).toContain('fused by RRF: k=60');
    const keyword = await dje([
      ...database,
      'search',
      'battery',
      '--mode',
      'keyword',
      '--limit',
      '50',
      '--json',
    ]);
    expect(keyword.code).toBe(0);
    const hits = jsonOf<(SearchHitJson & { keyword_rank: number; text: string })[]>(keyword);
    expect(hits.length).toBeGreaterThan(0);
    hits.forEach((hit, index) => {
      expect(hit.keyword_rank).toBe(index + 1);
      expect(hit.text.toLowerCase()).toContain('battery');
    });
    const unknown = await dje([...database, 'search', 'battery', '--mode', 'fuzzy']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/--mode.*fuzzy|fuzzy.*--mode|Allowed choices are vector, keyword, hybrid/);
  });

  it('re-ingesting an unchanged file embeds nothing and reuses every vector', async () => {
    const again = await dje([
      ...database,
      'ingest',
      `${examplesDir}/campaigns.json`,
      '--collection',
      'demo',
      '--json',
    ]);
    expect(again.code).toBe(0);
    const result = jsonOf<IngestResultJson>(again);
    expect(result.results.map((entry) => entry.document_id)).toEqual(['campaigns']);
    expect(result.embedded).toBe(0);
    expect(result.reused).toBeGreaterThan(0);
    expect(result.reused).toBe(result.chunks);
    expect(result.removed).toBe(0);
    expect(result.unchanged).toBe(1);

    const human = await dje([...database, 'ingest', `${examplesDir}/campaigns.json`, '--collection', 'demo']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /Ingested .*campaigns\.json as document campaigns into default\/demo: \d+ chunks \(0 embedded, \d+ reused, 0 removed\).*\. Skipped: it was already stored unchanged, nothing embedded for it\./,
    );
  });

  it('re-ingesting the folder skips every document as already stored, and says so', async () => {
    const again = await dje([...database, 'ingest', examplesDir, '--collection', 'demo']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /Ingested 5 files \(5 documents\) into default\/demo: [\d,]+ chunks, 0 embedded, [\d,]+ reused, .*\. Skipped: all 5 documents were already stored unchanged, nothing embedded for them\./,
    );
    // The progress lines carry the running figures: documents, chunks, requests in flight, tokens/s.
    expect(again.stderr).toMatch(/ingest: .*; 5 documents, [\d,]+ chunks, 0 requests in flight, 0 tokens\/s/);
  });

  it('ingests an NDJSON file (ids from the documents, else <file>-<n>) and one document from stdin', async () => {
    const file = path.join(directory.path, 'events.ndjson');
    writeFileSync(
      file,
      [
        { id: 'evt-click', kind: 'click', target: 'autumn banner' },
        { kind: 'view', target: 'product page' },
        { kind: 'purchase', target: 'headlamp' },
      ]
        .map((event) => JSON.stringify(event))
        .join('\n'),
    );
    const stream = await dje([...database, 'ingest', file, '--collection', 'events', '--json']);
    expect(stream.code).toBe(0);
    expect(jsonOf(stream)).toMatchObject({ namespace: 'default', collection_name: 'events', documents: 3 });
    const unnamed = await dje([...database, 'document', 'get', 'events-2', '--json']);
    expect(unnamed.code).toBe(0);
    expect(jsonOf<Array<{ text: string }>>(unnamed).some((row) => row.text.includes('headlamp'))).toBe(true);

    const stdin = await dje(
      [...database, 'ingest', '-', '--collection', 'events', '--document-id', 'from-stdin', '--json'],
      {
        input: JSON.stringify(
          { title: 'Piped report', body: 'one JSON document read from standard input' },
          null,
          2,
        ),
      },
    );
    expect(stdin.code).toBe(0);
    expect(jsonOf(stdin)).toMatchObject({
      collection_name: 'events',
      embedded: 1,
      results: [{ document_id: 'from-stdin', source: 'stdin', embedded: 1 }],
    });

    const emptied = await dje([...database, 'collection', 'empty', 'events', '--force', '--json']);
    expect(jsonOf(emptied)).toMatchObject({ deleted: 4 });
  });

  it('lists and inspects namespaces and collections, as JSON and as tables', async () => {
    const stats = jsonOf<Record<string, unknown>>(
      await dje([...database, 'namespace', 'stats', 'default', '--json']),
    );
    expect(stats).toMatchObject({
      namespace: 'default',
      table_name: 'embeddings_default',
      exists: true,
      provider: 'local',
      dimensions: 384,
      // Re-ingesting left exactly one copy of every chunk.
      embedding_count: totalChunks,
      collection_count: 1,
      index_size: expect.stringMatching(/^\d+ (bytes|kB|MB)$/),
    });
    const text = await dje([...database, 'namespace', 'stats', 'default']);
    expect(text.stdout).toMatch(/\nindex size\s+\d+ (bytes|kB|MB)\n/);

    const table = await dje([...database, 'namespace', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^namespace\s+embeddings\s+dims\s+model\s+index\s+created\n/);
    expect(table.stdout).toMatch(new RegExp(`\\ndefault\\s+${totalChunks}\\s+384\\s+local/`));

    const collections = jsonOf<Array<Record<string, unknown>>>(
      await dje([...database, 'collection', 'list', '--json']),
    );
    expect(collections).toEqual([
      expect.objectContaining({ collection_name: 'demo', total_embeddings: totalChunks, document_count: 5 }),
    ]);

    const collectionStats = await dje([...database, 'collection', 'stats', 'demo']);
    expect(collectionStats.code).toBe(0);
    expect(collectionStats.stdout).toMatch(/collection\s+demo\n/);
    expect(collectionStats.stdout).toMatch(/documents\s+5\n/);
  });

  it('filters search results with --filter and --where, and rejects unknown columns', async () => {
    const productSearch = (...extra: string[]) =>
      dje([
        ...database,
        'search',
        'rechargeable headlamp',
        '--filter',
        'document_id=products',
        '--threshold',
        '-1',
        '--limit',
        '50',
        ...extra,
        '--json',
      ]);
    const byDocument = await productSearch();
    expect(byDocument.code).toBe(0);
    const hits = jsonOf<SearchHitJson[]>(byDocument);
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((hit) => hit.document_id))).toEqual(new Set(['products']));
    // --exact compares with every matching chunk: the same hits, in the same order.
    const exact = await productSearch('--exact');
    expect(exact.code).toBe(0);
    expect(jsonOf<SearchHitJson[]>(exact).map((hit) => hit.chunk_id)).toEqual(
      hits.map((hit) => hit.chunk_id),
    );

    const where = await dje([
      ...database,
      'search',
      'configuration',
      '--threshold',
      '-1',
      '--where',
      '{"document_id":{"$in":["app-config","analytics-report"]}}',
      '--filter',
      'document_id=app-config',
      '--json',
    ]);
    expect(where.code).toBe(0);
    const whereHits = jsonOf<SearchHitJson[]>(where);
    expect(whereHits.length).toBeGreaterThan(0);
    // Both filters hold at once (AND).
    expect(new Set(whereHits.map((hit) => hit.document_id))).toEqual(new Set(['app-config']));

    const unknownColumn = await dje([...database, 'search', 'x', '--filter', 'colour=red']);
    expect(unknownColumn.code).toBe(4);
    expect(errorCodeOf(unknownColumn)).toBe('INVALID_FILTER');
    expect(unknownColumn.stderr).toMatch(/colour/);
    expect(unknownColumn.stdout).toBe('');

    const badWhere = await dje([...database, 'search', 'x', '--where', '{"strategy":']);
    expect(badWhere.code).toBe(2);
    expect(errorCodeOf(badWhere)).toBe('INVALID_WHERE');
  });

  it('shows and deletes one document', async () => {
    const document = await dje([
      ...database,
      'document',
      'get',
      'app-config',
      '--collection',
      'demo',
      '--json',
    ]);
    expect(document.code).toBe(0);
    const rows = jsonOf<Array<Record<string, unknown>>>(document);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatchObject({ document_id: 'app-config', collection_name: 'demo' });
      expect(row).not.toHaveProperty('embedding');
      expect(typeof row.chunk_id).toBe('string');
    }

    const deleted = await dje([...database, 'document', 'delete', 'app-config', '--json']);
    expect(deleted.code).toBe(0);
    expect(jsonOf(deleted)).toEqual({
      namespace: 'default',
      document_id: 'app-config',
      collection_name: null,
      deleted: rows.length,
    });

    const gone = await dje([...database, 'document', 'get', 'app-config']);
    expect(gone.code).toBe(3);
    expect(errorCodeOf(gone)).toBe('DOCUMENT_NOT_FOUND');
    totalChunks -= rows.length;
  });

  it('creates namespaces idempotently and rejects invalid names', async () => {
    const created = await dje([...database, 'namespace', 'create', 'tenant_a', '--index', 'none', '--json']);
    expect(created.code).toBe(0);
    expect(jsonOf(created)).toMatchObject({
      created: true,
      namespace: {
        namespace: 'tenant_a',
        table_name: 'embeddings_tenant_a',
        index_type: 'none',
        dimensions: 384,
      },
    });
    const again = await dje([...database, 'namespace', 'create', 'tenant_a']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already exists/);

    const english = await dje([
      ...database,
      'namespace',
      'create',
      'tenant_en',
      '--text-search-config',
      'english',
    ]);
    expect(english.code).toBe(0);
    expect(english.stdout).toMatch(/text search english\)/);
    expect((await dje([...database, 'namespace', 'drop', 'tenant_en', '--force'])).code).toBe(0);
    const klingon = await dje([
      ...database,
      'namespace',
      'create',
      'tenant_kl',
      '--text-search-config',
      'klingon',
    ]);
    expect(klingon.code).toBe(4);
    expect(errorCodeOf(klingon)).toBe('INVALID_TEXT_SEARCH_CONFIG');

    const invalid = await dje([...database, 'namespace', 'create', 'Bad-Name']);
    expect(invalid.code).toBe(4);
    expect(errorCodeOf(invalid)).toBe('INVALID_NAMESPACE_NAME');

    const reserved = await dje([...database, '-n', 'system', 'collection', 'list']);
    expect(reserved.code).toBe(4);
    expect(errorCodeOf(reserved)).toBe('INVALID_NAMESPACE_NAME');

    const missing = await dje([...database, 'namespace', 'stats', 'nope']);
    expect(missing.code).toBe(3);
    expect(errorCodeOf(missing)).toBe('NAMESPACE_NOT_FOUND');
    // The CLI's hint names its commands, once.
    expect(missing.stderr).toContain('List namespaces with `dje namespace list`');
    expect(missing.stderr.split('`dje namespace create nope`')).toHaveLength(2);
    expect(missing.stderr).not.toContain('/v1/');
  });

  it('creates namespaces with a storage or a quantized index, and refuses an index pgvector cannot build', async () => {
    // 3,072 dimensions: halfvec by default; a vector index that pgvector cannot build is refused.
    const wide = await dje([
      ...database,
      'namespace',
      'create',
      'half_3072',
      '--dimensions',
      '3072',
      '--json',
    ]);
    expect(jsonOf(wide)).toMatchObject({
      created: true,
      namespace: { storage: 'halfvec', dimensions: 3072 },
    });
    const wideStats = await dje([...database, 'namespace', 'stats', 'half_3072', '--dimensions', '3072']);
    expect(wideStats.stdout).toMatch(/storage\s+halfvec \(6,152 bytes a vector\)/);
    expect((await dje([...database, 'namespace', 'drop', 'half_3072', '--force'])).code).toBe(0);
    const tooWide = await dje([
      ...database,
      'namespace',
      'create',
      'too_wide',
      '--dimensions',
      '3072',
      '--storage',
      'vector',
      '--index',
      'hnsw',
    ]);
    expect(tooWide.code).toBe(4);
    expect(errorCodeOf(tooWide)).toBe('INDEX_DIMENSIONS_UNSUPPORTED');
    expect(tooWide.stderr).toContain('`dje namespace create too_wide --storage halfvec`');
    // A binary-quantized HNSW index takes vector columns of any size.
    const quantized = await dje([
      ...database,
      'namespace',
      'create',
      'quantized_3072',
      '--dimensions',
      '3072',
      '--storage',
      'vector',
      '--quantization',
      'binary',
      '--json',
    ]);
    expect(jsonOf(quantized)).toMatchObject({
      namespace: { storage: 'vector', index_type: 'hnsw', index_params: { quantization: 'binary' } },
    });
    expect((await dje([...database, 'namespace', 'drop', 'quantized_3072', '--force'])).code).toBe(0);
    // Many CLI processes, each opening the embedded database: a guard for a busy machine.
  }, 180_000);

  it('refuses destructive commands without --force when there is no terminal, and deletes nothing', async () => {
    const empty = await dje([...database, 'collection', 'empty', 'demo']);
    expect(empty.code).toBe(8);
    expect(errorCodeOf(empty)).toBe('CONFIRMATION_REQUIRED');
    expect(empty.stderr).toMatch(/--force/);

    const drop = await dje([...database, 'namespace', 'drop', 'default']);
    expect(drop.code).toBe(8);
    expect(errorCodeOf(drop)).toBe('CONFIRMATION_REQUIRED');
    // The refusal already says "pass --force"; the hint does not repeat it.
    expect(drop.stderr.split('--force')).toHaveLength(2);
    expect(drop.stderr).not.toContain('?confirm=true');

    // Nothing was deleted by the refusals.
    const stats = jsonOf<{ total_embeddings: number }>(
      await dje([...database, 'collection', 'stats', 'demo', '--json']),
    );
    expect(stats.total_embeddings).toBe(totalChunks);

    const emptied = await dje([...database, 'collection', 'empty', 'demo', '--force', '--json']);
    expect(emptied.code).toBe(0);
    expect(jsonOf(emptied)).toEqual({ namespace: 'default', collection_name: 'demo', deleted: totalChunks });

    const dropped = await dje([...database, 'namespace', 'drop', 'tenant_a', '--force']);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toMatch(/Dropped namespace tenant_a/);
    const left = jsonOf<Array<{ namespace: string; embedding_count: number }>>(
      await dje([...database, 'namespace', 'list', '--json']),
    );
    expect(left.map((entry) => [entry.namespace, entry.embedding_count])).toEqual([['default', 0]]);
  });

  it("ingests and searches with the namespace's own model settings when none are given", async () => {
    const created = await dje([...database, 'namespace', 'create', 'wide', '--dimensions', '768', '--json']);
    expect(created.code).toBe(0);
    expect(jsonOf<{ namespace: { dimensions: number } }>(created).namespace.dimensions).toBe(768);

    // No --dimensions: the local provider's default (384) would not match; the namespace's 768 is used.
    const ingest = await dje([
      ...database,
      '-n',
      'wide',
      'ingest',
      path.join(examplesDir, 'campaigns.json'),
      '--collection',
      'ads',
      '--json',
    ]);
    expect(ingest.stderr).not.toMatch(/^error/m);
    expect(ingest.code).toBe(0);
    expect(jsonOf<IngestResultJson>(ingest).embedded).toBeGreaterThan(0);
    const hits = await dje([...database, '-n', 'wide', 'search', 'mobile banner campaign', '--json']);
    expect(hits.code).toBe(0);
    expect(jsonOf<SearchHitJson[]>(hits)[0]?.document_id).toBe('campaigns');

    // Explicit settings still win, and a mismatch is refused as before.
    const explicit = await dje([...database, '-n', 'wide', 'search', 'campaign', '--dimensions', '384']);
    expect(explicit.code).toBe(4);
    expect(errorCodeOf(explicit)).toBe('DIMENSION_MISMATCH');
  });

  it('re-embeds a namespace with another model: a dry run, then the copy, the source kept', async () => {
    const source = jsonOf<{ embedding_count: number }>(
      await dje([...database, 'namespace', 'stats', 'wide', '--json']),
    );
    const reembed = ['migrate', 'reembed', '--source', 'wide', '--target', 'narrow', '--dimensions', '128'];
    const dryRun = await dje([...database, ...reembed, '--dry-run', '--json']);
    expect(dryRun.code).toBe(0);
    expect(jsonOf(dryRun)).toMatchObject({
      dry_run: true,
      source_rows: source.embedding_count,
      dimensions: 128,
    });
    const run = await dje([...database, ...reembed, '--json']);
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({
      embedded_rows: source.embedding_count,
      target_rows: source.embedding_count,
    });
    const human = await dje([...database, ...reembed]);
    expect(human.stdout).toMatch(/Re-embedded 0 rows of wide into narrow .*were already there/);
    const hits = await dje([...database, '-n', 'narrow', 'search', 'mobile banner campaign', '--json']);
    expect(jsonOf<SearchHitJson[]>(hits)[0]?.document_id).toBe('campaigns');
    expect(jsonOf(await dje([...database, 'namespace', 'stats', 'wide', '--json']))).toMatchObject(source);
    // Many CLI processes, each opening the embedded database: a guard for a busy machine.
  }, 180_000);
});
