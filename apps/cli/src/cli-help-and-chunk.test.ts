// --help that explains with examples, --version, and `dje chunk` (no database, no provider).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dje, examplesDir, jsonOf, temporaryDirectory } from './testing/dje.js';

const commands = [
  ['ingest'],
  ['search'],
  ['namespace'],
  ['namespace', 'create'],
  ['namespace', 'drop'],
  ['collection'],
  ['document'],
  ['chunk'],
  ['migrate'],
  ['migrate', 'move'],
  ['serve'],
];

describe.concurrent('dje help and preview', () => {
  const directory = temporaryDirectory('chunk');
  afterAll(() => directory.remove());

  it('the root help lists every command, the environment and the exit codes', async () => {
    const [help, version] = await Promise.all([dje(['--help']), dje(['--version'])]);
    expect(help.code).toBe(0);
    for (const name of [
      'ingest',
      'search',
      'namespace',
      'collection',
      'document',
      'chunk',
      'migrate',
      'serve',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    for (const option of [
      '--database-url',
      '--provider',
      '--model',
      '--dimensions',
      '--namespace',
      '--json',
      '--verbose',
      '--quiet',
    ]) {
      expect(help.stdout).toContain(option);
    }
    expect(help.stdout).toMatch(/DATABASE_URL/);
    expect(help.stdout).toMatch(/Exit codes:/);
    expect(help.stdout).toMatch(/9 database locked/);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('every command explains itself with examples', async () => {
    const results = await Promise.all(commands.map((command) => dje([...command, '--help'])));
    results.forEach((result, index) => {
      const name = commands[index]!.join(' ');
      expect(result.code, name).toBe(0);
      expect(result.stdout, name).toMatch(new RegExp(`^Usage: dje ${name}`));
      expect(result.stdout, name).toMatch(/\nExamples:\n {2}\$ dje /);
    });
  });

  it('previews chunks as JSON and as text, without creating a database', async () => {
    const file = path.join(examplesDir, 'campaigns.json');
    const [json, text, flat] = await Promise.all([
      dje(['chunk', file, '--json'], { cwd: directory.path }),
      dje(['chunk', file], { cwd: directory.path }),
      dje(['chunk', file, '--strategy', 'flat', '--json'], { cwd: directory.path }),
    ]);
    expect(json.code).toBe(0);
    const result = jsonOf<{
      document_id: string;
      strategy: string;
      confidence: number;
      chunks: Array<{ chunk_id: string; document_id: string; text: string; token_count: number }>;
    }>(json);
    expect(result.document_id).toBe('campaigns');
    expect(result.chunks.length).toBeGreaterThan(1);
    expect(result.chunks.every((chunk) => chunk.document_id === 'campaigns' && chunk.text.length > 0)).toBe(
      true,
    );
    // The campaign's description is in the text that would be embedded.
    expect(result.chunks.some((chunk) => chunk.text.includes('young professionals in Norway'))).toBe(true);

    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`campaigns\\.json: ${result.chunks.length} chunks, `));
    expect(text.stdout).toMatch(/\n\[1\] \S+/);
    expect(text.stdout).toContain(result.chunks[0]!.chunk_id);

    expect(jsonOf<{ strategy: string; confidence: number }>(flat)).toMatchObject({
      strategy: 'flat',
      confidence: 1,
    });
    expect(existsSync(path.join(directory.path, '.dje'))).toBe(false);
  });
});
