// The README's example is the package's first test: it runs as written and prints what it shows.
import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs its example, which prints the output shown below it', async () => {
    const { readme, example, printed } = await runReadmeExample(
      fileURLToPath(new URL('..', import.meta.url)),
      { heading: '## Example' },
    );
    expect(example).toContain("from '@dynamic-embeddings/tokenizer'");
    const shown = /## Example[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(printed.join('\n')).toBe(shown.trimEnd());
  });
});
