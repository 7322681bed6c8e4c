// A LangChain.js VectorStore over one namespace and collection. Plain-text Documents are one row
// each; Documents whose pageContent is a JSON object or array go through our JSON chunking and
// are stored (and replaced) as one document of many chunks, all or nothing.
import { randomUUID } from 'node:crypto';
import { invalidOption } from '@dynamic-embeddings/core';
import {
  chunkJson,
  createPipeline,
  type Database,
  type EmbeddingPipeline,
  type EmbeddingRecord,
} from '@dynamic-embeddings/pipeline';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';
import { ProviderEmbeddings } from './langchain-embeddings.js';
import { fromLangChainEmbeddings, modelNameOf } from './langchain-provider.js';
import { type MetadataFilter, toDatabaseFilter } from './metadata-filter.js';

export interface DynamicEmbeddingsStoreConfig {
  /** postgres://…, pglite://DIR or memory:// (default: embedded PGlite in ./.dje/pgdata). Ignored with `db`. */
  readonly databaseUrl?: string;
  /** An open database to use instead of connecting; `close()` then leaves it open. */
  readonly db?: Database;
  /** Namespace (one table) to store in; created on first use (default `default`). */
  readonly namespace?: string;
  /** Collection inside the namespace that this store reads and writes. */
  readonly collectionName: string;
  /** Vector length of the embeddings (default: measured by embedding one probe text). */
  readonly dimensions?: number;
  /** Model name for the namespace registry (default: the embeddings' `model`, else its class name). */
  readonly model?: string;
  /** Provider name for the namespace registry (default `langchain`; our own providers give theirs). */
  readonly provider?: string;
}

/** What `addDocuments` and `addVectors` take besides the documents. */
export interface AddDocumentsOptions {
  /** One id per document (default: the Document's `id`, else a random UUID); stored as document_id. */
  readonly ids?: readonly string[];
}

/** What `delete` takes: document ids, a metadata filter, or both (rows matching either go). */
export interface DeleteParams {
  readonly ids?: readonly string[];
  readonly filter?: MetadataFilter;
}

interface StoreFields {
  readonly pipeline: EmbeddingPipeline;
  readonly collectionName: string;
}

/** A plain-text document's row: one chunk whose id is unique in the namespace's table. */
const textChunkId = (collectionName: string, documentId: string) => `text:${collectionName}:${documentId}`;

