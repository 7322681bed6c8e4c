// The README's example is the package's first test: it starts a server, writes a document through
// the client and prints the search hit it gets back.
import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs its example, which finds the document it wrote', async () => {
    const { readme, example, printed } = await runReadmeExample(
      fileURLToPath(new URL('..', import.meta.url)),
      { heading: '## Example' },
    );
    expect(example).toContain("from '@dynamic-embeddings/client'");
    expect(printed).toEqual(['autumn-2024']);
    expect(readme).toContain(printed.join('\n'));
  });
});
