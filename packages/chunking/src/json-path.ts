// JSONPath-like locations: `$.targeting.geographic.countries[0]`, `$["key with space"]`, and the
// same paths in words for chunk headers (`targeting › geographic › countries › item 0`).
import { createHash } from 'node:crypto';

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One segment in JSONPath syntax; `first` omits the dot of a leading key (relative paths). */
export function formatSegment(segment: PathSegment, first = false): string {
  if (typeof segment === 'number') return `[${segment}]`;
  if (identifier.test(segment)) return first ? segment : `.${segment}`;
  return `[${JSON.stringify(segment)}]`;
}

/** `$` followed by the segments. */
export function jsonPath(segments: readonly PathSegment[]): string {
  return appendPath('$', segments);
}

/** A path extended by more segments (`$.a` + [`b`, 0] → `$.a.b[0]`). */
export function appendPath(path: string, segments: readonly PathSegment[]): string {
  let extended = path;
  for (const segment of segments) extended += formatSegment(segment);
  return extended;
}

/** The segments without `$`, for paths relative to a chunk's root (`geographic.countries`). */
export function relativePath(segments: readonly PathSegment[]): string {
  let path = '';
  for (let index = 0; index < segments.length; index += 1)
    path += formatSegment(segments[index]!, index === 0);
  return path;
}

/** Longest `path` the namespace table stores (varchar(4096)). */
export const maxPathLength = 4096;

/**
 * A path that fits the `path` column: longer paths keep their start and end a hash of the whole
 * path, so different long paths stay different and the same path always shortens the same way.
 */
export function storablePath(path: string): string {
  if (path.length <= maxPathLength) return path;
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 32);
  return `${path.slice(0, maxPathLength - hash.length - 2)}…#${hash}`;
}

const maxWordSegment = 40;
const headSegments = 2;
const tailSegments = 5;

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** Control characters would break the one-line header; they become spaces. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

function segmentWords(segment: PathSegment): string {
  return typeof segment === 'number'
    ? `item ${segment}`
    : truncate(oneLine(segment), maxWordSegment) || '(empty key)';
}

/**
 * A path in words for a chunk header. Long paths keep their first and last segments, so the header
 * stays short however deep the JSON is.
 */
export function pathWords(
  segments: readonly PathSegment[],
  keep: { head: number; tail: number } = { head: headSegments, tail: tailSegments },
): string {
  if (segments.length <= keep.head + keep.tail + 1) return segments.map(segmentWords).join(' › ');
  const head = segments.slice(0, keep.head).map(segmentWords);
  const tail = segments.slice(segments.length - keep.tail).map(segmentWords);
  return [...head, `… (${segments.length - keep.head - keep.tail} levels) …`, ...tail].join(' › ');
}
