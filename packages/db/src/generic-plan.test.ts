// Search statements are prepared, and after five runs PostgreSQL may plan one generically, costed
// without the filter's values. A filtered search the planner sent to the ANN index must still run
// through the index then, not as the GIN bitmap scan and sort a generic plan prefers (an exact
// scan of every matching row while the plan says "index").
import { databaseTargets } from '@dynamic-embeddings/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCitus } from './citus-placement.js';
import { type Database, queryRow, queryRows } from './database.js';
import { vectorLiteral } from './embedding-vector.js';
import { openNamespace } from './namespace-handle.js';
import { indexNamesFor } from './table-names.js';
import { connectTarget, seedIndexedNamespace, testVector } from './testing/records.js';

const DIMENSIONS = 16;
const identity = { provider: 'test', model: 'generic-plan-model', dimensions: DIMENSIONS } as const;

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** A query vector PGlite in process was sent in binary (binary-vector.ts), as pgvector text. */
function binaryAsText(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return vectorLiteral(
    Array.from({ length: view.getInt16(0) }, (_, index) => view.getFloat32(4 + 4 * index)),
  );
}

/**
 * The generic plan of `statement` (text and parameters as the library sent them) with `settings`
 * in force: prepared and explained in a transaction with plan_cache_mode = force_generic_plan, the
 * parameters written into EXECUTE as quoted literals by PostgreSQL itself.
 */
async function genericPlan(
  db: Database,
  statement: { readonly text: string; readonly params: readonly unknown[] },
  settings: Readonly<Record<string, string>>,
): Promise<PlanNode[]> {
  return db.orm.transaction(async (tx) => {
    for (const [name, value] of Object.entries(settings)) {
      await tx.execute(sql`SELECT set_config(${name}, ${value}, true)`);
    }
    await tx.execute(sql`SET LOCAL plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`PREPARE dje_generic_probe AS ${statement.text}`));
    const literals = statement.params.map((param) =>
      typeof param === 'string'
        ? param
        : param instanceof Uint8Array
          ? binaryAsText(param)
          : JSON.stringify(param),
    );
    const explain = await queryRow<{ text: string }>(
      tx,
      sql`SELECT format('EXPLAIN (FORMAT JSON) EXECUTE dje_generic_probe(%s)',
                        string_agg(quote_literal(param), ', ' ORDER BY position)) AS text
          FROM jsonb_array_elements_text(${JSON.stringify(literals)}::jsonb) WITH ORDINALITY AS p(param, position)`,
    );
    const rows = await queryRows<Record<string, unknown>>(tx, sql.raw(explain?.text ?? ''));
    await tx.execute(sql`DEALLOCATE dje_generic_probe`);
    const raw = Object.values(rows[0] ?? {})[0];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
    return nodesOf(parsed[0].Plan);
  });
}

describe.each(databaseTargets)('filtered index searches under a generic plan on $name', (target) => {
  let db: Database;
  let close: () => Promise<void>;
  const log: { text: string; params: readonly unknown[] }[] = [];

  beforeAll(async () => {
    ({ db, close } = await connectTarget(target, { onQuery: (text, params) => log.push({ text, params }) }));
    // 30% of rows are tier "top": a filter far above the cutoff below.
    await seedIndexedNamespace(db, {
      namespace: 'generic',
      identity,
      count: 400,
      metadata: (index) => ({ tier: index % 10 < 3 ? 'top' : 'rest' }),
    });
  });
  afterAll(async () => {
    await close?.();
  });

  it('keeps the ANN index scan the planner chose (no bitmap scan, no sort)', async (context) => {
    if (isCitus(db)) context.skip(); // the coordinator's generic plan is a distributed one, shards plan alone
    const handle = await openNamespace(db, 'generic');
    log.length = 0;
    const { plan } = await handle.searchWithPlan({
      vector: testVector(9_001, DIMENSIONS),
      filters: { metadata: { $contains: { tier: 'top' } } },
      limit: 10,
      exactCutoff: 20,
    });
    expect(plan.strategy).toBe('index');
    expect(plan.settings).toMatchObject({ enable_sort: 'off' });
    const statement = log.findLast(
      (entry) => entry.text.includes('<=>') && /limit \d+$/i.test(entry.text.trim()),
    );
    expect(statement).toBeDefined();
    const tableName = handle.record.table_name;
    const vectorIndex = indexNamesFor(tableName).vector;
    const withSettings = await genericPlan(db, statement!, plan.settings);
    expect(withSettings.some((node) => node['Index Name'] === vectorIndex)).toBe(true);
    expect(withSettings.map((node) => node['Node Type'])).not.toContain('Sort');
    expect(withSettings.map((node) => node['Node Type'])).not.toContain('Bitmap Heap Scan');
    // The same statement and pgvector's settings alone: the generic plan reads the filter's
    // rows through the GIN index and sorts them, which is what the setting rules out.
    const { enable_sort: _dropped, ...pgvectorOnly } = plan.settings;
    const without = await genericPlan(db, statement!, pgvectorOnly);
    expect(without.map((node) => node['Node Type'])).toContain('Sort');
  });

  it('runs an exact search as a top k of ids and distances, records joined after, never the ANN index', async (context) => {
    if (isCitus(db)) context.skip();
    const handle = await openNamespace(db, 'generic');
    const search = () =>
      handle.searchWithPlan({
        vector: testVector(9_003, DIMENSIONS),
        filters: { metadata: { $contains: { tier: 'top' } } },
        limit: 10,
        exactCutoff: 1000,
      });
    await search(); // counts the 120 matching rows; the next search sends the exact query alone
    log.length = 0;
    const { plan, results } = await search();
    expect(plan).toMatchObject({ strategy: 'exact', matching_rows: 120 });
    expect(results).toHaveLength(10);
    const statement = log.find((entry) => entry.text.includes('<=>'));
    expect(statement?.text).toMatch(/offset 0/i);
    const nodes = await genericPlan(db, statement!, {});
    const types = nodes.map((node) => node['Node Type']);
    // The sort feeds a join that fetches the ten records: it never carries whole records.
    expect(types.some((type) => /Nested Loop|Hash Join|Merge Join/.test(type))).toBe(true);
    expect(types.indexOf('Sort')).toBeGreaterThan(types.findIndex((type) => /Loop|Join/.test(type)));
    expect(nodes.some((node) => node['Index Name'] === indexNamesFor(handle.record.table_name).vector)).toBe(
      false,
    );
  });

  it('sends no such setting with an unfiltered search (its generic plan is the index scan anyway)', async () => {
    const handle = await openNamespace(db, 'generic');
    const { plan } = await handle.searchWithPlan({ vector: testVector(9_002, DIMENSIONS), limit: 5 });
    expect(plan.strategy).toBe('index');
    expect(plan.settings).not.toHaveProperty('enable_sort');
  });
});
