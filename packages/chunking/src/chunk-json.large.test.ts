// Inputs at the sizes the issue names: deep nesting, wide objects, long arrays, long strings. Each
// must finish without a stack overflow, keep every leaf, and keep every chunk within maxTokens.
import { describe, expect, it } from 'vitest';
import { chunkJson } from './chunk-json.js';
import { columnProblems, compactJsonLength, contentLength, missingLeaves } from './testing/support.js';
import type { ChunkingStrategy } from './types.js';

const strategies: readonly ChunkingStrategy[] = ['flat', 'hierarchical', 'semantic', 'dimensional', 'hybrid'];

function nestedObjects(depth: number): unknown {
  let value: unknown = { leaf: 'bottom', level: depth };
  for (let level = depth - 1; level >= 0; level -= 1) value = { level, next: value };
  return value;
}

function nestedArrays(depth: number): unknown {
  let value: unknown = ['bottom'];
  for (let level = 0; level < depth; level += 1) value = [level, value];
  return value;
}

const wideObject = Object.fromEntries(
  Array.from({ length: 20_000 }, (_, index) => [`key_${index}`, index * 3]),
);
const longArray = Array.from({ length: 50_000 }, (_, index) => (index % 7 === 0 ? `item-${index}` : index));
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const longString = Array.from({ length: 180_000 }, (_, index) => words[index % words.length])
  .join(' ')
  .slice(0, 1_000_000);

const inputs: Record<string, unknown> = {
  '5,000 levels of objects': nestedObjects(5_000),
  '5,000 levels of arrays': nestedArrays(5_000),
  'a 20,000-key object': wideObject,
  'a 50,000-element array': { values: longArray },
  'a 1 MB string': { text: longString },
};

describe.each(Object.entries(inputs))('chunkJson on %s', (_name, input) => {
  it.each(strategies)('with %s keeps every leaf within the token limit', (strategy) => {
    const result = chunkJson(input, { documentId: 'large', strategy });
    expect(missingLeaves(input, result.chunks)).toEqual([]);
    expect(columnProblems(result, { maxTokens: 512, checkTokens: false })).toEqual([]);
    expect(contentLength(result.chunks)).toBeLessThanOrEqual(1.6 * compactJsonLength(input));
  });
});
