import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/registry.ts',
  out: './drizzle',
  // Namespace tables are created at runtime; drizzle-kit must never manage or drop them.
  tablesFilter: ['dje_*'],
});
