// Semantic grouping: what belongs together by meaning stays together in one chunk when it fits.
// Lines of related keys (`ctr`, `ctr_reasoning`) move next to each other, and related sibling
// sections (`period1`, `period2`) go into one block.
import type { KeywordIndex } from './keyword-index.js';
import type { Line } from './line.js';
import { type Block, createBlock, sealBlock } from './region.js';

/** Semantic: lines of related keys (`ctr`, `ctr_reasoning`) next to each other, first-seen order. */
export function groupLines(lines: Line[]): Line[] {
  if (lines.length < 3) return lines;
  const groups = new Map<string, Line[]>();
  let regrouped = false;
  lines.forEach((line, index) => {
    const related = line.related ?? '\u0000';
    const group = groups.get(related);
    if (group === undefined) groups.set(related, [line]);
    else {
      // Only a line that joins a group it is not adjacent to changes the order.
      regrouped ||= group[group.length - 1] !== lines[index - 1];
      group.push(line);
    }
  });
  if (!regrouped) return lines;
  const ordered: Line[] = [];
  for (const group of groups.values()) for (const line of group) ordered.push(line);
  return ordered;
}

/** Semantic: related sibling sections (`period1`, `period2`) wrapped in one block kept together. */
export function groupBlocks(blocks: readonly Block[], keywords: KeywordIndex): Block[] {
  const groups = new Map<string, Block[]>();
  blocks.forEach((block, index) => {
    const key = block.key;
    const related = typeof key === 'string' ? keywords.relatedness(key) : `\u0000${index}`;
    const group = groups.get(related);
    if (group === undefined) groups.set(related, [block]);
    else group.push(block);
  });
  return [...groups.values()].map((group) => {
    if (group.length === 1) return group[0]!;
    return sealBlock(createBlock({ children: group }));
  });
}
