// zod schemas of the response shapes, for the OpenAPI document. They mirror the pipeline's
// snake_case types (the library, `dje --json` and the HTTP API all speak the same shapes).
import { z } from '@hono/zod-openapi';

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'NAMESPACE_NOT_FOUND' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      hint: z.string().optional().openapi({ example: 'List namespaces with GET /v1/namespaces.' }),
    }),
  })
  .openapi('Error');

const indexParams = z.object({
  m: z.number().int().optional(),
  ef_construction: z.number().int().optional(),
  lists: z.number().int().optional(),
  quantization: z.literal('binary').optional(),
});

const searchTuning = z
  .object({
    ef_search: z.number().int().optional(),
    probes: z.number().int().optional(),
    oversample: z.number().int().optional(),
    recall: z.number().optional(),
    calibrated_rows: z.number().optional(),
    calibrated_at: z.string().optional(),
  })
  .openapi('SearchTuning', {
    description: 'Index settings calibrated to the recall target (empty until then).',
  });

export const recallMeasurement = z
  .object({
    namespace: z.string(),
    recall: z.number(),
    k: z.number().int(),
    queries: z.number().int(),
    recall_target: z.number(),
    meets_target: z.boolean(),
    strategies: z.object({ exact: z.number().int(), index: z.number().int() }),
    settings: z.record(z.string(), z.string()),
    search_tuning: searchTuning,
  })
  .openapi('RecallMeasurement');

export const reindexResult = z
  .object({ namespace: z.string(), created: z.array(z.string()), table_version: z.number().int() })
  .openapi('ReindexResult');

export const namespaceRecord = z
  .object({
    namespace: z.string(),
    table_name: z.string(),
    dimensions: z.number().int(),
    storage: z.enum(['vector', 'halfvec']),
    provider: z.string(),
    model: z.string(),
    index_type: z.enum(['hnsw', 'ivfflat', 'none']),
    index_params: indexParams,
    index_threshold: z.number().int(),
    recall_target: z.number(),
    search_tuning: searchTuning,
    text_search_config: z.string(),
    created_at: z.string(),
  })
  .openapi('Namespace');

export const namespaceInfo = namespaceRecord
  .extend({
    embedding_count: z.number().int(),
    vector_index_exists: z.boolean(),
    nodes: z
      .array(z.string())
      .optional()
      .openapi({ description: 'On a Citus coordinator: the workers (`host:port`) holding the namespace.' }),
    shard_count: z.number().int().optional().openapi({ description: 'On a Citus coordinator: its shards.' }),
  })
  .openapi('NamespaceInfo');

export const namespaceMove = z
  .object({
    namespace: z.string(),
    from: z.array(z.string()),
    to: z.string(),
    moved_shards: z.number().int(),
  })
  .openapi('NamespaceMove');

export const namespaceDistribution = z
  .object({ namespace: z.string(), shard_count: z.number().int(), nodes: z.array(z.string()) })
  .openapi('NamespaceDistribution');

export const clusterRebalance = z
  .object({ moves: z.number().int(), tables: z.array(z.string()) })
  .openapi('ClusterRebalance');

export const namespaceList = z.object({ namespaces: z.array(namespaceInfo) }).openapi('NamespaceList');

export const namespaceStats = namespaceInfo
  .extend({
    exists: z.literal(true),
    collection_count: z.number().int(),
    table_size: z.string(),
    table_size_bytes: z.number().int(),
    index_size: z.string().openapi({ description: 'All indexes of the table (part of table_size).' }),
    index_size_bytes: z.number().int(),
    bytes_per_vector: z.number().int(),
  })
  .openapi('NamespaceStats');

export const backupList = z
  .object({
    namespace: z.string(),
    backups: z.array(
      z
        .object({
          table_name: z.string(),
          namespace: z.string(),
          source_table: z.string(),
          reason: z.string(),
          dimensions: z.number().int(),
          provider: z.string(),
          model: z.string(),
          index_type: z.enum(['hnsw', 'ivfflat', 'none']),
          row_count: z.number().int(),
          exists: z.boolean(),
          created_at: z.string(),
        })
        .openapi('Backup'),
    ),
  })
  .openapi('BackupList');

