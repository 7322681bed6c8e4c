// One-line summaries of PostgreSQL EXPLAIN (FORMAT JSON) plans, to show in the report which scan
// each system's query actually ran (an HNSW index scan, or an exact scan of a filtered subset).

/** A node of `EXPLAIN (FORMAT JSON)` output; only the fields the summary uses. */
export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** Node types from the top of the plan down, depth first, with the index each index scan uses. */
export function describePlan(plan: PlanNode): string {
  const parts: string[] = [];
  const visit = (node: PlanNode): void => {
    const index = node['Index Name'];
    parts.push(index === undefined ? node['Node Type'] : `${node['Node Type']} (${index})`);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  return parts.join(' → ');
}

/** The root plan node from the single row EXPLAIN (FORMAT JSON) returns, whichever driver parsed it. */
export function planFromExplainRow(row: Readonly<Record<string, unknown>>): PlanNode {
  const raw = row['QUERY PLAN'];
  const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const root = Array.isArray(parsed) ? (parsed[0] as { Plan?: PlanNode } | undefined)?.Plan : undefined;
  if (root === undefined)
    throw new Error(`not an EXPLAIN (FORMAT JSON) row: ${JSON.stringify(row).slice(0, 200)}`);
  return root;
}

/** Whether any node of the plan scans an index whose name includes `indexName`. */
export function usesIndex(plan: PlanNode, indexName: string): boolean {
  if (plan['Index Name']?.includes(indexName) === true) return true;
  return (plan.Plans ?? []).some((child) => usesIndex(child, indexName));
}
