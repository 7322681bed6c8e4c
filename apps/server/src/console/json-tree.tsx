// A JSON document as a collapsible tree (native <details>: keyboard and screen-reader friendly).
// Each node is marked with the chunk that owns it; the selected chunk's region is highlighted and
// its ancestors open. Children render only while open, so large documents stay fast.
import { useEffect, useState } from 'preact/hooks';
import { formatPath, isWithin, type PathSegment } from './regions.js';

export interface TreeContext {
  /** The index of the chunk owning a node path. */
  readonly ownerOf: (path: string) => number | undefined;
  readonly selected: number | undefined;
  /** The selected chunk's path without its slice: the nodes on the way there open. */
  readonly selectedBase: string | undefined;
  readonly onSelect: (index: number) => void;
}

/** Children rendered at a time: a list of thousands stays quick to open. */
const pageSize = 200;

function ChunkBadge({
  owner,
  context,
}: {
  readonly owner: number | undefined;
  readonly context: TreeContext;
}) {
  if (owner === undefined) return null;
  return (
    <button
      type="button"
      class={`badge region-${owner % 8}`}
      aria-label={`Show chunk ${owner + 1}`}
      aria-pressed={context.selected === owner}
      onClick={(event) => {
        // Inside a <summary>, a click would also fold the node.
        event.preventDefault();
        context.onSelect(owner);
      }}
    >
      {owner + 1}
    </button>
  );
}

function label(key: PathSegment | undefined): string {
  return key === undefined ? '$' : typeof key === 'number' ? `[${key}]` : key;
}

function summaryOf(value: object): string {
  return Array.isArray(value) ? `[ ${value.length} items ]` : `{ ${Object.keys(value).length} keys }`;
}

export function JsonNode(props: {
  readonly value: unknown;
  readonly segments: readonly PathSegment[];
  readonly context: TreeContext;
}) {
  const { value, segments, context } = props;
  const path = formatPath(segments);
  const owner = context.ownerOf(path);
  const containsSelected = context.selectedBase !== undefined && isWithin(context.selectedBase, path);
  const [open, setOpen] = useState(segments.length < 2);
  const [shown, setShown] = useState(pageSize);
  useEffect(() => {
    if (!containsSelected) return;
    setOpen(true);
    // The selected region may lie past the children shown so far.
    setShown(Number.POSITIVE_INFINITY);
  }, [containsSelected]);
  const classes = `node${owner === undefined ? '' : ` region-${owner % 8}`}${owner !== undefined && owner === context.selected ? ' selected' : ''}`;
  const key = segments[segments.length - 1];

  if (value === null || typeof value !== 'object') {
    return (
      <li class={classes} data-path={path}>
        <span class="key">{label(key)}</span>: <span class="value">{JSON.stringify(value)}</span>{' '}
        <ChunkBadge owner={owner} context={context} />
      </li>
    );
  }
  const entries: [PathSegment, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return (
    <li class={classes} data-path={path}>
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>
          <span class="key">{label(key)}</span> <span class="muted">{summaryOf(value)}</span>{' '}
          <ChunkBadge owner={owner} context={context} />
        </summary>
        {open ? (
          <ul>
            {entries.slice(0, shown).map(([childKey, child]) => (
              <JsonNode
                key={String(childKey)}
                value={child}
                segments={[...segments, childKey]}
                context={context}
              />
            ))}
            {entries.length > shown ? (
              <li>
                <button type="button" class="link" onClick={() => setShown(shown + pageSize)}>
                  Show {Math.min(pageSize, entries.length - shown)} more of {entries.length - shown}
                </button>
              </li>
            ) : null}
          </ul>
        ) : null}
      </details>
    </li>
  );
}

export function JsonTree({ value, context }: { readonly value: unknown; readonly context: TreeContext }) {
  return (
    <ul class="tree" aria-label="Document tree">
      <JsonNode value={value} segments={[]} context={context} />
    </ul>
  );
}
