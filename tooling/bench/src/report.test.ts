import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber, renderMarkdownTable, upsertSection } from './report.js';

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
});
