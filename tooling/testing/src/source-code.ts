import { readFileSync } from 'node:fs';

/**
 * A module's code without its comments, for tests that check how hot code is written (a form V8
 * compiles badly cannot be caught by a test that times nothing). Strips block and line comments
 * naively: enough for our own modules, which hold no `//` or `/*` inside strings where it matters.
 */
export function codeWithoutComments(file: URL): string {
  const source = readFileSync(file, 'utf8');
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}
