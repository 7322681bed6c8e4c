// The counter's hot loops read characters as `charCodeAt.call(text, at)`, never `text.charCodeAt(at)`:
// the property form let V8 compile a megamorphic lookup and a generic call per character once the
// loops had seen strings of many representations, and counting then took over twice as long (see
// the comment on `charCodeAt` in cl100k-pieces.ts). Tests never time anything, so this one keeps
// the form from coming back unnoticed.
import { codeWithoutComments } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';

describe('the token counter hot loops', () => {
  it.each(['./cl100k-pieces.ts', './token-counter.ts'])(
    '%s reads characters through the function',
    (file) => {
      const code = codeWithoutComments(new URL(file, import.meta.url));
      expect(code.match(/\.charCodeAt\(/g) ?? []).toEqual([]);
      expect(code).toContain('const charCodeAt = String.prototype.charCodeAt;');
      expect((code.match(/charCodeAt\.call\(/g) ?? []).length).toBeGreaterThan(0);
    },
  );
});
