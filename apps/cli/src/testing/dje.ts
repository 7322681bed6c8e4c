// Test helpers (excluded from the build): run the BUILT `dje` binary as a subprocess with real
// argv, exit code, stdout and stderr, and a private environment so the host's DATABASE_URL or
// OPENAI_API_KEY can never leak into a test.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const binPath = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const examplesDir = path.join(repoRoot, 'examples');

export interface DjeResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DjeOptions {
  /** Extra environment variables (the base has only PATH, HOME, TMPDIR, LANG). */
  readonly env?: Record<string, string>;
  /** Written to stdin, which is then closed. Without it stdin is closed at once. */
  readonly input?: string;
  readonly cwd?: string;
}

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LANG: 'C.UTF-8' };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts `dje args…`; the caller decides when to write stdin, signal it, or wait. */
export function spawnDje(args: readonly string[], options: DjeOptions = {}): ChildProcess {
  return spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: baseEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<DjeResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `dje args…` to completion. */
export async function dje(args: readonly string[], options: DjeOptions = {}): Promise<DjeResult> {
  const child = spawnDje(args, options);
  const result = finished(child);
  child.stdin?.end(options.input ?? '');
  return result;
}

/** Resolves when the child's stderr has matched `pattern` (rejects if it exits first). */
export function waitForStderr(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (text: Buffer | string) => {
      seen += text.toString();
      const match = seen.match(pattern);
      if (match) {
        child.stderr?.off('data', onData);
        child.off('close', onClose);
        resolve(match);
      }
    };
    const onClose = (code: number | null) =>
      reject(new Error(`dje exited (${code}) before stderr matched ${pattern}; stderr was:\n${seen}`));
    child.stderr?.on('data', onData);
    child.on('close', onClose);
  });
}

/** The URL `dje serve` prints once it listens (rejects if it exits first). */
export function servedUrl(server: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    server.stdout?.on('data', (text: Buffer) => {
      seen += text.toString();
      const match = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match?.[1]) resolve(match[1]);
    });
    server.on('close', () => reject(new Error(`dje serve exited early: ${seen}`)));
  });
}

/**
 * `dje <databaseArgs> serve --port 0 --quiet` on a free port: its URL once it listens, and `stop`,
 * which sends SIGTERM and resolves with how the server exited.
 */
export async function startDjeServer(
  databaseArgs: readonly string[],
  options: Omit<DjeOptions, 'input'> = {},
): Promise<{ readonly url: string; stop(): Promise<DjeResult> }> {
  const server = spawnDje([...databaseArgs, 'serve', '--port', '0', '--quiet'], options);
  const done = finished(server);
  server.stdin?.end();
  const url = await servedUrl(server);
  return {
    url,
    stop: () => {
      server.kill('SIGTERM');
      return done;
    },
  };
}

/** Parses stdout as JSON, with the whole output in the error when it is not. */
export function jsonOf<T = unknown>(result: DjeResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** A fresh temporary directory, and the function that removes it. */
export function temporaryDirectory(prefix: string): { readonly path: string; remove(): void } {
  const directory = mkdtempSync(path.join(os.tmpdir(), `dje-cli-${prefix}-`));
  return { path: directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/**
 * `--database-url pglite://<dir>/db`: an empty embedded database private to one test, copied from
 * the template the global setup created (a fresh initdb per test would cost seconds each).
 */
export function embeddedDatabaseArgs(directory: string): string[] {
  const database = path.join(directory, 'db');
  if (!existsSync(database)) cpSync(inject('templateDatabase'), database, { recursive: true });
  return ['--database-url', `pglite://${database}`];
}

/** One line on stderr of the form `error [CODE]: …`; returns the code. */
export function errorCodeOf(result: DjeResult): string | undefined {
  return result.stderr.match(/^error \[([A-Z0-9_]+)\]: /m)?.[1];
}

/** Resolves once `server` has received `count` requests (polls every 25 ms, for at most 10 s). */
export async function waitForRequests(
  server: { readonly requests: readonly unknown[] },
  count: number,
): Promise<void> {
  for (let attempt = 0; attempt < 400 && server.requests.length < count; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
