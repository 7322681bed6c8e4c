// The README's example is the package's first test: it runs as written and prints what it shows.
// (The helper is imported by path: the testing package depends on core, so core cannot depend on it.)
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tooling/testing/src/run-readme-example.js';
import { errorCatalog } from './error-catalog.js';

describe('README', () => {
  it('runs its example, which maps a catalogued code to its kind, status and exit code', async () => {
    const { readme, example, printed } = await runReadmeExample(
      fileURLToPath(new URL('..', import.meta.url)),
      { heading: '## Example' },
    );
    expect(example).toContain("from '@dynamic-embeddings/core'");
    expect(printed[0]).toBe('true not_found 404 3');
    expect(printed[2]).toContain(`${Object.keys(errorCatalog).length} codes`);
    expect(readme).toContain(printed.join('\n'));
  });
});
