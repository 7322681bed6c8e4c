// The README's example is the package's first test: it runs as written and prints a search hit for
// the document it ingested.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so `@dynamic-embeddings/pipeline` resolves to this package as for any user.
const scratch = mkdtempSync(path.join(packageDir, '.readme-example-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('README', () => {
  it('runs its example and prints search hits for the ingested document', async () => {
    const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain("from '@dynamic-embeddings/pipeline'");
    const file = path.join(scratch, 'example.ts');
    writeFileSync(file, example!);

    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
      printed.push(values.map(String).join(' '));
    });
    try {
      await import(file);
    } finally {
      log.mockRestore();
    }
    expect(printed[0]).toMatch(/^(\d+) chunks \(\1 embedded, 0 reused\)$/);
    expect(printed.length).toBeGreaterThan(1);
    expect(printed[1]).toMatch(/^\d\.\d{3} autumn-2024 /);
  });
});
