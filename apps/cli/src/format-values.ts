// Small formatters shared by the human output of several commands.

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '-' : value.toFixed(digits);
}

export function formatDate(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatMilliseconds(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The first `maxLines` lines of `text`, each indented, long lines cut with an ellipsis. */
export function excerpt(
  text: string,
  options: { readonly maxLines: number; readonly width: number; readonly indent: string },
): string {
  const lines = text.split('\n');
  const shown = lines.slice(0, options.maxLines).map((line) => {
    const cut = line.length > options.width ? `${line.slice(0, options.width - 1)}…` : line;
    return `${options.indent}${cut}`;
  });
  if (lines.length > options.maxLines)
    shown.push(`${options.indent}… (${lines.length - options.maxLines} more lines)`);
  return shown.join('\n');
}

/** `1 chunk`, `2 chunks`. */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
