import { defineProject } from 'vitest/config';
import { projectDefaults } from '../../tooling/testing/vitest-defaults.js';

const defaults = projectDefaults('@dynamic-embeddings/server');

export default defineProject({
  ...defaults,
  test: {
    ...defaults.test,
    // bulk-memory.test.ts forces garbage collection so it measures live memory, not garbage.
    execArgv: ['--expose-gc'],
    // As the root config: two files at a time (the long bulk upload overlaps the rest).
    maxWorkers: 2,
  },
});
