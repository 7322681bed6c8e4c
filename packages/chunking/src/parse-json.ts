// JSON.parse with errors a person can act on: DjeError `INVALID_JSON` naming the line, column and
// position of the problem (taken from the parser's message, or located by `locateJsonError` when
// the message has none) and showing the text around it.
import { type DjeError, invalidJson } from '@dynamic-embeddings/core';
import { locateJsonError } from './locate-json-error.js';

/** Where in a larger text (a stream) the parsed text starts; all 0 for a whole document. */
export interface TextOrigin {
  /** Characters before the text. */
  readonly position: number;
  /** 1-based line of the text's first character. */
  readonly line: number;
  /** 1-based column of the text's first character. */
  readonly column: number;
}

const wholeText: TextOrigin = { position: 0, line: 1, column: 1 };

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}

function positionOf(text: string, error: unknown): number {
  const message = error instanceof Error ? error.message : '';
  const stated = /at position (\d+)/.exec(message);
  if (stated !== null) return Number(stated[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  const located = locateJsonError(text);
  return Math.max(located, 0);
}

/** The DjeError for `text` that JSON.parse rejected with `error`. */
export function invalidJsonError(options: {
  text: string;
  error: unknown;
  source?: string;
  origin?: TextOrigin;
}): DjeError {
  const { text, source } = options;
  const origin = options.origin ?? wholeText;
  const offset = Math.min(positionOf(text, options.error), text.length);
  let line = origin.line;
  let lineStart = -1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at;
  }
  const column = lineStart < 0 ? origin.column + offset : offset - lineStart;
  const position = origin.position + offset;
  const reason = reasonOf(options.error);
  const near = text.slice(Math.max(lineStart + 1, offset - 30), offset + 10).replace(/\s+/g, ' ');
  const where = `${source === undefined ? '' : ` in ${source}`} at line ${line}, column ${column} (position ${position})`;
  return invalidJson(
    `Invalid JSON${where}: ${reason}${near.length > 0 ? ` near \`${near}\`` : ''}. Fix the JSON there and try again.`,
    {
      details: { line, column, position, reason, ...(source === undefined ? {} : { source }) },
      cause: options.error,
    },
  );
}

/**
 * Parses JSON text. Invalid text throws DjeError `INVALID_JSON` (kind `validation`) whose message
 * and `details` give the 1-based line and column and the 0-based character position.
 */
export function parseJson(text: string, options: { source?: string } = {}): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidJsonError({
      text,
      error,
      ...(options.source === undefined ? {} : { source: options.source }),
    });
  }
}
