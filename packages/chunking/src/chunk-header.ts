// The context line that starts every chunk: the document and where in it the chunk is, in words
// (`Document cmp-42 · targeting › geographic · part 2 of 3`). It is kept within its token budget by
// shortening the path and the document id, never by dropping the part or row suffix.

import type { TokenCounter } from '@dynamic-embeddings/tokenizer';
import { oneLine, type PathSegment, pathWords } from './json-path.js';

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

export interface ChunkHeader {
  readonly text: string;
  /** Tokens of `text + '\n'`, as it starts the chunk. */
  readonly tokens: number;
}

function where(segments: readonly PathSegment[], keep: { head: number; tail: number }): string {
  return segments.length === 0 ? '' : ` · ${pathWords(segments, keep)}`;
}

export function chunkHeader(options: {
  documentId: string;
  segments: readonly PathSegment[];
  /** Part or row range, e.g. ` · part 2 of 3`. */
  suffix: string;
  budget: number;
  counter: TokenCounter;
}): ChunkHeader {
  const { segments, suffix, budget, counter } = options;
  const document = oneLine(options.documentId);
  // Shorter and shorter forms until one fits the budget; the last always does.
  for (let form = 0; form < 3; form += 1) {
    const text =
      form === 0
        ? `Document ${truncate(document, 80)}${where(segments, { head: 2, tail: 5 })}${suffix}`
        : form === 1
          ? `Document ${truncate(document, 32)}${where(segments, { head: 1, tail: 2 })}${suffix}`
          : `Document ${truncate(document, 12)}${suffix}`;
    const tokens = counter.countLine(text);
    if (tokens <= budget) return { text, tokens };
  }
  const text = `Document${suffix}`;
  return { text, tokens: counter.countLine(text) };
}
