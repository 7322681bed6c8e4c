// Bad input gets one clear `error [CODE]: message` line on stderr, a documented exit code, nothing
// on stdout, and nothing written. Each test has its own data dir, so they run concurrently.
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dje,
  embeddedDatabaseArgs,
  errorCodeOf,
  examplesDir,
  jsonOf,
  temporaryDirectory,
} from './testing/dje.js';

const directories: Array<{ remove(): void }> = [];
function scratch(prefix: string) {
  const directory = temporaryDirectory(prefix);
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) directory.remove();
});

describe.concurrent('dje rejects bad input clearly', () => {
  it('a missing file: not found (exit 3), and no database is even created', async () => {
    const directory = scratch('missing');
    // Not a copy of the template: this database must not come into existence at all.
    const result = await dje([
      '--database-url',
      `pglite://${path.join(directory.path, 'db')}`,
      'ingest',
      path.join(directory.path, 'nope.json'),
      '--collection',
      'c',
    ]);
    expect(result.code).toBe(3);
    expect(errorCodeOf(result)).toBe('FILE_NOT_FOUND');
    expect(result.stderr).toMatch(/nope\.json/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(existsSync(path.join(directory.path, 'db'))).toBe(false);

    const chunk = await dje(['chunk', path.join(directory.path, 'nope.json')]);
    expect(chunk.code).toBe(3);
    expect(errorCodeOf(chunk)).toBe('FILE_NOT_FOUND');
    expect(chunk.stderr).not.toMatch(/\n\s+at /);
    // --verbose adds the stack trace after the same first line.
    const verbose = await dje(['chunk', path.join(directory.path, 'nope.json'), '--verbose']);
    expect(verbose.code).toBe(3);
    expect(verbose.stderr.split('\n')[0]).toBe(chunk.stderr.trim());
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('invalid JSON: validation error (exit 4) naming line and column; nothing is stored', async () => {
    const directory = scratch('invalid-json');
    const file = path.join(directory.path, 'broken.json');
    writeFileSync(file, '{\n  "name": "ok",\n  "price": ,\n}\n');
    const database = embeddedDatabaseArgs(directory.path);
    const result = await dje([...database, 'ingest', file, '--collection', 'c']);
    expect(result.code).toBe(4);
    expect(errorCodeOf(result)).toBe('INVALID_JSON');
    expect(result.stderr).toMatch(/broken\.json/);
    expect(result.stderr).toMatch(/line 3/i);
    expect(result.stderr).toMatch(/column \d+/i);
    expect(result.stdout).toBe('');

    const namespaces = await dje([...database, 'namespace', 'list', '--json']);
    expect(namespaces.code).toBe(0);
    expect(jsonOf(namespaces)).toEqual([]);

    // The same error, without a database, from the preview command.
    const chunk = await dje(['chunk', file, '--json']);
    expect(chunk.code).toBe(4);
    expect(errorCodeOf(chunk)).toBe('INVALID_JSON');
    expect(chunk.stderr).toMatch(/line 3/i);
  });

  it('a folder stops at the first bad file, keeps the good ones before it, and says so', async () => {
    const directory = scratch('folder');
    const input = path.join(directory.path, 'input');
    const database = embeddedDatabaseArgs(directory.path);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(input);
    writeFileSync(
      path.join(input, 'a.json'),
      JSON.stringify({ title: 'first', body: 'a complete document' }),
    );
    writeFileSync(path.join(input, 'b.json'), '{"title": "second", "body": ');
    writeFileSync(path.join(input, 'c.json'), JSON.stringify({ title: 'third', body: 'never reached' }));
    writeFileSync(path.join(input, 'notes.txt'), 'ignored: not JSON');
    const result = await dje([...database, 'ingest', input, '--collection', 'c']);
    expect(result.code).toBe(4);
    expect(errorCodeOf(result)).toBe('INVALID_JSON');
    expect(result.stderr).toMatch(/b\.json/);
    expect(result.stderr).toMatch(/1 earlier file\(s\) were stored completely/);

    const documents = await dje([...database, 'collection', 'stats', 'c', '--json']);
    expect(jsonOf(documents)).toMatchObject({ document_count: 1 });
    expect((await dje([...database, 'document', 'get', 'a', '--json'])).code).toBe(0);
    expect((await dje([...database, 'document', 'get', 'c'])).code).toBe(3);
  });

  it('usage errors exit 2 with a stable code: unknown strategy, option, command, missing option, bad numbers', async () => {
    const campaigns = path.join(examplesDir, 'campaigns.json');
    const [strategy, option, command, missing, limit, databaseUrl, noCommand, noReplace] = await Promise.all([
      dje(['chunk', campaigns, '--strategy', 'clever']),
      dje(['namespace', 'list', '--colour']),
      dje(['serch', 'x']),
      dje(['ingest', campaigns]),
      dje(['search', 'x', '--limit', 'lots']),
      dje(['--database-url', 'mysql://x', 'namespace', 'list']),
      dje(['namespace']),
      dje(['ingest', '-', '--collection', 'c', '--no-replace']),
    ]);
    expect(strategy.code).toBe(2);
    expect(errorCodeOf(strategy)).toBe('INVALID_ARGUMENT');
    expect(strategy.stderr).toMatch(/clever/);
    expect(strategy.stderr).toMatch(/auto, flat, hierarchical, semantic, dimensional, hybrid/);

    expect(option.code).toBe(2);
    expect(errorCodeOf(option)).toBe('UNKNOWN_OPTION');

    expect(command.code).toBe(2);
    expect(errorCodeOf(command)).toBe('UNKNOWN_COMMAND');
    expect(command.stderr).toMatch(/Did you mean search\?/);

    expect(missing.code).toBe(2);
    expect(errorCodeOf(missing)).toBe('MISSING_MANDATORY_OPTION_VALUE');
    expect(missing.stderr).toMatch(/--collection/);

    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit.*whole number/);

    expect(databaseUrl.code).toBe(2);
    expect(errorCodeOf(databaseUrl)).toBe('INVALID_DATABASE_URL');

    // A command group without a subcommand prints its help on stderr.
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toMatch(/Usage: dje namespace/);
    // --no-replace only makes sense for single documents, and is refused before anything opens.
    expect(noReplace.code).toBe(2);
    expect(errorCodeOf(noReplace)).toBe('NO_REPLACE_WITH_STREAM');
    for (const result of [strategy, option, command, missing, limit, databaseUrl, noCommand, noReplace]) {
      expect(result.stdout).toBe('');
    }
  });

  it('unknown chunking config names and invalid config files are clear errors', async () => {
    const directory = scratch('config');
    const campaigns = path.join(examplesDir, 'campaigns.json');
    const badConfig = path.join(directory.path, 'bad-config.json');
    writeFileSync(badConfig, JSON.stringify({ extends: 'default', thresholds: 'high' }));
    const [unknownName, invalidFile, missingFile] = await Promise.all([
      dje(['chunk', campaigns, '--config', 'fancy']),
      dje(['chunk', campaigns, '--config', badConfig]),
      dje(['chunk', campaigns, '--config', path.join(directory.path, 'none.json')]),
    ]);
    expect(errorCodeOf(unknownName)).toBe('UNKNOWN_CONFIG');
    expect(unknownName.stderr).toMatch(/fancy/);
    expect(errorCodeOf(invalidFile)).toBe('INVALID_CONFIG');
    expect(invalidFile.stderr).toMatch(/bad-config\.json/);
    expect(invalidFile.code).toBe(4);
    expect(missingFile.code).toBe(3);
    expect(errorCodeOf(missingFile)).toBe('FILE_NOT_FOUND');
  });

  it('an invalid namespace name from -n or DJE_NAMESPACE is a validation error (exit 4)', async () => {
    const [fromOption, fromEnv] = await Promise.all([
      dje([
        ...embeddedDatabaseArgs(scratch('namespace-option').path),
        '-n',
        'Prod-1',
        'ingest',
        path.join(examplesDir, 'products.json'),
        '--collection',
        'c',
      ]),
      dje([...embeddedDatabaseArgs(scratch('namespace-env').path), 'collection', 'list'], {
        env: { DJE_NAMESPACE: 'drop table' },
      }),
    ]);
    expect(fromOption.code).toBe(4);
    expect(errorCodeOf(fromOption)).toBe('INVALID_NAMESPACE_NAME');
    expect(fromOption.stderr).toMatch(/Prod-1/);
    expect(fromEnv.code).toBe(4);
    expect(errorCodeOf(fromEnv)).toBe('INVALID_NAMESPACE_NAME');
    expect(fromEnv.stderr).toMatch(/drop table/);
  });

  it('DJE_INDEX_BUILD_MEMORY_MB must be whole megabytes: a usage error (exit 2) before the database opens', async () => {
    // An unreachable server: connecting first would fail with DATABASE_UNAVAILABLE (exit 6) instead.
    const result = await dje(['--database-url', 'postgres://user@127.0.0.1:1/none', 'namespace', 'list'], {
      env: { DJE_INDEX_BUILD_MEMORY_MB: '1GB' },
    });
    expect(result.code).toBe(2);
    expect(errorCodeOf(result)).toBe('INVALID_ENVIRONMENT');
    expect(result.stderr).toMatch(/DJE_INDEX_BUILD_MEMORY_MB.*"1GB"/);
  });

  it('rate caps: --rpm 0 and a bad DJE_TOKENS_PER_MINUTE are usage errors (exit 2) naming the value', async () => {
    const unreachable = ['--database-url', 'postgres://user@127.0.0.1:1/none'];
    const [option, fromEnv] = await Promise.all([
      dje([...unreachable, '--rpm', '0', 'namespace', 'list']),
      dje([...unreachable, 'namespace', 'list'], { env: { DJE_TOKENS_PER_MINUTE: '1M' } }),
    ]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--rpm/);
    expect(fromEnv.code).toBe(2);
    expect(errorCodeOf(fromEnv)).toBe('INVALID_ENVIRONMENT');
    expect(fromEnv.stderr).toMatch(/DJE_TOKENS_PER_MINUTE.*"1M"/);
  });

  it('provider errors: a missing OpenAI key is a usage error, a rejected key is a provider error (exit 5)', async () => {
    const directory = scratch('provider');
    const database = embeddedDatabaseArgs(directory.path);
    const products = path.join(examplesDir, 'products.json');
    const missingKey = await dje([
      ...database,
      '--provider',
      'openai',
      'ingest',
      products,
      '--collection',
      'c',
    ]);
    expect(missingKey.code).toBe(2);
    expect(errorCodeOf(missingKey)).toBe('OPENAI_API_KEY_MISSING');
    expect(missingKey.stderr).toMatch(/OPENAI_API_KEY/);

    // An OpenAI-compatible server that rejects every key.
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const rejected = await dje(
        [...database, '--provider', 'openai', 'ingest', products, '--collection', 'c'],
        { env: { OPENAI_API_KEY: 'sk-wrong', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` } },
      );
      expect(rejected.code).toBe(5);
      expect(errorCodeOf(rejected)).toBe('PROVIDER_AUTH_FAILED');
      expect(rejected.stderr).not.toMatch(/sk-wrong/);
    } finally {
      server.close();
    }
    // Nothing was stored for the refused document.
    const namespaces = jsonOf<Array<{ embedding_count: number }>>(
      await dje([...database, 'namespace', 'list', '--json']),
    );
    expect(namespaces.every((entry) => entry.embedding_count === 0)).toBe(true);
  });
});
