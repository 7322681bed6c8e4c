// The Model Context Protocol server of `dje mcp`: tools over one pipeline, for an agent. Reads are
// always there; the write tool refuses unless writes were allowed, and every tool keeps to the
// namespaces it was given, like an HTTP API key's namespaces and access.
import { createError, DjeError } from '@dynamic-embeddings/core';
import { type EmbeddingPipeline, type Filter, SEARCH_MODES } from '@dynamic-embeddings/pipeline';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export interface McpServerOptions {
  readonly pipeline: EmbeddingPipeline;
  /** Whether `ingest_document` may write (default false: it refuses with WRITES_DISABLED). */
  readonly allowWrites: boolean;
  /** Namespaces the tools may use: `*` for all. */
  readonly namespaces: '*' | readonly string[];
  readonly version: string;
}

const namespaceArgument = z
  .string()
  .optional()
  .describe('namespace to use (default: the one dje mcp was started with)');
const collectionArgument = z.string().optional().describe('collection inside the namespace (default: all)');

/** A tool's answer: the value as JSON text, or the error as `error [CODE]: message`. */
async function answer(work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return { content: [{ type: 'text', text: JSON.stringify(await work()) }] };
  } catch (error) {
    const known = DjeError.isInstance(error);
    const code = known ? error.code : 'INTERNAL_ERROR';
    const message = error instanceof Error ? error.message : String(error);
    return { isError: true, content: [{ type: 'text', text: `error [${code}]: ${message}` }] };
  }
}

function namespaceRule(options: McpServerOptions) {
  const allowed = (namespace: string) => options.namespaces === '*' || options.namespaces.includes(namespace);
  return {
    allowed,
    /** The namespace a tool call uses, if this server may use it. */
    check(namespace: string | undefined): string {
      const name = namespace ?? options.pipeline.namespace;
      if (allowed(name)) return name;
      throw createError({
        code: 'NAMESPACE_NOT_ALLOWED',
        message: `This MCP server may not use namespace "${name}"; it was started for ${(options.namespaces as readonly string[]).join(', ')} (dje mcp --namespaces).`,
        details: { namespace: name },
      });
    },
  };
}

function registerSearchTool(server: McpServer, options: McpServerOptions): void {
  const { pipeline } = options;
  const rule = namespaceRule(options);
  server.registerTool(
    'search',
    {
      description:
        'Find the stored JSON chunks that best match a query: by meaning and by exact words (ids such as cmp_1042, emails, error codes) at once unless a mode is given. Returns hits with document_id, chunk_id, path, text, metadata, similarity (1 = same meaning) and, in hybrid and keyword mode, the rank each search gave them.',
      inputSchema: {
        query: z.string().min(1).describe('what to look for, in words'),
        namespace: namespaceArgument,
        collection: collectionArgument,
        filters: z
          .record(z.string(), z.unknown())
          .optional()
          .describe(
            'filter over document_id, strategy, content_type, path, depth_level, hierarchy_level, is_leaf, contains_arrays, semantic_density, domain_tags, metadata ($eq $ne $in $nin $gt $gte $lt $lte $prefix $any $all $contains $and $or)',
          ),
        limit: z.number().int().min(1).max(100).optional().describe('most hits (default 10)'),
        mode: z
          .enum(SEARCH_MODES)
          .optional()
          .describe(
            'hybrid (default): meaning and exact words fused; vector: meaning only; keyword: the words only ("quoted phrase", -exclude, or)',
          ),
        exact: z
          .boolean()
          .optional()
          .describe('compare with every matching chunk instead of using the ANN index (default false)'),
      },
      annotations: { readOnlyHint: true },
    },
    (input) =>
      answer(async () => {
        const hits = await pipeline.searchSimilar(input.query, {
          namespace: rule.check(input.namespace),
          limit: input.limit ?? 10,
          exact: input.exact === true,
          ...(input.mode === undefined ? {} : { mode: input.mode }),
          ...(input.collection === undefined ? {} : { collectionName: input.collection }),
          ...(input.filters === undefined ? {} : { filters: input.filters as Filter }),
        });
        return hits.map((hit) => ({
          document_id: hit.document_id,
          chunk_id: hit.chunk_id,
          collection_name: hit.collection_name,
          path: hit.path,
          similarity: hit.similarity,
          ...(hit.vector_rank === undefined ? {} : { vector_rank: hit.vector_rank }),
          ...(hit.keyword_rank === undefined ? {} : { keyword_rank: hit.keyword_rank }),
          text: hit.text,
          metadata: hit.metadata,
        }));
      }),
  );
}

function registerReadTools(server: McpServer, options: McpServerOptions): void {
  const { pipeline } = options;
  const rule = namespaceRule(options);
  server.registerTool(
    'list_namespaces',
    {
      description: 'The namespaces this server may use, with their model and row counts.',
      annotations: { readOnlyHint: true },
    },
    () =>
      answer(async () =>
        (await pipeline.listNamespaces())
          .filter((entry) => rule.allowed(entry.namespace))
          .map(({ namespace, dimensions, provider, model, embedding_count }) => ({
            namespace,
            dimensions,
            provider,
            model,
            embedding_count,
          })),
      ),
  );
  server.registerTool(
    'list_collections',
    {
      description: 'The collections of a namespace, with chunk and document counts.',
      inputSchema: { namespace: namespaceArgument },
      annotations: { readOnlyHint: true },
    },
    (input) => answer(() => pipeline.listCollections({ namespace: rule.check(input.namespace) })),
  );
  server.registerTool(
    'get_document',
    {
      description: "A stored document's chunks (path, text, metadata), in order.",
      inputSchema: {
        document_id: z.string().min(1),
        namespace: namespaceArgument,
        collection: collectionArgument,
      },
      annotations: { readOnlyHint: true },
    },
    (input) =>
      answer(async () => {
        const rows = await pipeline.getDocument(input.document_id, {
          namespace: rule.check(input.namespace),
          ...(input.collection === undefined ? {} : { collectionName: input.collection }),
        });
        return rows.map(({ chunk_id, collection_name, path, text, metadata }) => ({
          chunk_id,
          collection_name,
          path,
          text,
          metadata,
        }));
      }),
  );
}

function registerWriteTool(server: McpServer, options: McpServerOptions): void {
  const rule = namespaceRule(options);
  server.registerTool(
    'ingest_document',
    {
      description:
        'Chunk, embed and store one JSON document (replacing an earlier version with the same id). Needs dje mcp --allow-writes.',
      inputSchema: {
        document: z.unknown().describe('the JSON document (an object or an array)'),
        document_id: z.string().min(1),
        collection: z.string().min(1),
        namespace: namespaceArgument,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    (input) =>
      answer(async () => {
        const namespace = rule.check(input.namespace);
        if (!options.allowWrites)
          throw createError({
            code: 'WRITES_DISABLED',
            message:
              'This MCP server is read-only: start it with dje mcp --allow-writes to let clients ingest documents.',
          });
        const result = await options.pipeline.processJsonData(input.document, {
          namespace,
          collectionName: input.collection,
          documentId: input.document_id,
        });
        const { results: _perDocument, timings: _timings, ...totals } = result;
        return totals;
      }),
  );
}

export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer({ name: 'dje', version: options.version });
  registerSearchTool(server, options);
  registerReadTools(server, options);
  registerWriteTool(server, options);
  return server;
}
