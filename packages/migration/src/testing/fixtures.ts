// Test helpers (excluded from the build): seeded namespaces with realistic rows, catalog snapshots
// for "nothing changed" assertions, and full table reads for "nothing lost" assertions.
import { createHash } from 'node:crypto';
import {
  backupsTable,
  type CreateNamespaceOptions,
  createNamespace,
  type Database,
  ident,
  namespacesTable,
  namespaceTable,
  queryRows,
} from '@dynamic-embeddings/db';
import { createSeededRandom } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { countRows as countTableRows } from '../count-rows.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface SeedRow {
  readonly chunk_id: string;
  readonly document_id: string;
  readonly collection_name: string;
  readonly text: string;
  readonly embedding: number[];
  readonly strategy: string;
  readonly content_type: string;
  readonly path: string;
  readonly depth_level: number;
  readonly domain_tags: string[];
  readonly metadata: Record<string, unknown>;
}

export function makeRows(options: {
  readonly count: number;
  readonly dimensions: number;
  readonly seed: number;
}): SeedRow[] {
  const random = createSeededRandom(options.seed).next;
  return Array.from({ length: options.count }, (_, index) => ({
    chunk_id: `doc${index % 37}:chunk:${index}`,
    document_id: `doc${index % 37}`,
    collection_name: index % 3 === 0 ? 'campaigns' : 'products',
    // Non-ASCII text so byte/character handling is exercised by the checksum and text_hash.
    text: `Row ${index} — kampanje på norsk, ${random().toString(36).slice(2)} ✓`,
    embedding: Array.from({ length: options.dimensions }, () => Math.fround(random() * 2 - 1)),
    strategy: index % 2 === 0 ? 'semantic' : 'flat',
    content_type: 'object',
    path: `$.items[${index}]`,
    depth_level: index % 4,
    domain_tags: ['marketing', `tag${index % 5}`],
    metadata: { index, nested: { even: index % 2 === 0 } },
  }));
}

/** Creates a namespace and inserts `rows` seeded rows straight into its table. */
export async function seedNamespace(
  db: Database,
  options: Partial<CreateNamespaceOptions> & {
    readonly namespace: string;
    readonly dimensions: number;
    readonly rows: number;
    readonly seed?: number;
  },
): Promise<SeedRow[]> {
  const { namespace: record } = await createNamespace(db, {
    provider: 'local',
    model: 'feature-hash-v1',
    indexThreshold: 10_000,
    ...options,
  });
  const rows = makeRows({ count: options.rows, dimensions: options.dimensions, seed: options.seed ?? 1 });
  const table = namespaceTable(options.namespace, record);
  for (let start = 0; start < rows.length; start += 500) {
    await db.orm
      .insert(table)
      .values(rows.slice(start, start + 500).map((row) => ({ ...row, text_hash: sha256Hex(row.text) })));
  }
  return rows;
}

/** Row count through the package's own helper, for a Database handle. */
export function countRows(db: Database, tableName: string): Promise<number> {
  return countTableRows(db.orm, tableName);
}

/** Every column of every row, vectors as text, ordered by chunk_id: equal exactly when the data is. */
export async function readTable(db: Database, tableName: string): Promise<Record<string, unknown>[]> {
  return queryRows(
    db.orm,
    sql`SELECT id, chunk_id, document_id, collection_name, text, text_hash, embedding::text AS embedding,
               strategy, content_type, path, parent_chunk_id, depth_level, hierarchy_level,
               semantic_density, confidence, chunk_size, token_count, key_count, contains_arrays, is_leaf,
               domain_tags::text AS domain_tags, original_keys::text AS original_keys, metadata::text AS metadata,
               created_at::text AS created_at, updated_at::text AS updated_at
        FROM ${ident(tableName)} ORDER BY chunk_id`,
  );
}

/** Relations of the current schema, registry rows and row counts: equal when nothing changed. */
export async function catalogSnapshot(db: Database): Promise<unknown> {
  const relations = await queryRows<{ name: string; kind: string }>(
    db.orm,
    sql`SELECT relname AS name, relkind::text AS kind FROM pg_class
        WHERE relnamespace = current_schema()::regnamespace ORDER BY relname`,
  );
  const counts: Record<string, number> = {};
  for (const relation of relations) {
    if (relation.kind === 'r') counts[relation.name] = await countRows(db, relation.name);
  }
  return {
    relations,
    counts,
    namespaces: await db.orm.select().from(namespacesTable).orderBy(namespacesTable.namespace),
    backups: await db.orm.select().from(backupsTable).orderBy(backupsTable.table_name),
  };
}

/** Index names and definitions of a table. */
export async function indexesOf(
  db: Database,
  tableName: string,
): Promise<{ name: string; definition: string }[]> {
  return queryRows(
    db.orm,
    sql`SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = ${tableName} ORDER BY indexname`,
  );
}
