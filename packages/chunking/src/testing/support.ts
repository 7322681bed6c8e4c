// Checks shared by the tests: the package's guarantees stated as functions over an input and its
// chunks, so that fixture tests and property tests check exactly the same things.
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { jsonPath, type PathSegment } from '../json-path.js';
import type { StringPart } from '../line.js';
import type { Chunk, ChunkResult } from '../types.js';

let reference: Tiktoken | undefined;

/** js-tiktoken itself, the reference every `token_count` must agree with. */
export function referenceTokens(text: string): number {
  reference ??= new Tiktoken(cl100k);
  return reference.encode(text, [], []).length;
}

export interface Leaf {
  readonly path: string;
  readonly value: string | number | boolean | null;
}

/** Every scalar leaf of a JSON value with its JSONPath (iterative: deep inputs are fine). */
export function scalarLeaves(value: unknown): Leaf[] {
  const leaves: Leaf[] = [];
  // Paths are built lazily from parent links: deep inputs would make copied paths quadratic.
  type Entry = { value: unknown; parent: Entry | undefined; segment: PathSegment | undefined };
  const pathOf = (entry: Entry): string => {
    const segments: PathSegment[] = [];
    for (let current: Entry | undefined = entry; current?.segment !== undefined; current = current.parent) {
      segments.push(current.segment);
    }
    return jsonPath(segments.reverse());
  };
  const stack: Entry[] = [{ value, parent: undefined, segment: undefined }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const current = entry.value;
    if (Array.isArray(current)) {
      current.forEach((element, index) => {
        stack.push({ value: element, parent: entry, segment: index });
      });
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, element] of Object.entries(current))
        stack.push({ value: element, parent: entry, segment: key });
    } else {
      leaves.push({
        path: typeof current === 'string' ? pathOf(entry) : '',
        value: current as Leaf['value'],
      });
    }
  }
  return leaves;
}

/** How a leaf is written in chunk text (the contract stated in the README). */
export function renderedLeaf(value: Leaf['value']): string {
  if (typeof value === 'string') return value.length === 0 ? '""' : value;
  return String(value);
}

/**
 * Returns the leaves that appear in no chunk: a leaf counts as present when its rendering is in a
 * chunk's text, or, for a string split into parts, when the parts recorded in `metadata.string_parts`
 * cover it end to end and each part is in the text of the chunk that records it.
 */
export function missingLeaves(input: unknown, chunks: readonly Chunk[]): Leaf[] {
  const texts = chunks.map((chunk) => chunk.text);
  // Fast path for large inputs: the pieces of text between separators. A leaf found among them is
  // certainly in a text; the others are searched for in full.
  const pieces = new Set<string>();
  for (const text of texts) for (const piece of text.split(/\n|: |, | \| |[[\]{}]/)) pieces.add(piece);
  const partsByPath = new Map<string, { part: StringPart; text: string }[]>();
  for (const chunk of chunks) {
    for (const part of (chunk.metadata.string_parts as StringPart[] | undefined) ?? []) {
      const list = partsByPath.get(part.path) ?? [];
      list.push({ part, text: chunk.text });
      partsByPath.set(part.path, list);
    }
  }
  return scalarLeaves(input).filter((leaf) => {
    const rendered = renderedLeaf(leaf.value);
    if (pieces.has(rendered) || texts.some((text) => text.includes(rendered))) return false;
    if (typeof leaf.value !== 'string') return true;
    const parts = (partsByPath.get(leaf.path) ?? []).sort((a, b) => a.part.start - b.part.start);
    let covered = 0;
    for (const { part, text } of parts) {
      if (part.start !== covered || !text.includes(leaf.value.slice(part.start, part.end))) return true;
      covered = part.end;
    }
    return covered !== leaf.value.length;
  });
}

/** Length of `JSON.stringify(value)`, computed without recursion (V8's stringify overflows at depth 5,000). */
export function compactJsonLength(value: unknown): number {
  let length = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      length += 2 + Math.max(0, current.length - 1);
      for (const element of current) stack.push(element);
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      length += 2 + Math.max(0, entries.length - 1);
      for (const [key, element] of entries) {
        length += JSON.stringify(key).length + 1;
        stack.push(element);
      }
    } else {
      length += JSON.stringify(current).length;
    }
  }
  return length;
}

/** Characters of chunk text below the headers. */
export function contentLength(chunks: readonly Chunk[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.text.length - (chunk.metadata.header_length as number), 0);
}

/** Problems with the columns of a result, as readable strings (empty when all is well). */
export function columnProblems(
  result: ChunkResult,
  options: { maxTokens: number; checkTokens?: boolean },
): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const chunk of result.chunks) {
    const where = `${chunk.chunk_id}:`;
    if (ids.has(chunk.chunk_id)) problems.push(`${where} duplicate chunk_id`);
    ids.add(chunk.chunk_id);
    if (chunk.chunk_id.length > 512) problems.push(`${where} chunk_id longer than 512`);
    if (chunk.document_id !== result.document_id) problems.push(`${where} document_id`);
    if (chunk.path !== null && chunk.path.length > 4096) problems.push(`${where} path longer than 4096`);
    if (chunk.content_type.length === 0 || chunk.content_type.length > 100)
      problems.push(`${where} content_type`);
    if (chunk.token_count > options.maxTokens)
      problems.push(`${where} ${chunk.token_count} tokens > ${options.maxTokens}`);
    if (options.checkTokens !== false && chunk.token_count !== referenceTokens(chunk.text)) {
      problems.push(
        `${where} token_count ${chunk.token_count} but js-tiktoken says ${referenceTokens(chunk.text)}`,
      );
    }
    if (chunk.chunk_size !== Buffer.byteLength(chunk.text, 'utf8')) problems.push(`${where} chunk_size`);
    if (!(chunk.semantic_density >= 0 && chunk.semantic_density <= 1))
      problems.push(`${where} semantic_density`);
    if (!(chunk.confidence >= 0 && chunk.confidence <= 1)) problems.push(`${where} confidence`);
    const headerLength = chunk.metadata.header_length;
    if (typeof headerLength !== 'number' || chunk.text[headerLength - 1] !== '\n')
      problems.push(`${where} header_length`);
    else if (chunk.text.slice(0, headerLength - 1).includes('\n'))
      problems.push(`${where} header spans lines`);
    for (const [column, value] of Object.entries(chunk)) {
      if (value === undefined) problems.push(`${where} ${column} is undefined`);
    }
  }
  for (const chunk of result.chunks) {
    if (chunk.parent_chunk_id !== null && !ids.has(chunk.parent_chunk_id))
      problems.push(`${chunk.chunk_id}: unknown parent`);
    const hasChildren = result.chunks.some((other) => other.parent_chunk_id === chunk.chunk_id);
    if (chunk.is_leaf === hasChildren) problems.push(`${chunk.chunk_id}: is_leaf ${chunk.is_leaf}`);
  }
  return problems;
}

/** A deep copy that is also deeply frozen, to prove the chunker never writes to its input. */
export function frozenCopy<T>(value: T): T {
  const copy = structuredClone(value);
  const stack: unknown[] = [copy];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'object' && current !== null) {
      Object.freeze(current);
      for (const child of Object.values(current)) stack.push(child);
    }
  }
  return copy;
}
