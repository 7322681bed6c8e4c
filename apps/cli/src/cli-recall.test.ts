// `dje search --explain`, `dje namespace recall`, `--recall-target` and `dje namespace reindex` on an
// embedded database: what they print, what --json carries, and their refusals.
import { afterAll, describe, expect, it } from 'vitest';
import {
  dje,
  embeddedDatabaseArgs,
  errorCodeOf,
  examplesDir,
  jsonOf,
  temporaryDirectory,
} from './testing/dje.js';

describe('dje search plans and recall (pglite://)', () => {
  const directory = temporaryDirectory('recall');
  const database = embeddedDatabaseArgs(directory.path);
  afterAll(() => directory.remove());

  it('creates a namespace with a recall target and shows it in its stats', async () => {
    const created = await dje([
      ...database,
      '-n',
      'strict',
      'namespace',
      'create',
      'strict',
      '--recall-target',
      '0.99',
      '--json',
    ]);
    expect(created.code).toBe(0);
    expect(jsonOf<{ namespace: { recall_target: number } }>(created).namespace.recall_target).toBe(0.99);
    const ingest = await dje([...database, '-n', 'strict', 'ingest', examplesDir, '--collection', 'demo']);
    expect(ingest.code).toBe(0);
    const stats = await dje([...database, 'namespace', 'stats', 'strict']);
    expect(stats.stdout).toMatch(/recall target\s+0\.99 \(not calibrated yet\)/);
  });

  it('explains a search: the plan in words, and { results, plan } with --json', async () => {
    const text = await dje([
      ...database,
      '-n',
      'strict',
      'search',
      'battery level',
      '--explain',
      '--limit',
      '2',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'plan: exact (every matching row compared), because the namespace has no ANN index yet',
    );
    const json = await dje([
      ...database,
      '-n',
      'strict',
      'search',
      'battery level',
      '--explain',
      '--filter',
      'strategy=semantic',
      '--json',
    ]);
    const value = jsonOf<{ results: { strategy: string }[]; plan: Record<string, unknown> }>(json);
    // Hybrid by default: the vector leg's plan beside the keyword leg's.
    expect(value.plan).toMatchObject({
      mode: 'hybrid',
      vector: { strategy: 'exact', reason: 'no_index' },
      keyword: { text_search_config: 'simple' },
    });
    expect(value.results.every((hit) => hit.strategy === 'semantic')).toBe(true);
    // Without --explain the JSON stays the list of hits.
    const plain = await dje([...database, '-n', 'strict', 'search', 'battery level', '--json']);
    expect(Array.isArray(jsonOf(plain))).toBe(true);
  });

  it('measures recall and says whether it meets the target', async () => {
    const text = await dje([...database, 'namespace', 'recall', 'strict', '--sample', '5']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/recall@10\s+1\.000 \(meets the target 0\.99\)/);
    expect(text.stdout).toMatch(/searches\s+0 through the index, 5 exact/);
    const json = await dje([
      ...database,
      'namespace',
      'recall',
      'strict',
      '--sample',
      '3',
      '--filter',
      'is_leaf=true',
      '--json',
    ]);
    expect(jsonOf(json)).toMatchObject({ namespace: 'strict', recall: 1, queries: 3, meets_target: true });
    const target = await dje([
      ...database,
      'namespace',
      'recall',
      'strict',
      '--sample',
      '3',
      '--target',
      '0.9',
      '--json',
    ]);
    expect(jsonOf(target)).toMatchObject({ recall_target: 0.9 });
  });

  it('refuses a bad target or sample, and calibrating without an index, with stable codes', async () => {
    const zero = await dje([...database, 'namespace', 'recall', 'strict', '--target', '0']);
    expect(zero.code).not.toBe(0);
    expect(errorCodeOf(zero)).toBe('INVALID_RECALL_TARGET');
    const sample = await dje([...database, 'namespace', 'recall', 'strict', '--sample', '0']);
    expect(errorCodeOf(sample)).toBe('INVALID_ARGUMENT');
    const calibrate = await dje([...database, 'namespace', 'recall', 'strict', '--calibrate']);
    expect(errorCodeOf(calibrate)).toBe('NO_VECTOR_INDEX');
    const stats = await dje([...database, 'namespace', 'stats', 'strict', '--json']);
    expect(jsonOf(stats)).toMatchObject({ recall_target: 0.9 });
  });

  it('reindexes: nothing to build on a current table, NAMESPACE_NOT_FOUND for a missing one', async () => {
    const current = await dje([...database, 'namespace', 'reindex', 'strict']);
    expect(current.stdout).toContain('already has every filter index; nothing changed');
    const missing = await dje([...database, 'namespace', 'reindex', 'nowhere']);
    expect(errorCodeOf(missing)).toBe('NAMESPACE_NOT_FOUND');
  });
});
