import { createColors } from 'picocolors';
import { describe, expect, it } from 'vitest';
import { formatTable, visibleLength } from './format-table.js';

const rows = [
  { name: 'production', count: 12_345, note: null },
  { name: 'a', count: 7, note: 'x' },
];
const columns = [
  { header: 'namespace', value: (row: (typeof rows)[number]) => row.name },
  { header: 'n', value: (row: (typeof rows)[number]) => row.count, align: 'right' as const },
  { header: 'note', value: (row: (typeof rows)[number]) => row.note },
];

describe('formatTable', () => {
  it('aligns columns as plain text in pipes, right-aligning numbers and showing - for empty cells', () => {
    const text = formatTable({ rows, columns, colors: createColors(false), rule: false });
    expect(text.split('\n')).toEqual([
      'namespace       n  note',
      'production  12345  -',
      'a               7  x',
    ]);
  });

  it('adds a rule and colours on a terminal without breaking the alignment', () => {
    const text = formatTable({ rows, columns, colors: createColors(true), rule: true });
    const lines = text.split('\n');
    expect(lines[0]).toContain('\u001b[1m');
    expect(lines[1]).toMatch(/─{10} {2}─{5} {2}─{4}/);
    expect(visibleLength(lines[0]!)).toBe('namespace       n  note'.length);
  });
});
