import { databaseTargets, djeErrorOf } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRow, queryRows } from './database.js';
import { ident } from './identifiers.js';
import { tableExists } from './index.js';
import { textHash } from './prepare-records.js';
import { asStored, connectTarget, runTriggerStatement, testRecord, testVector } from './testing/records.js';
import { createVectorStore } from './vector-store.js';
import type { EmbeddingInput } from './vector-store-types.js';
import { COPY_MINIMUM_ROWS } from './write-rows.js';

const DIMENSIONS = 8;
const identity = { provider: 'test', model: 'test-model', dimensions: DIMENSIONS } as const;

async function rowCount(db: Database, namespace: string): Promise<number> {
  const row = await queryRow<{ count: number }>(
    db.orm,
    sql`SELECT count(*)::int AS count FROM ${ident(`embeddings_${namespace}`)}`,
  );
  return row?.count ?? -1;
}

describe.each(databaseTargets)('VectorStore on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await connectTarget(target));
  });
  afterAll(async () => {
    await close();
  });

  describe('insertEmbeddings', () => {
    it('writes every column and reads the record back unchanged', async () => {
      const store = createVectorStore(db, { namespace: 'roundtrip', embedding: identity });
      const input: EmbeddingInput = {
        chunk_id: 'c-1',
        document_id: 'd-1',
        collection_name: 'campaigns',
        text: 'Bannière mobile — 高 CTR 🚀',
        embedding: testVector(1, DIMENSIONS),
        strategy: 'semantic',
        content_type: 'object',
        path: 'campaigns[0].creative',
        parent_chunk_id: 'c-0',
        depth_level: 3,
        hierarchy_level: 2,
        semantic_density: 0.75,
        confidence: 0.5,
        chunk_size: 120,
        token_count: 30,
        key_count: 4,
        contains_arrays: true,
        is_leaf: true,
        domain_tags: ['ads', 'mobile, "quoted"'],
        original_keys: ['id', 'creative'],
        metadata: { market: 'NO', nested: { ctr: 0.031, tags: ['a'] } },
      };
      const result = await store.insertEmbedding(input);
      expect(result).toEqual({ inserted: 1, updated: 0, index_built: false });
      const stored = await store.getByChunkId('c-1', { includeVectors: true });
      const { embedding, ...columns } = input;
      expect(stored).toMatchObject({ ...columns, text_hash: textHash(input.text) });
      expect(stored?.embedding).toEqual(asStored(embedding as number[]));
      expect(typeof stored?.id).toBe('number');
      expect(Number.isNaN(Date.parse(stored?.created_at ?? ''))).toBe(false);
      const withoutVector = await store.getByChunkId('c-1');
      expect(withoutVector).not.toHaveProperty('embedding');
    });

    it('fills omitted columns with the table defaults on both write paths', async () => {
      const store = createVectorStore(db, { namespace: 'defaults', embedding: identity });
      const minimal = (index: number): EmbeddingInput => ({
        chunk_id: `m-${index}`,
        document_id: 'd',
        collection_name: 'c',
        text: `t${index}`,
        embedding: testVector(index, DIMENSIONS),
        strategy: 's',
        content_type: 'x',
      });
      await store.insertEmbeddings([minimal(0)]);
      await store.insertEmbeddings(
        Array.from({ length: COPY_MINIMUM_ROWS }, (_, index) => minimal(index + 1)),
      );
      // A row inserted with plain SQL (the seed's columns only) shows what the DDL's defaults are.
      await db.orm.execute(
        sql`INSERT INTO embeddings_defaults (chunk_id, document_id, collection_name, text, embedding, strategy, content_type)
            VALUES ('sql', 'd', 'c', 't', ${`[${testVector(99, DIMENSIONS).join(',')}]`}::vector, 's', 'x')`,
      );
      const rows = await queryRows<Record<string, unknown>>(
        db.orm,
        sql`SELECT chunk_id, path, parent_chunk_id, depth_level, hierarchy_level, semantic_density, confidence,
                   chunk_size, token_count, key_count, contains_arrays, is_leaf, domain_tags, original_keys, metadata
            FROM embeddings_defaults ORDER BY id`,
      );
      const { chunk_id: _sqlChunk, ...sqlDefaults } = rows.find((row) => row.chunk_id === 'sql') ?? {};
      const written = rows.filter((row) => row.chunk_id !== 'sql');
      expect(written).toHaveLength(COPY_MINIMUM_ROWS + 1);
      for (const { chunk_id: _chunk, ...columns } of written) expect(columns).toEqual(sqlDefaults);
    });

    it('computes text_hash in the database for a client that inserts only the seed columns', async () => {
      const store = createVectorStore(db, { namespace: 'seed_insert', embedding: identity });
      await store.insertEmbedding(testRecord({ index: 0, dimensions: DIMENSIONS }));
      const texts = [
        'plain',
        'naïve café ☕ 𝄞',
        'back\\slash \\x41 and \\\\ twice',
        "quote ' and \n newline",
      ];
      for (const [index, text] of texts.entries()) {
        // What psql or the Python original sends: no text_hash, no metadata columns.
        await db.orm.execute(
          sql`INSERT INTO ${ident('embeddings_seed_insert')} (chunk_id, document_id, collection_name, text, embedding, strategy, content_type)
              VALUES (${`seed-${index}`}, 'seed-doc', 'c', ${text}, ${`[${testVector(index, DIMENSIONS).join(',')}]`}::vector, 'flat', 'object')`,
        );
      }
      const rows = await store.getByDocumentId('seed-doc');
      expect(rows.map((row) => row.text)).toEqual(texts);
      // The same sha256 the writers compute, so re-ingestion reuses these rows' vectors.
      expect(rows.map((row) => row.text_hash)).toEqual(texts.map((text) => textHash(text)));
      const stored = await store.getDocumentVectors('seed-doc');
      expect([...stored.keys()].sort()).toEqual(texts.map((text) => textHash(text)).sort());
      // The hash follows the text when a client updates it.
      await db.orm.execute(
        sql`UPDATE ${ident('embeddings_seed_insert')} SET text = 'edited' WHERE chunk_id = 'seed-0'`,
      );
      expect((await store.getByChunkId('seed-0'))?.text_hash).toBe(textHash('edited'));
    });

    it('upserts on chunk_id: counts inserted and updated rows and keeps one row per chunk', async () => {
      const store = createVectorStore(db, { namespace: 'upserts', embedding: identity });
      const first = Array.from({ length: 40 }, (_, index) => testRecord({ index, dimensions: DIMENSIONS }));
      expect(await store.insertEmbeddings(first)).toMatchObject({ inserted: 40, updated: 0 });
      const before = await store.getByChunkId('chunk-5');
      const second = Array.from({ length: 40 }, (_, index) =>
        testRecord({ index: index + 20, dimensions: DIMENSIONS, overrides: { text: `changed ${index}` } }),
      );
      expect(await store.insertEmbeddings(second)).toMatchObject({ inserted: 20, updated: 20 });
      expect(await rowCount(db, 'upserts')).toBe(60);
      const changed = await store.getByChunkId('chunk-25');
      expect(changed?.text).toBe('changed 5');
      expect(changed?.text_hash).toBe(textHash('changed 5'));
      // Small upserts take the multi-row INSERT path; the result is the same.
      expect(
        await store.insertEmbedding(
          testRecord({ index: 5, dimensions: DIMENSIONS, overrides: { text: 'again', strategy: 'new' } }),
        ),
      ).toMatchObject({ inserted: 0, updated: 1 });
      const after = await store.getByChunkId('chunk-5');
      expect(after).toMatchObject({
        id: before?.id,
        text: 'again',
        strategy: 'new',
        created_at: before?.created_at,
      });
    });

    it('keeps the last record when a batch repeats a chunk_id', async () => {
      const store = createVectorStore(db, { namespace: 'repeats', embedding: identity });
      const records = [
        testRecord({ index: 1, dimensions: DIMENSIONS, overrides: { text: 'first' } }),
        testRecord({ index: 2, dimensions: DIMENSIONS }),
        testRecord({ index: 1, dimensions: DIMENSIONS, overrides: { text: 'last' } }),
      ];
      expect(await store.insertEmbeddings(records)).toMatchObject({ inserted: 2, updated: 0 });
      expect((await store.getByChunkId('chunk-1'))?.text).toBe('last');
    });

    it('reports progress per batch', async () => {
      const store = createVectorStore(db, { namespace: 'progress', embedding: identity });
      const progress: { done: number; total: number }[] = [];
      const records = Array.from({ length: 70 }, (_, index) => testRecord({ index, dimensions: DIMENSIONS }));
      await store.insertEmbeddings(records, {
        batchSize: 32,
        onProgress: (event) => progress.push({ ...event }),
      });
      expect(progress).toEqual([
        { done: 32, total: 70 },
        { done: 64, total: 70 },
        { done: 70, total: 70 },
      ]);
      expect(await rowCount(db, 'progress')).toBe(70);
    });
  });

  describe('rejects bad input before writing anything', () => {
    const good = (index: number) => testRecord({ index, dimensions: DIMENSIONS });

    it.each([
      ['a vector of the wrong dimension', { embedding: testVector(1, DIMENSIONS + 1) }, 'DIMENSION_MISMATCH'],
      ['a NaN element', { embedding: [Number.NaN, ...testVector(1, DIMENSIONS - 1)] }, 'INVALID_VECTOR'],
      [
        'an Infinity element',
        { embedding: Float32Array.from([Number.POSITIVE_INFINITY, ...testVector(1, DIMENSIONS - 1)]) },
        'INVALID_VECTOR',
      ],
      ['a zero vector', { embedding: new Array(DIMENSIONS).fill(0) }, 'INVALID_VECTOR'],
      ['a vector that is not an array', { embedding: 'nope' as unknown as number[] }, 'INVALID_VECTOR'],
    ])('%s, anywhere in the batch', async (_label, override, code) => {
      const store = createVectorStore(db, { namespace: 'strict', embedding: identity });
      await store.ensureNamespace();
      const records = Array.from({ length: 50 }, (_, index) => good(index));
      records[47] = { ...good(47), ...override };
      const error = await djeErrorOf(store.insertEmbeddings(records));
      expect(error.code).toBe(code);
      expect(error.message).toContain('records[47].embedding');
      expect(await rowCount(db, 'strict')).toBe(0);
    });

    it.each([
      ['chunk_id', { chunk_id: '' }],
      ['chunk_id', { chunk_id: 'x'.repeat(513) }],
      ['collection_name', { collection_name: 'c'.repeat(256) }],
      ['document_id', { document_id: 42 as unknown as string }],
      ['strategy', { strategy: 's'.repeat(51) }],
      ['text', { text: 'nul \u0000 byte' }],
      ['depth_level', { depth_level: 1.5 }],
      ['confidence', { confidence: Number.NaN }],
      ['is_leaf', { is_leaf: 'yes' as unknown as boolean }],
      ['domain_tags[1]', { domain_tags: ['ok', 3 as unknown as string] }],
      ['metadata', { metadata: [1, 2] as unknown as Record<string, unknown> }],
    ])('an invalid %s → INVALID_RECORD naming the field', async (field, override) => {
      const store = createVectorStore(db, { namespace: 'strict', embedding: identity });
      await store.ensureNamespace();
      const error = await djeErrorOf(store.insertEmbeddings([good(0), { ...good(1), ...override }]));
      expect(error.code).toBe('INVALID_RECORD');
      expect(error.details).toMatchObject({ index: 1, field });
      expect(error.message).toContain(`records[1].${field}`);
      expect(await rowCount(db, 'strict')).toBe(0);
    });

    it('does not auto-create a namespace for a rejected batch', async () => {
      const store = createVectorStore(db, { namespace: 'never_created', embedding: identity });
      const error = await djeErrorOf(
        store.insertEmbeddings([{ ...good(0), embedding: testVector(0, DIMENSIONS * 2) }]),
      );
      expect(error.code).toBe('DIMENSION_MISMATCH');
      expect(await store.getNamespaceStats()).toMatchObject({ exists: false });
      expect(await tableExists(db.orm, 'embeddings_never_created')).toBe(false);
    });

    it('refuses vectors from another model than the namespace was created for', async () => {
      await createVectorStore(db, { namespace: 'model_a', embedding: identity }).ensureNamespace();
      const other = createVectorStore(db, {
        namespace: 'model_a',
        embedding: { ...identity, model: 'other-model' },
      });
      const error = await djeErrorOf(other.insertEmbeddings([good(0)]));
      expect(error.code).toBe('EMBEDDING_MODEL_MISMATCH');
      const search = await djeErrorOf(other.similaritySearch({ vector: testVector(0, DIMENSIONS) }));
      expect(search.code).toBe('EMBEDDING_MODEL_MISMATCH');
      expect((await djeErrorOf(other.checkNamespace())).code).toBe('EMBEDDING_MODEL_MISMATCH');
      expect(await rowCount(db, 'model_a')).toBe(0);
    });

    it('checkNamespace returns the entry, or undefined without creating anything', async () => {
      const store = createVectorStore(db, { namespace: 'checked', embedding: identity });
      expect(await store.checkNamespace()).toBeUndefined();
      expect(await tableExists(db.orm, 'embeddings_checked')).toBe(false);
      const created = await store.ensureNamespace();
      expect(await store.checkNamespace()).toEqual(created);
      expect((await djeErrorOf(store.checkNamespace({ dimensions: DIMENSIONS + 1 }))).code).toBe(
        'DIMENSION_MISMATCH',
      );
    });

    it('needs an existing namespace when the store has no embedding identity', async () => {
      const store = createVectorStore(db, { namespace: 'anonymous' });
      expect((await djeErrorOf(store.insertEmbeddings([good(0)]))).code).toBe('NAMESPACE_NOT_FOUND');
      expect((await djeErrorOf(store.ensureNamespace())).code).toBe('NAMESPACE_NOT_FOUND');
      expect((await djeErrorOf(store.getByDocumentId('doc-0'))).code).toBe('NAMESPACE_NOT_FOUND');
      const created = await store.ensureNamespace({ dimensions: DIMENSIONS, provider: 'p', model: 'm' });
      expect(created).toMatchObject({ namespace: 'anonymous', dimensions: DIMENSIONS, model: 'm' });
      expect(await store.insertEmbeddings([good(0)])).toMatchObject({ inserted: 1 });
    });

    it('validates the store options and namespace names of every call', () => {
      expect(() => createVectorStore(db, { namespace: 'Bad Name' })).toThrow(
        expect.objectContaining({ code: 'INVALID_NAMESPACE_NAME' }),
      );
      expect(() => createVectorStore(db, { embedding: { ...identity, dimensions: 0 } })).toThrow(
        expect.objectContaining({ code: 'INVALID_DIMENSIONS' }),
      );
    });
  });

  describe('replaceDocument', () => {
    const version = (count: number, text: string) =>
      Array.from({ length: count }, (_, index) =>
        testRecord({
          index,
          dimensions: DIMENSIONS,
          documentId: 'doc',
          collectionName: 'docs',
          overrides: { chunk_id: `doc#${index}`, text: `${text} ${index}` },
        }),
      );

    it("makes the given records the document's only rows, leaving other documents alone", async () => {
      const store = createVectorStore(db, { namespace: 'replace', embedding: identity });
      await store.insertEmbeddings([
        ...version(5, 'v1'),
        testRecord({ index: 100, dimensions: DIMENSIONS, documentId: 'other', collectionName: 'docs' }),
        testRecord({
          index: 101,
          dimensions: DIMENSIONS,
          documentId: 'doc',
          collectionName: 'elsewhere',
        }),
      ]);
      const result = await store.replaceDocument({
        documentId: 'doc',
        collectionName: 'docs',
        records: version(3, 'v2'),
      });
      expect(result).toEqual({ written: 3, deleted: 2 });
      const rows = await store.getByDocumentId('doc', { collectionName: 'docs' });
      expect(rows.map((row) => row.text)).toEqual(['v2 0', 'v2 1', 'v2 2']);
      expect(await store.getByDocumentId('other')).toHaveLength(1);
      expect(await store.getByDocumentId('doc', { collectionName: 'elsewhere' })).toHaveLength(1);
      expect(await store.replaceDocument({ documentId: 'doc', collectionName: 'docs', records: [] })).toEqual(
        {
          written: 0,
          deleted: 3,
        },
      );
    });

    it('is atomic: a batch that fails in the database leaves the previous version intact', async () => {
      const store = createVectorStore(db, { namespace: 'replace_atomic', embedding: identity });
      await store.insertEmbeddings(version(COPY_MINIMUM_ROWS + 5, 'v1'));
      // A trigger makes the database itself fail half-way through the write.
      await db.orm.execute(
        sql.raw(`CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.text LIKE 'boom%' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`),
      );
      await runTriggerStatement(
        db,
        `CREATE TRIGGER boom BEFORE INSERT OR UPDATE ON embeddings_replace_atomic
         FOR EACH ROW EXECUTE FUNCTION fail_on_boom()`,
      );
      for (const count of [3, COPY_MINIMUM_ROWS + 10]) {
        const records = version(count, 'v2').map((record, index) =>
          index === count - 1 ? { ...record, text: 'boom' } : record,
        );
        const failure: unknown = await store
          .replaceDocument({ documentId: 'doc', collectionName: 'docs', records })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        // Drizzle wraps the database error; the trigger's message is its cause.
        expect((failure as Error & { cause?: Error }).cause?.message).toBe('boom');
        const rows = await store.getByDocumentId('doc');
        expect(rows).toHaveLength(COPY_MINIMUM_ROWS + 5);
        expect(rows.every((row) => row.text.startsWith('v1 '))).toBe(true);
      }
    });

    it('refuses records of another document or collection', async () => {
      const store = createVectorStore(db, { namespace: 'replace', embedding: identity });
      const records = version(2, 'x');
      const error = await djeErrorOf(
        store.replaceDocument({ documentId: 'doc', collectionName: 'other', records }),
      );
      expect(error.code).toBe('INVALID_RECORD');
      expect(error.details).toMatchObject({ index: 0, field: 'collection_name' });
    });
  });

  describe('reading and deleting', () => {
    let store: ReturnType<typeof createVectorStore>;
    beforeAll(async () => {
      store = createVectorStore(db, { namespace: 'reads', embedding: identity });
      const records = Array.from({ length: 30 }, (_, index) =>
        testRecord({ index, dimensions: DIMENSIONS, collectionName: index < 20 ? 'alpha' : 'beta' }),
      );
      await store.insertEmbeddings(records);
    });

    it('getDocumentVectors maps text_hash to the stored vector', async () => {
      const vectors = await store.getDocumentVectors('doc-1');
      expect(vectors.size).toBe(10);
      const record = testRecord({ index: 13, dimensions: DIMENSIONS });
      expect(Array.from(vectors.get(textHash(record.text)) ?? [])).toEqual(
        asStored(record.embedding as number[]),
      );
    });

    it('getByDocumentId returns the chunks in insertion order, scoped by collection', async () => {
      const rows = await store.getByDocumentId('doc-1');
      expect(rows.map((row) => row.chunk_id)).toEqual(
        Array.from({ length: 10 }, (_, index) => `chunk-${index + 10}`),
      );
      expect(await store.getByDocumentId('doc-1', { collectionName: 'beta' })).toEqual([]);
      expect(await store.getByChunkId('chunk-3', { collectionName: 'beta' })).toBeUndefined();
      expect(await store.getByChunkId('missing')).toBeUndefined();
    });

    it('deleteByDocument and deleteByCollection return the deleted counts', async () => {
      expect(await store.deleteByDocument('doc-0', { collectionName: 'beta' })).toBe(0);
      expect(await store.deleteByDocument('doc-0')).toBe(10);
      expect(await store.deleteByDocument('doc-0')).toBe(0);
      expect(await store.deleteByCollection('beta')).toBe(10);
      expect(await store.deleteCollection('alpha')).toBe(10);
      expect(await rowCount(db, 'reads')).toBe(0);
    });
  });

  describe('deleteByFilter', () => {
    it('deletes exactly the rows the filter matches, within the collection when given', async () => {
      const store = createVectorStore(db, { namespace: 'filtered_deletes', embedding: identity });
      const records = Array.from({ length: 12 }, (_, index) =>
        testRecord({
          index,
          dimensions: DIMENSIONS,
          collectionName: index < 6 ? 'alpha' : 'beta',
          overrides: { metadata: { team: index % 3 === 0 ? 'red' : 'blue' } },
        }),
      );
      await store.insertEmbeddings(records);
      const red = { metadata: { $contains: { team: 'red' } } };
      // Rows 0 and 3 are red in alpha; 6 and 9 in beta.
      expect(await store.deleteByFilter(red, { collectionName: 'alpha' })).toBe(2);
      expect(await store.getByChunkId('chunk-0')).toBeUndefined();
      expect(await store.getByChunkId('chunk-6')).toBeDefined();
      // Left: 1, 2, 4, 5, 7, 8 of doc-0 and 6, 9 (red) of doc-0 in beta, and 10, 11 of doc-1.
      expect(await store.deleteByFilter({ $or: [red, { document_id: 'doc-0' }] })).toBe(8);
      expect((await store.getByDocumentId('doc-1')).map((row) => row.chunk_id)).toEqual([
        'chunk-10',
        'chunk-11',
      ]);
    });

    it('refuses an empty or unknown filter and deletes nothing', async () => {
      const store = createVectorStore(db, { namespace: 'filtered_refusals', embedding: identity });
      await store.insertEmbeddings([testRecord({ index: 1, dimensions: DIMENSIONS })]);
      for (const filter of [{}, { colour: 'red' }]) {
        const error = await djeErrorOf(store.deleteByFilter(filter as never));
        expect(error.code).toBe('INVALID_FILTER');
      }
      expect(await rowCount(db, 'filtered_refusals')).toBe(1);
    });
  });

  describe('searches after the namespace changed elsewhere', () => {
    it('notice a namespace dropped or recreated by another store at once', async () => {
      const reader = createVectorStore(db, { namespace: 'changing' });
      const writer = createVectorStore(db, { namespace: 'changing' });
      await writer.createNamespace({
        namespace: 'changing',
        dimensions: DIMENSIONS,
        provider: 'test',
        model: 'a',
      });
      await writer.insertEmbeddings([testRecord({ index: 1, dimensions: DIMENSIONS })]);
      const first = await reader.similaritySearch({ vector: testVector(1, DIMENSIONS), limit: 1 });
      expect(first[0]?.[0].chunk_id).toBe('chunk-1');

      // Another store (as another process would) drops it and recreates it with other dimensions.
      await writer.dropNamespace('changing', { confirm: true });
      const gone = await djeErrorOf(reader.similaritySearch({ vector: testVector(1, DIMENSIONS), limit: 1 }));
      expect(gone.code).toBe('NAMESPACE_NOT_FOUND');
      await writer.createNamespace({ namespace: 'changing', dimensions: 4, provider: 'test', model: 'b' });
      await writer.insertEmbeddings([testRecord({ index: 2, dimensions: 4 })]);
      await reader.similaritySearch({ vector: testVector(2, 4), limit: 1 }); // caches the new entry
      await writer.dropNamespace('changing', { confirm: true });
      await writer.createNamespace({
        namespace: 'changing',
        dimensions: DIMENSIONS,
        provider: 'test',
        model: 'c',
      });
      await writer.insertEmbeddings([testRecord({ index: 3, dimensions: DIMENSIONS })]);
      const again = await reader.similaritySearch({ vector: testVector(3, DIMENSIONS), limit: 5 });
      expect(again.map(([record]) => record.chunk_id)).toEqual(['chunk-3']);
    });
  });

  describe('collections', () => {
    it('listCollections summarises every collection in one query', async () => {
      const store = createVectorStore(db, { namespace: 'collections', embedding: identity });
      await store.insertEmbeddings([
        ...Array.from({ length: 6 }, (_, index) =>
          testRecord({ index, dimensions: DIMENSIONS, collectionName: 'b' }),
        ),
        ...Array.from({ length: 25 }, (_, index) =>
          testRecord({ index: index + 10, dimensions: DIMENSIONS, collectionName: 'a' }),
        ),
      ]);
      expect(await store.listCollections()).toEqual([
        {
          collection_name: 'a',
          total_embeddings: 25,
          document_count: 3,
          strategies: ['flat', 'hierarchical'],
          content_types: ['array', 'object'],
        },
        {
          collection_name: 'b',
          total_embeddings: 6,
          document_count: 1,
          strategies: ['flat', 'hierarchical'],
          content_types: ['array', 'object'],
        },
      ]);
    });

    it('getCollectionStats reports distributions, averages and text lengths', async () => {
      const store = createVectorStore(db, { namespace: 'collection_stats', embedding: identity });
      const texts = ['a', 'bbb', 'cccccc', 'dddd'];
      await store.insertEmbeddings(
        texts.map((text, index) =>
          testRecord({
            index,
            dimensions: DIMENSIONS,
            collectionName: 'stats',
            overrides: {
              text,
              strategy: index < 3 ? 'flat' : 'semantic',
              content_type: 'object',
              semantic_density: index / 4,
              confidence: 1 - index / 8,
              token_count: index === 3 ? null : 10 * (index + 1),
            },
          }),
        ),
      );
      expect(await store.getCollectionStats('stats')).toEqual({
        namespace: 'collection_stats',
        collection_name: 'stats',
        total_embeddings: 4,
        document_count: 1,
        strategies: ['flat', 'semantic'],
        content_types: ['object'],
        strategy_distribution: { flat: 3, semantic: 1 },
        content_type_distribution: { object: 4 },
        avg_semantic_density: (0 + 0.25 + 0.5 + 0.75) / 4,
        avg_confidence: (1 + 0.875 + 0.75 + 0.625) / 4,
        text_length: { min: 1, max: 6, avg: 3.5 },
        total_tokens: 60,
      });
      expect((await djeErrorOf(store.getCollectionStats('nothing'))).code).toBe('COLLECTION_NOT_FOUND');
    });
  });
});
