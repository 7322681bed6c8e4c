// Dimensional tables: an array of records renders as a column line and one `index: cell | cell`
// row per record, so that row slices of a large array read like a table.
import type { ChunkingConfig } from './config.js';
import { emptyStats } from './content-stats.js';
import type { JsonObject, TreeNode } from './document-tree.js';
import type { KeywordIndex } from './keyword-index.js';
import type { Line, LineFactory } from './line.js';
import { renderInlineElement } from './render-value.js';

/** What a row needs of the planning context. */
export interface RowContext {
  readonly tree: { readonly keywords: KeywordIndex };
  readonly factory: LineFactory;
}

/** Union of the keys of an array's object elements, in first-seen order; undefined if not a table. */
export function tableColumns(node: TreeNode, config: ChunkingConfig): string[] | undefined {
  const array = node.value as readonly unknown[];
  const columns = new Set<string>();
  let objects = 0;
  for (const element of array) {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) continue;
    objects += 1;
    for (const key of Object.keys(element)) {
      columns.add(key);
      if (columns.size > config.thresholds.maxColumns) return undefined;
    }
  }
  if (columns.size === 0 || objects < array.length * 0.8) return undefined;
  return [...columns];
}

/** One `index: cell | cell | …` row of a record; undefined when it does not fit one line. */
export function tableRow(options: {
  element: JsonObject;
  index: number;
  columns: readonly string[];
  context: RowContext;
}): Line | undefined {
  const { element, index, columns, context } = options;
  const stats = emptyStats();
  const inline = { keywords: context.tree.keywords, stats, keys: [] as string[] };
  // Cells joined once: appending them one by one builds a chain of string pieces that the token
  // counter then has to flatten, for every row of every table.
  const cells: string[] = new Array(columns.length);
  for (let at = 0; at < columns.length; at += 1) {
    const column = columns[at]!;
    let cell = '';
    if (Object.hasOwn(element, column)) {
      stats.keys += 1;
      cell = renderInlineElement(element[column], context.tree.keywords.keyClass(column), inline);
    }
    cells[at] = at === 0 ? `${index}: ${cell}` : cell;
  }
  // A row too long for a line is not counted to its end: it falls back to sections.
  return context.factory.fittingContentLine(cells.join(' | '), stats, [index, index + 1]);
}
