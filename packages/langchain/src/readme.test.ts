// The README's example is the package's first test: it runs as written and prints the JSON
// document the retriever finds.
import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs its example, whose retriever returns the JSON campaign with its metadata', async () => {
    const { readme, example, printed } = await runReadmeExample(
      fileURLToPath(new URL('..', import.meta.url)),
      { heading: '## Example' },
    );
    expect(example).toContain("from '@dynamic-embeddings/langchain'");
    expect(printed).toEqual(['autumn-2024 nordics']);
    expect(readme).toContain(printed.join('\n'));
  });
});
