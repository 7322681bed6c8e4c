// The checked-in types are what the generator makes of the document the server serves today; a
// route changed without `pnpm --filter @dynamic-embeddings/client generate` fails here.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedTypesPath, generateTypes, servedDocument } from '../scripts/generate-types.js';

describe('src/generated/api.ts', () => {
  let document: { paths: Record<string, unknown> };
  beforeAll(async () => {
    document = (await servedDocument()) as typeof document;
  });

  it('is what the generator writes for the served /openapi.json', async () => {
    expect(await generateTypes(document)).toBe(readFileSync(generatedTypesPath, 'utf8'));
  });

  it('would differ if a route were removed (the comparison can fail)', async () => {
    const { '/v1/migrations': _removed, ...paths } = document.paths;
    const changed = await generateTypes({ ...document, paths });
    expect(changed).not.toBe(readFileSync(generatedTypesPath, 'utf8'));
    expect(changed).not.toContain('"/v1/migrations"');
  });
});
