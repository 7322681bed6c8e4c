// Unicode property classes of every UTF-16 code unit, read by the hand-written scanners here and in
// the local provider (`@dynamic-embeddings/embeddings`) instead of matching `\p{…}` expressions
// character by character, which V8's regex engine does slowly.

/**
 * A table of `kind` bits for the 65,536 code units: each class (a pattern matching one code point,
 * with the `u` flag, such as `/\p{Lu}/u`) adds its bit to every code point of the Basic
 * Multilingual Plane it matches. Found as runs over one string of the whole plane, with surrogates
 * stood in for by NUL (which is in no letter, number or space class): one regex scan per class
 * instead of a test per code unit, which took ~20–35 ms of a fresh process. Surrogate entries are
 * 0 unless a class matches NUL. Code points outside the BMP can be tested with the same patterns.
 */
export function bmpClassTable(classes: readonly (readonly [pattern: RegExp, kind: number])[]): Uint8Array {
  const codes = new Uint16Array(65_536);
  for (let code = 0; code < 65_536; code += 1) codes[code] = code >= 0xd800 && code <= 0xdfff ? 0 : code;
  const all = new TextDecoder('utf-16le').decode(codes);
  const table = new Uint8Array(65_536);
  for (const [pattern, kind] of classes) {
    const runs = new RegExp(`(?:${pattern.source})+`, 'gu');
    for (let match = runs.exec(all); match !== null; match = runs.exec(all)) {
      const end = match.index + match[0].length;
      for (let at = match.index; at < end; at += 1) table[at]! |= kind;
    }
  }
  return table;
}
