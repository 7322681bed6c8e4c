// Each error is built by one factory: scans the shipped source of every package and app for the
// places that construct a catalogued code (createError, or the server's HttpError), and fails when a code is built in more than one module
// or when a DjeError is constructed directly outside this package's dje-error.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isErrorCode } from './error-catalog.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function shippedSources(): string[] {
  const files: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing' && entry.name !== '__fixtures__' && entry.name !== 'node_modules')
          walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        files.push(full);
      }
    }
  };
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(path.join(root, group), { withFileTypes: true })) {
      const source = path.join(root, group, entry.name, 'src');
      if (entry.isDirectory()) {
        try {
          walk(source);
        } catch {
          // A package without src/ (config only) has nothing to scan.
        }
      }
    }
  }
  return files;
}

const sources = shippedSources().map((file) => ({
  file: path.relative(root, file),
  text: readFileSync(file, 'utf8'),
}));

describe('error construction sites', () => {
  it('scans the shipped source of the packages and apps', () => {
    expect(sources.some((source) => source.file === 'packages/core/src/dje-error.ts')).toBe(true);
    expect(sources.some((source) => source.file.startsWith('apps/cli/src/'))).toBe(true);
    expect(sources.every((source) => !source.file.endsWith('.test.ts'))).toBe(true);
  });

  it('builds every catalogued code in one module only', () => {
    const sitesOf = new Map<string, Set<string>>();
    for (const { file, text } of sources) {
      for (const match of text.matchAll(/(?:createError\(|new HttpError\()\{\s*code: '([A-Z0-9_]+)'/g)) {
        const code = match[1]!;
        if (!isErrorCode(code)) continue;
        sitesOf.set(code, (sitesOf.get(code) ?? new Set()).add(file));
      }
    }
    expect(sitesOf.size).toBeGreaterThan(20);
    const repeated = [...sitesOf]
      .filter(([, files]) => files.size > 1)
      .map(([code, files]) => `${code}: ${[...files].join(', ')}`);
    expect(repeated).toEqual([]);
  });

  it('constructs DjeError directly only in core (everything else uses a factory)', () => {
    const direct = sources
      .filter(({ file, text }) => file !== 'packages/core/src/dje-error.ts' && /new DjeError\(/.test(text))
      .map(({ file }) => file);
    expect(direct).toEqual([]);
  });
});
