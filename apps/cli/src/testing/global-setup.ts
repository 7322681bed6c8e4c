// Vitest global setup (excluded from the build): creating an embedded database runs initdb inside
// PGlite, which takes seconds. It is done once here, by the built binary itself, and every test
// that needs a fresh database gets a copy of this closed, empty one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A closed, empty embedded database directory to copy (never to open directly). */
    readonly templateDatabase: string;
  }
}

export default function setup(project: TestProject): () => void {
  const binPath = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
  if (!existsSync(binPath)) {
    throw new Error(`${binPath} is missing: build first (pnpm --filter dynamic-embeddings test builds it).`);
  }
  const directory = mkdtempSync(path.join(os.tmpdir(), 'dje-cli-template-'));
  const templateDatabase = path.join(directory, 'db');
  const result = spawnSync(
    process.execPath,
    [binPath, '--database-url', `pglite://${templateDatabase}`, 'namespace', 'list'],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    },
  );
  if (result.status !== 0) throw new Error(`could not create the template database:\n${result.stderr}`);
  project.provide('templateDatabase', templateDatabase);
  return () => rmSync(directory, { recursive: true, force: true });
}
