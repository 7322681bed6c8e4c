import { describe, expect, it } from 'vitest';
import { parseBenchOptions, usage } from './bench-options.js';

describe('parseBenchOptions', () => {
  it('defaults to PGlite at 10,000 × 256 and to PostgreSQL at 50,000 × 1536', () => {
    expect(parseBenchOptions([], {})).toMatchObject({
      target: 'pglite',
      databaseUrl: undefined,
      rows: 10_000,
      dimensions: 256,
      queries: 200,
      shape: 'mixture',
      command: 'pnpm bench:search',
    });
    expect(parseBenchOptions([], { DATABASE_URL: 'postgres://u:secret@h:5433/db' })).toMatchObject({
      target: 'postgres',
      rows: 50_000,
      dimensions: 1536,
      command: 'DATABASE_URL=postgres://u:***@h:5433/db pnpm bench:search',
    });
  });

  it('reads the flags, hiding a password in the command it reports', () => {
    const parsed = parseBenchOptions(
      ['--database-url', 'postgres://u:secret@h/db', '--data', 'skewed', '--rows', '4000', '--keep'],
      {},
    );
    expect(parsed).toMatchObject({ shape: 'skewed', rows: 4000, keep: true, reuse: false, publish: true });
    expect(typeof parsed === 'object' && parsed.command).not.toContain('secret');
  });

  it('refuses non-postgres URLs, bad numbers and unknown shapes with the usage', () => {
    expect(parseBenchOptions(['--database-url', 'mysql://x'], {})).toMatch(/must be a postgres:\/\/ URL/);
    expect(parseBenchOptions(['--rows', '0'], {})).toBe(usage);
    expect(parseBenchOptions(['--queries', '2.5'], {})).toBe(usage);
    expect(parseBenchOptions(['--data', 'uniform'], {})).toBe(usage);
    expect(parseBenchOptions(['--help'], {})).toBeUndefined();
  });
});