export const dropped = z.object({ dropped: z.literal(true), namespace: z.string() }).openapi('Dropped');

export const deleted = z.object({ deleted: z.number().int() }).openapi('Deleted');

const collectionSummary = z
  .object({
    collection_name: z.string(),
    total_embeddings: z.number().int(),
    document_count: z.number().int(),
    strategies: z.array(z.string()),
    content_types: z.array(z.string()),
  })
  .openapi('CollectionSummary');

export const collectionList = z
  .object({ namespace: z.string(), collections: z.array(collectionSummary) })
  .openapi('CollectionList');

export const collectionStats = collectionSummary
  .extend({
    namespace: z.string(),
    strategy_distribution: z.record(z.string(), z.number()),
    content_type_distribution: z.record(z.string(), z.number()),
    avg_semantic_density: z.number(),
    avg_confidence: z.number(),
    text_length: z.object({ min: z.number(), max: z.number(), avg: z.number() }),
    total_tokens: z.number(),
  })
  .openapi('CollectionStats');

const timings = z.object({ chunk_ms: z.number(), embed_ms: z.number(), store_ms: z.number() });

/** What an ingest counts, per document and in total. */
const ingestCounts = z.object({
  chunks: z.number().int(),
  embedded: z.number().int(),
  reused: z.number().int(),
  removed: z.number().int(),
  skipped: z.number().int(),
  tokens: z.number().int(),
});

const documentResult = ingestCounts.extend({
  document_id: z.string(),
  source: z.string().optional(),
  strategy: z.string(),
  confidence: z.number(),
});

/** What every ingest route returns (one document or a bulk upload): totals and one row per document. */
export const ingestResult = ingestCounts
  .extend({
    namespace: z.string(),
    collection_name: z.string(),
    sources: z.number().int(),
    documents: z.number().int(),
    /** Documents already stored exactly so: every vector reused, nothing embedded or removed. */
    unchanged: z.number().int(),
    duration_ms: z.number(),
    index_built: z.boolean(),
    timings,
    /** The first 10,000 documents' rows (the pipeline's default resultLimit). */
    results: z.array(documentResult),
    /** Documents stored past the rows listed in `results` (counted in the totals). */
    results_omitted: z.number().int(),
  })
  .openapi('IngestResult');

