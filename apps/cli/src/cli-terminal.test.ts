// Behaviour on a real terminal: `script` (util-linux) gives dje a pseudo-terminal, so stdin and
// stdout are TTYs exactly as in an interactive shell. Skipped where `script` is not installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binPath,
  type DjeResult,
  dje,
  embeddedDatabaseArgs,
  examplesDir,
  jsonOf,
  repoRoot,
  temporaryDirectory,
} from './testing/dje.js';

const scriptPath = ['/usr/bin/script', '/bin/script'].find((candidate) => existsSync(candidate));

function shellQuote(argument: string): string {
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** Runs dje on a pseudo-terminal; stdout and stderr arrive merged, as on a screen. */
function djeOnTerminal(args: readonly string[], input = ''): Promise<DjeResult> {
  const command = [process.execPath, binPath, ...args].map(shellQuote).join(' ');
  const child = spawn(scriptPath!, ['-qec', command, '/dev/null'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', LANG: 'C.UTF-8' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr: '' }));
  });
}

describe.skipIf(scriptPath === undefined)('dje on a terminal', () => {
  const directory = temporaryDirectory('terminal');
  const database = embeddedDatabaseArgs(directory.path);
  let chunks = 0;
  beforeAll(async () => {
    const ingest = await dje([...database, 'ingest', examplesDir, '--collection', 'demo', '--json']);
    chunks = jsonOf<{ chunks: number }>(ingest).chunks;
  });
  afterAll(() => directory.remove());

  it('asks before emptying a collection; anything but "yes" keeps the data', async () => {
    const declined = await djeOnTerminal([...database, 'collection', 'empty', 'demo'], 'no\n');
    expect(declined.stdout).toMatch(
      /Delete all \d+ embeddings \(5 documents\) of collection "demo".*Type "yes" to continue/,
    );
    expect(declined.stdout).toMatch(/error \[CONFIRMATION_DECLINED\]: Not confirmed\. Nothing was changed\./);
    expect(declined.code).toBe(8);
    const kept = jsonOf<{ total_embeddings: number }>(
      await dje([...database, 'collection', 'stats', 'demo', '--json']),
    );
    expect(kept.total_embeddings).toBe(chunks);

    const confirmed = await djeOnTerminal([...database, 'collection', 'empty', 'demo'], 'yes\n');
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(new RegExp(`Deleted ${chunks} embeddings from collection demo`));
  });

  it('shows a progress bar with rate and ETA, and tables with a rule and colours', async () => {
    const ingest = await djeOnTerminal([...database, 'ingest', examplesDir, '--collection', 'again']);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/ingest .*\d+% \| \d\/5 files \| [\d.]+ files\/s \| ETA/);
    // …and the running figures: documents, chunks, provider requests in flight, tokens/s.
    expect(ingest.stdout).toMatch(
      /ETA .* \| \d+ documents?, [\d,]+ chunks?, \d+ requests? in flight, [\d,]+ tokens\/s/,
    );
    const list = await djeOnTerminal([...database, 'collection', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('\u001b[1m');
    expect(list.stdout).toMatch(/─{10}/);
  });
});