/** The JSON value of a pageContent that is a JSON object or array, else undefined (plain text). */
function jsonContent(pageContent: string): object | undefined {
  const text = pageContent.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function toDocument(record: EmbeddingRecord): DocumentInterface {
  return new Document({ pageContent: record.text, metadata: record.metadata ?? {}, id: record.document_id });
}

export class DynamicEmbeddingsStore extends VectorStore {
  declare FilterType: MetadataFilter;
  /** The pipeline this store writes and searches through (its `store` is the namespace's). */
  readonly pipeline: EmbeddingPipeline;
  readonly collectionName: string;

  /** Use `DynamicEmbeddingsStore.initialize`, which connects and prepares the namespace. */
  constructor(embeddings: EmbeddingsInterface, fields: StoreFields) {
    super(embeddings, fields);
    this.pipeline = fields.pipeline;
    this.collectionName = fields.collectionName;
  }

  _vectorstoreType(): string {
    return 'dynamic-embeddings';
  }

  /** Connects, and creates the namespace for these embeddings unless it exists (then checks it). */
  static async initialize(
    embeddings: EmbeddingsInterface,
    config: DynamicEmbeddingsStoreConfig,
  ): Promise<DynamicEmbeddingsStore> {
    const provider =
      embeddings instanceof ProviderEmbeddings
        ? embeddings.provider
        : fromLangChainEmbeddings(embeddings, {
            dimensions: config.dimensions ?? (await embeddings.embedQuery('dimensions')).length,
            model: config.model ?? modelNameOf(embeddings),
            ...(config.provider === undefined ? {} : { provider: config.provider }),
          });
    const pipeline = await createPipeline({
      provider,
      ...(config.db === undefined ? { databaseUrl: config.databaseUrl } : { db: config.db }),
      ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
    });
    try {
      await pipeline.setupDatabase();
    } catch (error) {
      await pipeline.close();
      throw error;
    }
    return new DynamicEmbeddingsStore(embeddings, { pipeline, collectionName: config.collectionName });
  }

  static override async fromTexts(
    texts: string[],
    metadatas: object[] | object,
    embeddings: EmbeddingsInterface,
    config: DynamicEmbeddingsStoreConfig,
  ): Promise<DynamicEmbeddingsStore> {
    const documents = texts.map(
      (pageContent, index) =>
        new Document({
          pageContent,
          metadata: (Array.isArray(metadatas) ? metadatas[index] : metadatas) ?? {},
        }),
    );
    return DynamicEmbeddingsStore.fromDocuments(documents, embeddings, config);
  }

  static override async fromDocuments(
    documents: DocumentInterface[],
    embeddings: EmbeddingsInterface,
    config: DynamicEmbeddingsStoreConfig,
  ): Promise<DynamicEmbeddingsStore> {
    const store = await DynamicEmbeddingsStore.initialize(embeddings, config);
    await store.addDocuments(documents);
    return store;
  }

  /** Stores the documents (replacing earlier versions with the same ids); returns their ids. */
  async addDocuments(documents: DocumentInterface[], options: AddDocumentsOptions = {}): Promise<string[]> {
    const ids = this.#idsOf(documents, options);
    const text: number[] = [];
    const json: { readonly index: number; readonly data: object }[] = [];
    documents.forEach((document, index) => {
      const data = jsonContent(document.pageContent);
      if (data === undefined) text.push(index);
      else json.push({ index, data });
    });
    if (text.length > 0) {
      const vectors = await this.embeddings.embedDocuments(
        text.map((index) => (documents[index] as DocumentInterface).pageContent),
      );
      await this.addVectors(
        vectors,
        text.map((index) => documents[index] as DocumentInterface),
        { ids: text.map((index) => ids[index] as string) },
      );
    }
    await this.#addJsonDocuments(
      json.map(({ index, data }) => ({
        data,
        id: ids[index] as string,
        metadata: (documents[index] as DocumentInterface).metadata,
      })),
    );
    return ids;
  }

  /** Stores documents as plain text with the given vectors (one per document); returns their ids. */
  async addVectors(
    vectors: number[][],
    documents: DocumentInterface[],
    options: AddDocumentsOptions = {},
  ): Promise<string[]> {
    if (vectors.length !== documents.length)
      throw invalidOption(`addVectors got ${vectors.length} vectors for ${documents.length} documents.`, {
        details: { vectors: vectors.length, documents: documents.length },
      });
    const ids = this.#idsOf(documents, options);
    const { collectionName } = this;
    const records = documents.map((document, index) => ({
      chunk_id: textChunkId(collectionName, ids[index] as string),
      document_id: ids[index] as string,
      collection_name: collectionName,
      text: document.pageContent,
      embedding: vectors[index] as number[],
      strategy: 'text',
      content_type: 'text',
      is_leaf: true,
      metadata: document.metadata,
    }));
    if (records.length > 0) await this.pipeline.store.insertEmbeddings(records);
    return ids;
  }

  /** Each JSON document chunked, its chunks embedded together, then stored as its only rows. */
  async #addJsonDocuments(
    documents: readonly { readonly data: object; readonly id: string; readonly metadata: object }[],
  ): Promise<void> {
    const { collectionName } = this;
    const chunked = documents.map((document) => ({
      ...document,
      chunks: chunkJson(document.data, { documentId: document.id, collectionName }).chunks.filter(
        (chunk) => chunk.text.trim() !== '',
      ),
    }));
    const texts = chunked.flatMap((document) => document.chunks.map((chunk) => chunk.text));
    if (texts.length === 0) return;
    const vectors = await this.embeddings.embedDocuments(texts);
    let position = 0;
    for (const document of chunked) {
      const records = document.chunks.map((chunk) => ({
        ...chunk,
        collection_name: collectionName,
        embedding: vectors[position++] as number[],
        // The Document's metadata wins over the chunker's, so filters on it find every chunk.
        metadata: { ...chunk.metadata, ...document.metadata },
      }));
      await this.pipeline.store.replaceDocument({ documentId: document.id, collectionName, records });
    }
  }

  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: MetadataFilter,
  ): Promise<[DocumentInterface, number][]> {
    const results = await this.pipeline.store.similaritySearch({
      vector: query,
      limit: k,
      collectionName: this.collectionName,
      ...(filter === undefined ? {} : { filters: toDatabaseFilter(filter) }),
    });
    return results.map(([record, similarity]) => [toDocument(record), similarity]);
  }

  /** Deletes documents by id and/or every row whose metadata matches `filter`. */
  override async delete(params: DeleteParams = {}): Promise<void> {
    if (params.ids === undefined && params.filter === undefined)
      throw invalidOption('delete needs `ids`, a `filter`, or both; nothing was deleted.');
    const scope = { collectionName: this.collectionName };
    const filter = params.filter === undefined ? undefined : toDatabaseFilter(params.filter);
    for (const id of params.ids ?? []) await this.pipeline.store.deleteByDocument(id, scope);
    if (filter !== undefined) await this.pipeline.store.deleteByFilter(filter, scope);
  }

  /** Closes the database connection, if the store opened it. */
  async close(): Promise<void> {
    await this.pipeline.close();
  }

  #idsOf(documents: readonly DocumentInterface[], options: AddDocumentsOptions): string[] {
    if (options.ids !== undefined && options.ids.length !== documents.length)
      throw invalidOption(`Got ${options.ids.length} ids for ${documents.length} documents.`, {
        details: { ids: options.ids.length, documents: documents.length },
      });
    return documents.map((document, index) => options.ids?.[index] ?? document.id ?? randomUUID());
  }
}
