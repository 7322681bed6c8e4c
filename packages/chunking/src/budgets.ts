// How a chunk's `maxTokens` is shared out. Every piece is bounded separately so that a chunk built
// from a header, one section line and one line always fits, whatever the content.

export interface Budgets {
  readonly maxTokens: number;
  /** Most tokens of the context header line. */
  readonly header: number;
  /** Most tokens of a section line (`[targeting.geographic]`) or a table's column line. */
  readonly section: number;
  /** Most tokens of one content line; longer content is split into several lines. */
  readonly line: number;
  /** Most tokens of all lines below the header. */
  readonly content: number;
  /** Longest inline rendering (chars) whose line is sure to fit `line` (≤ 3 UTF-8 bytes per char, ≤ 1 token per byte). */
  readonly inlineChars: number;
}

export function budgetsFor(maxTokens: number, configInlineChars: number): Budgets {
  const header = Math.min(128, Math.max(24, Math.round(maxTokens / 8)));
  const section = header;
  const line = maxTokens - header - section - 8;
  return {
    maxTokens,
    header,
    section,
    line,
    content: maxTokens - header,
    inlineChars: Math.min(configInlineChars, Math.floor((line - 8) / 3)),
  };
}
