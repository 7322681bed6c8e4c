// Packs a region's blocks into chunk drafts under a token budget. A block that fits the current
// chunk goes in whole; one that fits an empty chunk starts a new one; a larger one is laid out line
// by line, its section line repeated at the top of each chunk it continues in. Counts are exact:
// lines carry `count(text + '\n')`, and the last line of each chunk is recounted without its
// newline, so the budget holds for the text as it is finally joined.

import type { TokenCounter } from '@dynamic-embeddings/tokenizer';
import type { Line } from './line.js';
import type { Block } from './region.js';

export interface Draft {
  readonly lines: Line[];
  /** Tokens of the lines joined with newlines (the last one counted without a newline). */
  tokens: number;
  /** First array element covered (array regions), or -1. */
  elementStart: number;
  /** One past the last array element covered, or -1. */
  elementEnd: number;
}

interface OpenDraft {
  lines: Line[];
  owners: Block[];
  tokens: number;
  elementStart: number;
  elementEnd: number;
}

function openDraft(): OpenDraft {
  return { lines: [], owners: [], tokens: 0, elementStart: -1, elementEnd: -1 };
}

export function packBlocks(root: Block, options: { budget: number; counter: TokenCounter }): Draft[] {
  const { budget, counter } = options;
  const drafts: Draft[] = [];
  let current = openDraft();
  let active: Block | undefined;

  const push = (line: Line, owner: Block): void => {
    current.lines.push(line);
    current.owners.push(owner);
    current.tokens += line.tokens;
    const start = line.elementStart >= 0 ? line.elementStart : (owner.elements?.[0] ?? -1);
    const end = line.elementEnd >= 0 ? line.elementEnd : (owner.elements?.[1] ?? -1);
    if (start >= 0 && (current.elementStart < 0 || start < current.elementStart))
      current.elementStart = start;
    if (end > current.elementEnd) current.elementEnd = end;
  };

  const close = (): void => {
    if (current.lines.length === 0) return;
    const draft = current;
    current = openDraft();
    active = undefined;
    const last = draft.lines[draft.lines.length - 1]!;
    const tokens = draft.tokens - last.tokens + counter.countWithoutNewline(last.text, last.tokens);
    if (tokens <= budget || draft.lines.length === 1) {
      drafts.push({
        lines: draft.lines,
        tokens,
        elementStart: draft.elementStart,
        elementEnd: draft.elementEnd,
      });
      return;
    }
    // Joining changed the count at the seam (rare): move the last line to its own chunk.
    const owner = draft.owners.pop()!;
    draft.lines.pop();
    draft.tokens -= last.tokens;
    current = draft;
    close();
    if (owner.section !== undefined && owner.section !== last) push(owner.section, owner);
    push(last, owner);
    active = owner;
  };

  const appendLine = (owner: Block, line: Line): void => {
    const sectionCost = owner.section !== undefined && active !== owner ? owner.section.tokens : 0;
    if (current.lines.length > 0 && current.tokens + sectionCost + line.tokens > budget) close();
    if (owner.section !== undefined && active !== owner) push(owner.section, owner);
    active = owner;
    push(line, owner);
  };

  const place = (block: Block): void => {
    if (current.lines.length > 0 && block.tokens > budget - current.tokens && block.tokens <= budget) close();
    for (const line of block.lines) appendLine(block, line);
    for (const child of block.children) place(child);
  };

  place(root);
  close();
  return drafts;
}
