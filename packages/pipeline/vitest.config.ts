import { defineProject } from 'vitest/config';
import { projectDefaults } from '../../tooling/testing/vitest-defaults.js';

const defaults = projectDefaults('@dynamic-embeddings/pipeline');

// Suites share one in-memory database (src/testing/database.ts), which needs a shared module cache.
export default defineProject({ ...defaults, test: { ...defaults.test, isolate: false } });
