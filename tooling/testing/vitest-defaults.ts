// Shared Vitest project settings: tests import workspace packages from their sources (the `source`
// export condition), so a package's tests never depend on another package having been built.
import type { UserWorkspaceConfig } from 'vitest/config';

const conditions = ['source', 'node', 'import', 'module', 'default'];

export function projectDefaults(name: string): UserWorkspaceConfig {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // eventsource-parser (under the AI SDK) publishes a `source` condition that
      // points at TypeScript files; with it and its importers inlined, Vite transforms them.
      server: { deps: { inline: ['eventsource-parser', /@ai-sdk\//, 'ai'] } },
    },
  };
}
