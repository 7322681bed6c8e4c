// The counter's hot loops read characters as `charCodeAt.call(text, at)`, never `text.charCodeAt(at)`:
// the property form let V8 compile a megamorphic lookup and a generic call per character once the
// loops had seen strings of many representations, and counting then took over twice as long (see
// the comment on `charCodeAt` in cl100k-pieces.ts). Tests never time anything, so this one keeps
// the form from coming back unnoticed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** A module's code without its comments. */
function codeOf(file: string): string {
  const source = readFileSync(new URL(file, import.meta.url), 'utf8');
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

describe('the token counter hot loops', () => {
  it.each(['./cl100k-pieces.ts', './token-counter.ts'])(
    '%s reads characters through the function',
    (file) => {
      const code = codeOf(file);
      expect(code.match(/\.charCodeAt\(/g) ?? []).toEqual([]);
      expect(code).toContain('const charCodeAt = String.prototype.charCodeAt;');
      expect((code.match(/charCodeAt\.call\(/g) ?? []).length).toBeGreaterThan(0);
    },
  );
});
