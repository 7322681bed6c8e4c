// Keys as they start a `key: value` line.

const maxLabelLength = 200;
const plainLabel = /^[\p{L}\p{N}_][^\r\n]*$/u;

/**
 * A key as it starts a `key: value` line. Keys that could be misread (empty, leading punctuation or
 * whitespace, line breaks, `: ` inside, very long) are JSON-quoted; a line never starts with
 * whitespace, which keeps per-line token counts exact when lines are joined.
 */
export function labelOf(key: string): string {
  if (key.length > maxLabelLength) return `${JSON.stringify(key.slice(0, maxLabelLength))}…`;
  if (plainLabel.test(key) && !key.includes(': ') && !/\s$/.test(key)) return key;
  return JSON.stringify(key);
}
