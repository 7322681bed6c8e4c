// The local provider's hashing loops read characters as `charCodeAt.call(text, at)` and
// `codePointAt.call(word, at)`, never as methods of the string: the method form is a property load
// that V8 compiles as a megamorphic lookup once a loop has seen strings of many representations
// (see fnv1a.ts). Tests never time anything, so this one keeps the method form from coming back.
import { codeWithoutComments } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';

describe('the local provider hot loops', () => {
  it.each(['./fnv1a.ts', './feature-hashing.ts', './lexical-words.ts'])(
    '%s reads characters through the functions',
    (file) => {
      const code = codeWithoutComments(new URL(file, import.meta.url));
      expect(code.match(/\.(charCodeAt|codePointAt)\(/g) ?? []).toEqual([]);
      expect((code.match(/(charCodeAt|codePointAt)\.call\(/g) ?? []).length).toBeGreaterThan(0);
    },
  );
});
