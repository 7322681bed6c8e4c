// runCli in-process: only a one-shot command asks the process to tune itself for a short run, so
// a caller that embeds the CLI (or a long command) never has V8 flags changed under it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { readEnv } from './env.js';
import { runCli } from './run-cli.js';
import { examplesDir } from './testing/dje.js';

async function run(argv: readonly string[]): Promise<{ code: number; stdout: string; tuned: number }> {
  let stdout = '';
  let tuned = 0;
  const io: CliIo = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
      },
    },
    stderr: { write: () => true },
    stdin: process.stdin,
  };
  const code = await runCli({
    argv,
    io,
    env: readEnv({}),
    signal: new AbortController().signal,
    tuneForShortRun: () => {
      tuned += 1;
    },
  });
  return { code, stdout, tuned };
}

describe('runCli tuneForShortRun', () => {
  it('is called once by dje chunk, whose output is unchanged by it', async () => {
    const result = await run(['chunk', path.join(examplesDir, 'campaigns.json'), '--json']);
    expect(result.code).toBe(0);
    expect(result.tuned).toBe(1);
    expect(JSON.parse(result.stdout).chunks.length).toBeGreaterThan(1);
  });

  it('is not called by other commands', async () => {
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.tuned).toBe(0);
    const help = await run(['ingest', '--help']);
    expect(help.tuned).toBe(0);
  });
});
