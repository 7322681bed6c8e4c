// The README's example is the package's first test: it runs as written and prints the related
// campaign with a clearly higher score than the unrelated IoT text.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so `@dynamic-embeddings/embeddings` resolves to this package as for any user.
const scratch = mkdtempSync(path.join(packageDir, '.readme-example-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('README', () => {
  it('runs its example, which ranks the related text first', async () => {
    const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const example = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(example).toContain("from '@dynamic-embeddings/embeddings'");
    const file = path.join(scratch, 'example.ts');
    writeFileSync(file, example);

    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
      printed.push(values.map(String).join(' '));
    });
    try {
      await import(file);
    } finally {
      log.mockRestore();
    }
    expect(printed).toHaveLength(2);
    const [related, unrelated] = printed.map((line) => Number.parseFloat(line));
    expect(printed[0]).toMatch(/^\d\.\d{3} Mobile banner campaign in Norway/);
    expect(related).toBeGreaterThan((unrelated ?? 1) + 0.3);
    // The output shown in the README is the output the example prints.
    expect(readme).toContain(printed.join('\n'));
  });
});
