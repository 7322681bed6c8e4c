import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tooling/*/vitest.config.ts'],
    // Two cores: PGlite instances are CPU-bound WASM, more workers only thrash.
    maxWorkers: 2,
  },
});
