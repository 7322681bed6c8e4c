// Which chunk covers which node of a JSON document, from the chunks' paths: `$.a.b` covers that
// node and everything under it, `$.list[2:5]` covers elements 2–4 of the list. The most specific
// (deepest) covering chunk owns a node. Paths are written as the chunker writes them.

/** One step of a node's path: an object key or an array index. */
export type PathSegment = string | number;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The path of a node as the chunker writes it: `$`, `.key`, `["odd key"]`, `[0]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += identifier.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return path;
}

interface Region {
  /** The covered node's path, without a trailing slice. */
  readonly base: string;
  /** Elements [start, end) of the array at `base`, for a slice path. */
  readonly slice?: readonly [number, number];
  readonly depth: number;
}

export function regionOf(path: string): Region {
  const slice = /\[(\d+):(\d+)\]$/.exec(path);
  if (slice === null) return { base: path, depth: path.length };
  return {
    base: path.slice(0, slice.index),
    slice: [Number(slice[1]), Number(slice[2])],
    depth: path.length,
  };
}

/** Whether `path` (a node's path) starts with `base` at a segment boundary. */
export function isWithin(path: string, base: string): boolean {
  if (!path.startsWith(base)) return false;
  const next = path[base.length];
  return next === undefined || next === '.' || next === '[';
}

function covers(region: Region, path: string): boolean {
  if (region.slice === undefined) return isWithin(path, region.base);
  if (!path.startsWith(`${region.base}[`)) return false;
  const index = /^\[(\d+)\]/.exec(path.slice(region.base.length));
  if (index === null) return false;
  const element = Number(index[1]);
  return element >= region.slice[0] && element < region.slice[1];
}

/** For each node path asked about, the index of the chunk owning it (undefined when none covers it). */
export function createRegionLookup(
  chunkPaths: readonly (string | null)[],
): (path: string) => number | undefined {
  const regions = chunkPaths.map((path) => regionOf(path ?? '$'));
  return (path) => {
    let owner: number | undefined;
    regions.forEach((region, index) => {
      if (!covers(region, path)) return;
      if (owner === undefined || region.depth > regions[owner]!.depth) owner = index;
    });
    return owner;
  };
}