const storedChunk = z.object({
  id: z.number().int(),
  chunk_id: z.string(),
  document_id: z.string(),
  collection_name: z.string(),
  text: z.string(),
  text_hash: z.string(),
  strategy: z.string(),
  content_type: z.string(),
  path: z.string().nullable(),
  parent_chunk_id: z.string().nullable(),
  depth_level: z.number().int().nullable(),
  hierarchy_level: z.number().int().nullable(),
  semantic_density: z.number().nullable(),
  confidence: z.number().nullable(),
  chunk_size: z.number().int().nullable(),
  token_count: z.number().int().nullable(),
  key_count: z.number().int().nullable(),
  contains_arrays: z.boolean().nullable(),
  is_leaf: z.boolean().nullable(),
  domain_tags: z.array(z.string()).nullable(),
  original_keys: z.array(z.string()).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const chunkRecord = storedChunk
  .extend({ embedding: z.array(z.number()).optional().openapi({ description: 'Only with ?vectors=true.' }) })
  .openapi('Chunk');

export const documentChunks = z
  .object({ namespace: z.string(), document_id: z.string(), chunks: z.array(chunkRecord) })
  .openapi('Document');

/** What POST /v1/chunk returns: the chunks an ingest would store, before embedding. */
export const chunkPreview = z
  .object({
    document_id: z.string(),
    strategy: z.string().openapi({ description: 'The concrete strategy used (what `auto` chose).' }),
    confidence: z.number(),
    scores: z.record(z.string(), z.number()).optional().openapi({
      description: "The decision engine's score per strategy; only when `auto` decided.",
    }),
    chunks: z.array(
      storedChunk.omit({
        id: true,
        collection_name: true,
        text_hash: true,
        created_at: true,
        updated_at: true,
      }),
    ),
  })
  .openapi('ChunkPreview');

export const searchHit = storedChunk
  .extend({
    similarity: z.number(),
    score: z.number().optional().openapi({ description: 'Keyword: ts_rank_cd; hybrid: the RRF score.' }),
    vector_rank: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Keyword and hybrid: rank in the vector leg.' }),
    keyword_rank: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Keyword and hybrid: rank in the keyword leg.' }),
    keyword_score: z
      .number()
      .optional()
      .openapi({ description: 'ts_rank_cd, when the keyword leg returned the hit.' }),
  })
  .openapi('SearchHit');

/** How a search ran (`"explain": true`): the db package's SearchPlan. */
export const searchPlan = z
  .object({
    strategy: z.enum(['exact', 'index']),
    reason: z.enum(['requested', 'no_index', 'unfiltered', 'few_matching_rows', 'many_matching_rows']),
    index_type: z.enum(['hnsw', 'ivfflat', 'none']),
    matching_rows: z.number().int().optional(),
    matching_rows_counted: z.enum(['exact', 'at_least', 'estimated']).optional(),
    estimated_total_rows: z.number().optional(),
    assumed_selectivity: z.number().optional(),
    exact_cutoff: z.number().int(),
    settings: z.record(z.string(), z.string()),
    exact_fallback: z.boolean(),
    rerank_candidates: z.number().int().optional(),
  })
  .openapi('SearchPlan');

/** A keyword or hybrid search's plan: each leg's, and the fusion's settings. */
export const modePlan = z
  .object({
    mode: z.enum(['keyword', 'hybrid']),
    keyword: z.object({
      text_search_config: z.string(),
      tsquery: z.string(),
      matched_rows: z.number().int(),
      candidates: z.number().int(),
    }),
    vector: searchPlan.optional(),
    rrf_k: z.number().optional(),
    weights: z.object({ vector: z.number(), keyword: z.number() }).optional(),
  })
  .openapi('ModePlan');

export const searchResults = z
  .object({
    namespace: z.string(),
    results: z.array(searchHit),
    plan: z.union([modePlan, searchPlan]).optional().openapi({ description: 'Only with `"explain": true`.' }),
  })
  .openapi('SearchResults');

export const migrationPlan = z
  .object({
    source: z.string(),
    target: z.string(),
    mode: z.enum(['copy', 'move']),
    source_kind: z.enum(['namespace', 'legacy']).nullable().optional(),
    into: z.enum(['new', 'existing']).optional(),
    source_table: z.string(),
    target_table: z.string(),
    backup_table: z.string().optional(),
    source_rows: z.number().int(),
    target_rows: z.number().int(),
    dimensions: z.number().int().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    index_type: z.string().nullable(),
    estimated_bytes: z.number(),
    steps: z.array(z.string()).readonly(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), message: z.string() })).readonly(),
    valid: z.boolean(),
  })
  .openapi('MigrationPlan');

export const reembedResult = z
  .object({
    source: z.string(),
    target: z.string(),
    provider: z.string(),
    model: z.string(),
    dimensions: z.number().int(),
    dry_run: z.boolean(),
    source_rows: z.number().int(),
    skipped_rows: z.number().int(),
    embedded_rows: z.number().int(),
    estimated_tokens: z.number().int(),
    requests: z.number().int(),
    target_rows: z.number().int(),
  })
  .openapi('ReembedResult');

export const migrationResult = z
  .object({
    success: z.boolean(),
    source: z.string(),
    target: z.string(),
    mode: z.enum(['copy', 'move']),
    rows_migrated: z.number().int(),
    duration_seconds: z.number(),
    source_action: z.string(),
    backup_table: z.string().optional(),
    checksum: z.string(),
    vector_index_exists: z.boolean().optional(),
    warnings: z.array(z.string()).readonly().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('MigrationResult');

export const migrationResponse = z
  .union([
    z.object({ dry_run: z.literal(true), plan: migrationPlan }),
    z.object({ dry_run: z.literal(false), result: migrationResult }),
  ])
  .openapi('MigrationResponse');

export const health = z.object({ status: z.literal('ok') }).openapi('Health');

export const readiness = z.object({ status: z.literal('ready') }).openapi('Readiness');
