// The README's example is the package's first test: it runs as written and prints a search hit for
// the document it ingested.
import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs its example and prints search hits for the ingested document', async () => {
    const { example, printed } = await runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
    expect(example).toContain("from '@dynamic-embeddings/pipeline'");
    expect(printed[0]).toMatch(/^(\d+) chunks \(\1 embedded, 0 reused\)$/);
    expect(printed.length).toBeGreaterThan(1);
    expect(printed[1]).toMatch(/^\d\.\d{3} autumn-2024 /);
  });
});
