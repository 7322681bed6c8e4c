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
  return new StreamingArrayScanner(options.source);
}

const describe = (code: number): string => JSON.stringify(String.fromCharCode(code));

class StreamingArrayScanner implements ArrayScanner {
  private readonly source: string | undefined;
  private phase: Phase = 'before';
  private position = 0;
  private line = 1;
  private column = 1;
  // The element being read.
  private pieces: string[] = [];
  private origin: TextOrigin = { position: 0, line: 1, column: 1 };
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;

  constructor(source: string | undefined) {
    this.source = source;
  }

  push(text: string): ScannedElement[] {
    const completed: ScannedElement[] = [];
    let start = this.phase === 'element' ? 0 : -1;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (this.phase === 'element') {
        const end = this.elementEnd(code, index);
        if (end >= 0) {
          this.pieces.push(text.slice(start, end));
          completed.push({ text: this.pieces.join(''), origin: this.origin });
          this.pieces = [];
          start = -1;
          this.phase = 'after';
          // A scalar ends before its delimiter: re-read the delimiter in the `after` phase.
          if (end === index) {
            index -= 1;
            continue;
          }
        }
      } else if (this.startsElement(code)) {
        start = index;
      }
      this.position += 1;
      if (code === 0x0a) {
        this.line += 1;
        this.column = 1;
      } else {
        this.column += 1;
      }
    }
    if (this.phase === 'element' && start >= 0) this.pieces.push(text.slice(start));
    return completed;
  }

  end(): void {
    if (this.phase === 'element' && this.scalar) {
      throw this.fail("the input ended inside the array (missing ']')");
    }
    if (this.phase !== 'done')
      throw this.fail(
        this.phase === 'before'
          ? 'the input is empty, expected a JSON array'
          : "the input ended before the array was closed with ']'",
      );
  }

  /** Reads one character of the element; returns where the element ends (exclusive) if here, else -1. */
  private elementEnd(code: number, index: number): number {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (code === 0x5c) this.escaped = true;
      else if (code === 0x22) {
        this.inString = false;
        if (this.depth === 0) return index + 1;
      }
    } else if (this.scalar) {
      if (
        code === 0x2c ||
        code === 0x5d ||
        code === 0x20 ||
        code === 0x0a ||
        code === 0x0d ||
        code === 0x09
      ) {
        this.scalar = false;
        return index;
      }
    } else if (code === 0x22) {
      this.inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      this.depth += 1;
    } else if (code === 0x7d || code === 0x5d) {
      this.depth -= 1;
      if (this.depth === 0) return index + 1;
    }
    return -1;
  }

  /** Reads one character between elements (the array's own syntax); true when an element starts. */
  private startsElement(code: number): boolean {
    const phase = this.phase;
    if (
      code === 0x20 ||
      code === 0x0a ||
      code === 0x0d ||
      code === 0x09 ||
      (code === 0xfeff && this.position === 0)
    ) {
      // whitespace between tokens
    } else if (phase === 'before') {
      if (code !== 0x5b) throw this.fail(`expected '[' to start the array, found ${describe(code)}`);
      this.phase = 'first';
    } else if (phase === 'after') {
      if (code === 0x2c) this.phase = 'value';
      else if (code === 0x5d) this.phase = 'done';
      else throw this.fail(`expected ',' or ']' after an array element, found ${describe(code)}`);
    } else if (phase === 'done') {
      throw this.fail(`unexpected ${describe(code)} after the end of the array`);
    } else if (code === 0x5d && phase === 'first') {
      this.phase = 'done';
    } else if (code === 0x5d || code === 0x2c) {
      throw this.fail(`expected an array element, found ${describe(code)}`);
    } else {
      this.phase = 'element';
      this.origin = { position: this.position, line: this.line, column: this.column };
      this.inString = code === 0x22;
      this.escaped = false;
      this.scalar = !this.inString && code !== 0x7b && code !== 0x5b;
      this.depth = code === 0x7b || code === 0x5b ? 1 : 0;
      return true;
    }
    return false;
  }

  private fail(reason: string): DjeError {
    const { source, line, column, position } = this;
    return invalidJson(
      `Invalid JSON array${source === undefined ? '' : ` in ${source}`} at line ${line}, column ${column} (position ${position}): ${reason}. Fix the JSON there and try again.`,
      {
        details: {
          line,
          column,
          position,
          reason,
          ...(source === undefined ? {} : { source }),
        },
      },
    );
  }
}
