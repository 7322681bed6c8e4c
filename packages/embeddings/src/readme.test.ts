// The README's example is the package's first test: it runs as written and prints the related
// campaign with a clearly higher score than the unrelated IoT text.
import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs its example, which ranks the related text first', async () => {
    const { readme, example, printed } = await runReadmeExample(
      fileURLToPath(new URL('..', import.meta.url)),
      { heading: '## Example' },
    );
    expect(example).toContain("from '@dynamic-embeddings/embeddings'");
    expect(printed).toHaveLength(2);
    const [related, unrelated] = printed.map((line) => Number.parseFloat(line));
    expect(printed[0]).toMatch(/^\d\.\d{3} Mobile banner campaign in Norway/);
    expect(related).toBeGreaterThan((unrelated ?? 1) + 0.3);
    // The output shown in the README is the output the example prints.
    expect(readme).toContain(printed.join('\n'));
  });

  it('runs its AI SDK example: our provider under embedMany', async () => {
    const { example, printed } = await runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), {
      heading: '## The AI SDK',
    });
    expect(example).toContain("from 'ai'");
    expect(printed).toEqual(['2 384']);
  });
});
