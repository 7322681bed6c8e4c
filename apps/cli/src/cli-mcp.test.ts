// `dje mcp` as an MCP client sees it: the SDK's Client talks to the built binary over real stdio,
// on the embedded database and on PostgreSQL over the wire.
import { startTestDatabase, type TestDatabase } from '@dynamic-embeddings/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  binPath,
  dje,
  embeddedDatabaseArgs,
  examplesDir,
  repoRoot,
  temporaryDirectory,
} from './testing/dje.js';

interface Hit {
  readonly document_id: string;
  readonly similarity: number;
}

interface Target {
  readonly name: string;
  /** Database arguments for dje, and a stopper. */
  start(): Promise<{ readonly args: string[]; close(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'the embedded database',
    async start() {
      const directory = temporaryDirectory('mcp');
      return { args: embeddedDatabaseArgs(directory.path), close: async () => directory.remove() };
    },
  },
  {
    name: 'PostgreSQL over the wire',
    async start() {
      const database: TestDatabase = await startTestDatabase();
      return { args: ['--database-url', database.url], close: () => database.close() };
    },
  },
];

/** An SDK client connected to `dje … mcp …` running as a child process. */
async function connectClient(args: readonly string[]): Promise<Client> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key] as string;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, ...args],
    cwd: repoRoot,
    env,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'dje-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

function textOf(result: unknown): string {
  const [first] = (result as CallToolResult).content;
  return first?.type === 'text' ? first.text : '';
}

describe.each(targets)('dje mcp on $name', (target) => {
  let database: { readonly args: string[]; close(): Promise<void> };
  const clients: Client[] = [];
  const open = async (...args: string[]) => {
    const client = await connectClient([...database.args, ...args]);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    database = await target.start();
    const ingest = await dje([...database.args, 'ingest', examplesDir, '--collection', 'demo']);
    expect(ingest.code, ingest.stderr).toBe(0);
  });

  // The embedded database takes one process at a time: each test's server exits before the next.
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('lists its tools and answers a search with the expected document', async () => {
    const client = await open('mcp');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'get_document',
      'ingest_document',
      'list_collections',
      'list_namespaces',
      'search',
    ]);
    const result = await client.callTool({
      name: 'search',
      arguments: { query: 'mobile banners with high CTR in Norway', collection: 'demo', limit: 3 },
    });
    expect(result.isError).not.toBe(true);
    const hits = JSON.parse(textOf(result)) as Hit[];
    expect(hits).toHaveLength(3);
    expect(hits[0]?.document_id).toBe('campaigns');
    // mode keyword: only chunks with the words, each with its keyword rank.
    const keyword = await client.callTool({
      name: 'search',
      arguments: { query: 'Norway', mode: 'keyword', limit: 20 },
    });
    expect(keyword.isError, textOf(keyword)).not.toBe(true);
    const keywordHits = JSON.parse(textOf(keyword)) as (Hit & { keyword_rank: number; text: string })[];
    expect(keywordHits.length).toBeGreaterThan(0);
    keywordHits.forEach((hit, index) => {
      expect(hit.keyword_rank).toBe(index + 1);
      expect(hit.text).toContain('Norway');
    });
    const badMode = await client.callTool({ name: 'search', arguments: { query: 'x', mode: 'fuzzy' } });
    expect(badMode.isError).toBe(true);

    const collections = JSON.parse(
      textOf(await client.callTool({ name: 'list_collections', arguments: {} })),
    );
    expect(collections).toEqual([expect.objectContaining({ collection_name: 'demo', document_count: 5 })]);
    const chunks = JSON.parse(
      textOf(await client.callTool({ name: 'get_document', arguments: { document_id: 'campaigns' } })),
    ) as { readonly text: string }[];
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.map((chunk) => chunk.text).join('\n')).toContain('Norway');
  });

  it('refuses the write tool without --allow-writes, and writes nothing', async () => {
    const client = await open('mcp');
    const result = await client.callTool({
      name: 'ingest_document',
      arguments: { document: { name: 'Winter sale' }, document_id: 'winter', collection: 'demo' },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^error \[WRITES_DISABLED\]: .*--allow-writes/);
    const chunks = await client.callTool({ name: 'get_document', arguments: { document_id: 'winter' } });
    expect(JSON.parse(textOf(chunks))).toEqual([]);
  });

  it('ingests with --allow-writes and keeps to --namespaces', async () => {
    const client = await open('mcp', '--allow-writes', '--namespaces', 'default');
    const ingest = await client.callTool({
      name: 'ingest_document',
      arguments: {
        document: { name: 'Winter sale', region: 'Iceland' },
        document_id: 'winter',
        collection: 'extra',
      },
    });
    expect(ingest.isError, textOf(ingest)).not.toBe(true);
    expect(JSON.parse(textOf(ingest))).toMatchObject({ namespace: 'default', documents: 1 });
    const hits = JSON.parse(
      textOf(
        await client.callTool({
          name: 'search',
          arguments: { query: 'Winter sale Iceland', collection: 'extra' },
        }),
      ),
    ) as Hit[];
    expect(hits[0]?.document_id).toBe('winter');

    const elsewhere = await client.callTool({ name: 'list_collections', arguments: { namespace: 'other' } });
    expect(elsewhere.isError).toBe(true);
    expect(textOf(elsewhere)).toMatch(/^error \[NAMESPACE_NOT_ALLOWED\]/);
    const listed = JSON.parse(textOf(await client.callTool({ name: 'list_namespaces', arguments: {} })));
    expect(listed.map((entry: { namespace: string }) => entry.namespace)).toEqual(['default']);
  });
});
