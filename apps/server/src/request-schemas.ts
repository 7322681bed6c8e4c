// zod schemas of every request part: they validate input (400 VALIDATION_ERROR naming the field)
// and generate the OpenAPI document, so the docs cannot drift from what the server accepts.

import {
  configNames,
  MAX_COLLECTION_NAME_LENGTH,
  SEARCH_MODES,
  strategyNames,
  validateNamespaceName,
} from '@dynamic-embeddings/pipeline';
import { z } from '@hono/zod-openapi';

/** The document_id column is varchar(512) (the seed schema). */
const MAX_DOCUMENT_ID_LENGTH = 512;
/** Most results a search may ask for (the vector store's cap). */
export const MAX_SEARCH_LIMIT = 1000;
/** pgvector's largest `vector` type. */
const MAX_DIMENSIONS = 16_000;

export const namespaceName = z
  .string()
  .superRefine((value, context) => {
    try {
      validateNamespaceName(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  })
  .openapi({ pattern: '^[a-z0-9_]+$', minLength: 1, maxLength: 50, example: 'production' });

const collectionName = z
  .string()
  .trim()
  .min(1)
  .max(MAX_COLLECTION_NAME_LENGTH)
  .openapi({ example: 'campaigns' });

const strategy = z
  .enum(strategyNames)
  .openapi({ description: 'Chunking strategy; `auto` picks one per document.' });

const chunkingConfig = z.union([z.string().min(1), z.record(z.string(), z.unknown())]).openapi({
  description: `A built-in chunking config name (${configNames.join(', ')}) or a config object.`,
});

const booleanFlag = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .openapi({ type: 'string', enum: ['true', 'false'] });

export const namespaceParams = z.object({
  ns: namespaceName.openapi({ param: { name: 'ns', in: 'path' } }),
});

export const collectionParams = namespaceParams.extend({
  collection: collectionName.openapi({ param: { name: 'collection', in: 'path' } }),
});

export const documentParams = namespaceParams.extend({
  id: z
    .string()
    .min(1)
    .max(MAX_DOCUMENT_ID_LENGTH)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'campaign-42' }),
});

const recallTarget = z.number().gt(0).max(1).openapi({
  description: 'Recall@10 the index settings are calibrated to (default 0.95).',
});

export const createNamespaceBody = z
  .strictObject({
    name: namespaceName,
    index: z.enum(['hnsw', 'ivfflat', 'none']).optional().openapi({
      description: 'ANN index type (default: hnsw on PostgreSQL, ivfflat on the embedded database).',
    }),
    index_params: z
      .strictObject({
        m: z.number().int().positive().optional(),
        ef_construction: z.number().int().positive().optional(),
        lists: z.number().int().positive().optional(),
        quantization: z.literal('binary').optional(),
      })
      .optional()
      .openapi({
        description:
          'HNSW m / ef_construction / quantization, or IVFFlat lists. quantization "binary": an HNSW index of the binary-quantized vectors (1 bit a dimension, any dimensions), searched with an oversampled candidate set re-ranked by exact distance.',
      }),
    index_threshold: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .openapi({ description: 'Rows at which the ANN index is built (default 10,000; 0 = at once).' }),
    storage: z.enum(['vector', 'halfvec']).optional().openapi({
      description:
        'vector (float32) or halfvec (float16: half the size; indexable up to 4,000 dimensions, vector up to 2,000). Default: halfvec above 2,000 dimensions, else vector.',
    }),
    dimensions: z.number().int().min(1).max(MAX_DIMENSIONS).optional().openapi({
      description: "Expected vector length; must equal the server's embedding provider's (a safety check).",
    }),
    recall_target: recallTarget.optional(),
    text_search_config: z.string().min(1).max(63).optional().openapi({
      description:
        'PostgreSQL text search configuration of the keyword index, fixed at creation: simple (default: any language, identifiers as typed) or a stemming one such as english.',
    }),
  })
  .openapi('CreateNamespaceRequest');

export const recallBody = z
  .strictObject({
    sample: z.number().int().min(1).max(1000).default(50).openapi({
      description:
        'Probe queries made from the stored vectors: half halfway between two of them, half a stored vector moved as far as its nearest neighbour lies. The recall reported is the lower of the two halves.',
    }),
    collection: collectionName.optional(),
    filter: z.record(z.string(), z.unknown()).optional().openapi({
      description: "Measure searches with this filter (the search route's `filter`).",
    }),
  })
  .openapi('RecallRequest');

export const recallTargetBody = z
  .strictObject({ recall_target: recallTarget })
  .openapi('RecallTargetRequest');

export const moveNamespaceBody = z
  .strictObject({
    to: z.string().min(3).max(300).openapi({
      description: 'The Citus worker to move the namespace to, as `host:port`.',
      example: '10.0.0.3:5432',
    }),
  })
  .openapi('MoveNamespaceRequest');

export const distributeNamespaceBody = z
  .strictObject({
    shards: z
      .number()
      .int()
      .min(2)
      .max(64_000)
      .openapi({ description: 'Shards to hash-distribute the namespace over (on chunk_id).', example: 8 }),
  })
  .openapi('DistributeNamespaceRequest');

export const dropNamespaceQuery = z.object({
  confirm: booleanFlag.optional().openapi({ description: 'Must be `true`: dropping deletes every row.' }),
});

