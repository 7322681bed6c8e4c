// The served /openapi.json is a contract others generate clients from: Redocly's OpenAPI 3.1
// linter (the engine of `redocly lint`, recommended rules) finds nothing in it, bar one documented
// exception.

import { createNamespaceMigration } from '@dynamic-embeddings/migration';
import { createLocalProvider, createPipeline, type EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './create-app.js';

describe('the served OpenAPI document', () => {
  let pipeline: EmbeddingPipeline;
  let source: string;

  beforeAll(async () => {
    pipeline = await createPipeline({
      databaseUrl: 'memory://',
      provider: createLocalProvider({ dimensions: 8 }),
    });
    const app = createApp({ pipeline, migration: createNamespaceMigration({ db: pipeline.db }) });
    source = await (await app.request('/openapi.json')).text();
  });
  afterAll(async () => pipeline?.close());

  it('passes the recommended OpenAPI 3.1 lint rules', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    const found = problems.map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer ?? ''}`);
    // The liveness and readiness probes answer 200 or 503 and nothing else: no 4XX to document.
    expect(found.sort()).toEqual([
      'operation-4xx-response #/paths/~1health/get/responses',
      'operation-4xx-response #/paths/~1ready/get/responses',
    ]);
  });

  it('names every operation once and says for each whether it needs a key', () => {
    const document = JSON.parse(source) as {
      readonly security?: unknown[];
      readonly paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
    };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const ids = operations.map((operation) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(operations.length);
    const publicOperations = Object.entries(document.paths)
      .filter(([, item]) => Object.values(item).some((operation) => operation.security?.length === 0))
      .map(([path]) => path);
    expect(publicOperations.sort()).toEqual(['/health', '/ready']);
  });
});
