import { defineProject } from 'vitest/config';
import { projectDefaults } from '../../tooling/testing/vitest-defaults.js';

export default defineProject(projectDefaults('@dynamic-embeddings/tokenizer'));