/** A request's `data`: one JSON document, any JSON value. */
const jsonDocument = z
  .unknown()
  .refine((value) => value !== undefined, 'the JSON document is required')
  .openapi({ description: 'The JSON document (any JSON value).' });

export const putDocumentBody = z
  .strictObject({
    collection: collectionName,
    data: jsonDocument,
    strategy: strategy.optional(),
    config: chunkingConfig.optional(),
  })
  .openapi('PutDocumentRequest');

export const getDocumentQuery = z.object({
  collection: collectionName.optional(),
  vectors: booleanFlag.optional().openapi({ description: '`true` includes each chunk’s vector.' }),
});

export const deleteDocumentQuery = z.object({
  collection: collectionName.optional(),
});

export const bulkQuery = z.object({
  collection: collectionName,
  strategy: strategy.optional(),
});

export const searchBody = z
  .strictObject({
    query: z.string().min(1).optional().openapi({ description: 'Text to embed and search for.' }),
    vector: z
      .array(z.number())
      .min(1)
      .max(MAX_DIMENSIONS)
      .optional()
      .openapi({ description: "A query vector of the namespace's dimensions (instead of `query`)." }),
    collection: collectionName.optional(),
    limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).default(10),
    threshold: z.number().min(-1).max(1).optional().openapi({ description: 'Minimum cosine similarity.' }),
    exact: z.boolean().optional().openapi({
      description:
        'Skip the ANN index and compare with every row that passes the filter: perfect recall, a full scan (default false).',
    }),
    explain: z.boolean().default(false).openapi({
      description:
        "Also return `plan`: exact or through the ANN index, how many rows the filter matches, and the index settings used (keyword and hybrid: each leg's plan).",
    }),
    mode: z.enum(SEARCH_MODES).optional().openapi({
      description:
        'hybrid (the default with `query`): vector and keyword search fused by Reciprocal Rank Fusion; vector: by meaning only (the only mode with `vector`); keyword: the words of `query` only ("quoted phrase", -exclude, or).',
    }),
    rrf_k: z.number().min(0).optional().openapi({ description: "Hybrid: RRF's k (default 60)." }),
    weights: z
      .strictObject({ vector: z.number().min(0).optional(), keyword: z.number().min(0).optional() })
      .optional()
      .openapi({ description: "Hybrid: how much each leg's ranks count (default 1 each)." }),
    filter: z.record(z.string(), z.unknown()).optional().openapi({
      description:
        'Conditions on stored columns, e.g. {"document_id":"a","depth_level":{"$lte":2},"metadata":{"$contains":{"region":"EU"}},"$or":[…]}. Fields and operators are those of the db package\'s Filter; anything else is 400 INVALID_FILTER naming the key.',
    }),
  })
  .superRefine((body, context) => {
    if ((body.query === undefined) === (body.vector === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [body.query === undefined ? 'query' : 'vector'],
        message: 'send exactly one of "query" (text) or "vector" (numbers)',
      });
    }
    if (body.vector !== undefined && body.mode !== undefined && body.mode !== 'vector') {
      context.addIssue({
        code: 'custom',
        path: ['mode'],
        message: `${body.mode} search needs the words of "query"; a "vector" is searched in vector mode`,
      });
    }
  })
  .openapi('SearchRequest', { description: 'Exactly one of `query` (text) or `vector` (numbers).' });

export const migrationBody = z
  .strictObject({
    source: namespaceName.openapi({
      description: 'Namespace to copy or move (or `embeddings`, the legacy table).',
    }),
    target: namespaceName,
    mode: z.enum(['copy', 'move']).default('copy'),
    into: z
      .enum(['new', 'existing'])
      .default('new')
      .openapi({ description: '`existing` allows an empty, compatible target namespace.' }),
    dry_run: z
      .boolean()
      .default(false)
      .openapi({ description: '`true` returns the plan and changes nothing.' }),
    checksum: z.boolean().default(true).openapi({
      description:
        '`false` skips the md5 checksum of the result (every row is still compared with its source); faster for large namespaces.',
    }),
  })
  .openapi('MigrationRequest');

export const reembedBody = z
  .strictObject({
    source: namespaceName.openapi({ description: 'Namespace whose rows are re-embedded; it is only read.' }),
    target: namespaceName.openapi({
      description: "Namespace to fill, created for the server's embedding model when missing.",
    }),
    dry_run: z
      .boolean()
      .default(false)
      .openapi({ description: '`true` counts rows, tokens and embedding requests and changes nothing.' }),
    page_rows: z.number().int().min(1).max(10_000).optional().openapi({
      description: 'Rows embedded and written per transaction (default 1,000).',
    }),
  })
  .openapi('ReembedRequest');

export const chunkBody = z
  .strictObject({
    data: jsonDocument,
    strategy: strategy.optional(),
    config: chunkingConfig.optional(),
    document_id: z.string().min(1).max(MAX_DOCUMENT_ID_LENGTH).default('document').openapi({
      description: 'Used in the chunk ids, as on ingest (default `document`).',
    }),
    collection: collectionName.optional().openapi({
      description: 'Also part of the chunk ids: give it to see the ids an ingest into it would store.',
    }),
  })
  .openapi('ChunkRequest');
