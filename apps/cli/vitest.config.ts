import { defineProject } from 'vitest/config';
import { projectDefaults } from '../../tooling/testing/vitest-defaults.js';

const defaults = projectDefaults('dynamic-embeddings');

export default defineProject({
  ...defaults,
  test: {
    ...defaults.test,
    // Creates one empty embedded database that tests copy instead of running initdb each time.
    globalSetup: ['./src/testing/global-setup.ts'],
  },
});
