import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  databaseTarget,
  formatNumber,
  packageVersion,
  renderMarkdownTable,
  sectionFor,
  upsertSection,
  writeChart,
} from './report.js';

describe('report', () => {
  it('formats numbers for tables', () => {
    expect(formatNumber(24900)).toBe('24,900');
    expect(formatNumber(5.123)).toBe('5.12');
    expect(formatNumber(0.95123)).toBe('0.951');
  });

  it('renders a markdown table', () => {
    expect(renderMarkdownTable({ headers: ['a', 'b'], rows: [[1, 'x']] })).toBe(
      '| a | b |\n| --- | --- |\n| 1 | x |',
    );
  });

  it('replaces only its own section and keeps the others', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'benchmarks.md');
    upsertSection(file, 'a', 'first A');
    upsertSection(file, 'b', 'only B');
    upsertSection(file, 'a', 'second A');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('second A');
    expect(text).not.toContain('first A');
    expect(text).toContain('only B');
    expect(text.indexOf('second A')).toBeLessThan(text.indexOf('only B'));
  });

  it('puts a section marked first before the others, and later rewrites it in place', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'benchmarks.md');
    upsertSection(file, 'a', 'only A');
    upsertSection(file, 'summary', 'summary one', { first: true });
    upsertSection(file, 'b', 'only B');
    upsertSection(file, 'summary', 'summary two', { first: true });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Benchmarks')).toBe(true);
    expect(text).not.toContain('summary one');
    expect(text.indexOf('summary two')).toBeLessThan(text.indexOf('only A'));
    expect(text.indexOf('only A')).toBeLessThan(text.indexOf('only B'));
  });

  it('keeps PostgreSQL runs in their own sections', () => {
    expect(databaseTarget(undefined)).toBe('pglite');
    expect(databaseTarget('memory://')).toBe('pglite');
    expect(databaseTarget('pglite://./data')).toBe('pglite');
    expect(databaseTarget('postgres://u:p@h/db')).toBe('postgres');
    expect(databaseTarget('postgresql://h/db')).toBe('postgres');
    expect(sectionFor('pglite', { id: 'search', title: 'Search' })).toEqual({
      id: 'search',
      title: 'Search (PGlite)',
    });
    expect(sectionFor('postgres', { id: 'search', title: 'Search' })).toEqual({
      id: 'search-postgres',
      title: 'Search (PostgreSQL)',
    });
  });

  it('writes charts beside the report, suffixed for PostgreSQL runs', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'charts-'));
    expect(writeChart({ name: 'recall', svg: '<svg/>', target: 'pglite', directory })).toBe(
      'charts/recall.svg',
    );
    expect(writeChart({ name: 'recall', svg: '<svg>pg</svg>', target: 'postgres', directory })).toBe(
      'charts/recall-postgres.svg',
    );
    expect(readFileSync(path.join(directory, 'recall.svg'), 'utf8')).toBe('<svg/>');
    expect(readFileSync(path.join(directory, 'recall-postgres.svg'), 'utf8')).toBe('<svg>pg</svg>');
  });

  it('reads installed package versions', () => {
    expect(packageVersion('pg')).toMatch(/^\d+\.\d+\.\d+/);
    expect(packageVersion('no-such-package-here')).toBe('unknown');
  });
});
