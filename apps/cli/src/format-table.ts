// Aligned columns for human output: a header rule and colours on a terminal, plain text in pipes.
import type { Colors } from './output.js';

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string | number | boolean | null | undefined;
  /** Right-align (numbers). */
  readonly align?: 'left' | 'right';
}

export interface FormatTableOptions<Row> {
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly colors: Colors;
  /** Draw a rule under the header (terminals). */
  readonly rule: boolean;
}

// ANSI colour codes take no room on screen, so widths are measured without them.
const ansiPattern = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function visibleLength(text: string): number {
  return text.replace(ansiPattern, '').length;
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return String(value);
}

export function formatTable<Row>(options: FormatTableOptions<Row>): string {
  const { columns, rows, colors } = options;
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(visibleLength(column.header), ...cells.map((rowCells) => visibleLength(rowCells[index] ?? ''))),
  );
  const pad = (text: string, index: number) => {
    const width = widths[index] ?? 0;
    const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
    return columns[index]?.align === 'right' ? fill + text : text + fill;
  };
  const joinLine = (parts: string[]) => parts.join('  ').trimEnd();
  const lines = [joinLine(columns.map((column, index) => colors.bold(pad(column.header, index))))];
  if (options.rule) lines.push(colors.dim(joinLine(widths.map((width) => '─'.repeat(width)))));
  for (const rowCells of cells) lines.push(joinLine(rowCells.map((text, index) => pad(text, index))));
  return lines.join('\n');
}

/** `key  value` lines, keys aligned, for one record. */
export function formatFields(
  fields: ReadonlyArray<readonly [string, string | number | boolean | null | undefined]>,
  colors: Colors,
): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${colors.dim(key.padEnd(width))}  ${cellText(value)}`).join('\n');
}
