// Finds the elements of one top-level JSON array in text that arrives in pieces, holding only the
// element being read: it tracks nesting, strings and escapes to see where each element ends, and
// leaves the element's own syntax to JSON.parse. Positions, lines and columns are counted as it
// goes so that errors can point into the whole stream.
import { type DjeError, invalidJson } from '@dynamic-embeddings/core';
import type { TextOrigin } from './parse-json.js';

export interface ScannedElement {
  readonly text: string;
  readonly origin: TextOrigin;
}

export interface ArrayScanner {
  /** Feeds more text; returns the elements completed by it. */
  push(text: string): ScannedElement[];
  /** Signals the end of input; throws if the array is not closed. */
  end(): void;
}

type Phase = 'before' | 'first' | 'value' | 'element' | 'after' | 'done';

export function createArrayScanner(options: { source?: string } = {}): ArrayScanner {
  let phase: Phase = 'before';
  let position = 0;
  let line = 1;
  let column = 1;
  // The element being read.
  let pieces: string[] = [];
  let origin: TextOrigin = { position: 0, line: 1, column: 1 };
  let depth = 0;
  let inString = false;
  let escaped = false;
  let scalar = false;

  const fail = (reason: string): DjeError =>
    invalidJson(
      `Invalid JSON array${options.source === undefined ? '' : ` in ${options.source}`} at line ${line}, column ${column} (position ${position}): ${reason}. Fix the JSON there and try again.`,
      {
        details: {
          line,
          column,
          position,
          reason,
          ...(options.source === undefined ? {} : { source: options.source }),
        },
      },
    );

  const describe = (code: number): string => JSON.stringify(String.fromCharCode(code));

  return {
    push(text: string): ScannedElement[] {
      const completed: ScannedElement[] = [];
      let start = phase === 'element' ? 0 : -1;
      const finish = (endExclusive: number): void => {
        pieces.push(text.slice(start, endExclusive));
        completed.push({ text: pieces.join(''), origin });
        pieces = [];
        start = -1;
        phase = 'after';
      };
      for (let index = 0; index < text.length; index += 1) {
        const code = text.charCodeAt(index);
        if (phase === 'element') {
          if (inString) {
            if (escaped) escaped = false;
            else if (code === 0x5c) escaped = true;
            else if (code === 0x22) {
              inString = false;
              if (depth === 0) {
                finish(index + 1);
              }
            }
          } else if (scalar) {
            if (
              code === 0x2c ||
              code === 0x5d ||
              code === 0x20 ||
              code === 0x0a ||
              code === 0x0d ||
              code === 0x09
            ) {
              finish(index);
              scalar = false;
              // Re-read the delimiter in the `after` phase.
              index -= 1;
              continue;
            }
          } else if (code === 0x22) {
            inString = true;
          } else if (code === 0x7b || code === 0x5b) {
            depth += 1;
          } else if (code === 0x7d || code === 0x5d) {
            depth -= 1;
            if (depth === 0) finish(index + 1);
          }
        } else if (
          code === 0x20 ||
          code === 0x0a ||
          code === 0x0d ||
          code === 0x09 ||
          (code === 0xfeff && position === 0)
        ) {
          // whitespace between tokens
        } else if (phase === 'before') {
          if (code !== 0x5b) throw fail(`expected '[' to start the array, found ${describe(code)}`);
          phase = 'first';
        } else if (phase === 'after') {
          if (code === 0x2c) phase = 'value';
          else if (code === 0x5d) phase = 'done';
          else throw fail(`expected ',' or ']' after an array element, found ${describe(code)}`);
        } else if (phase === 'done') {
          throw fail(`unexpected ${describe(code)} after the end of the array`);
        } else if (code === 0x5d && phase === 'first') {
          phase = 'done';
        } else if (code === 0x5d || code === 0x2c) {
          throw fail(`expected an array element, found ${describe(code)}`);
        } else {
          phase = 'element';
          start = index;
          origin = { position, line, column };
          depth = 0;
          inString = code === 0x22;
          escaped = false;
          scalar = !inString && code !== 0x7b && code !== 0x5b;
          if (code === 0x7b || code === 0x5b) depth = 1;
        }
        position += 1;
        if (code === 0x0a) {
          line += 1;
          column = 1;
        } else {
          column += 1;
        }
      }
      if (phase === 'element' && start >= 0) pieces.push(text.slice(start));
      return completed;
    },
    end(): void {
      if (phase === 'element' && scalar) {
        throw fail("the input ended inside the array (missing ']')");
      }
      if (phase !== 'done')
        throw fail(
          phase === 'before'
            ? 'the input is empty, expected a JSON array'
            : "the input ended before the array was closed with ']'",
        );
    },
  };
}
