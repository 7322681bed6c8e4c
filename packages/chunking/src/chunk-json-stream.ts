// Chunking a stream of documents in bounded memory: NDJSON (one document per line) or one top-level
// JSON array, detected from the first non-whitespace character. Only the document being read is
// held; each document's chunks are yielded before the next one is parsed.
import { checkChunkOptions, checkDocumentId, chunkJson } from './chunk-json.js';
import { createArrayScanner, type ScannedElement } from './json-array-scanner.js';
import { invalidJsonError } from './parse-json.js';
import type { ChunkOptions, ChunkResult } from './types.js';

/** Options of `chunkJsonStream`: those of `chunkJson`, with document ids made per document. */
export interface ChunkStreamOptions extends Omit<ChunkOptions, 'documentId'> {
  /**
   * Id of each document. Default: the document's `id`, `_id` or `document_id` field (first present,
   * a non-empty string or a finite number), else `doc-${index}` with the 0-based index in the stream.
   */
  readonly documentId?: (document: unknown, index: number) => string;
  /** `auto` (default): a stream whose first non-whitespace character is `[` is one JSON array, anything else NDJSON. */
  readonly format?: 'auto' | 'ndjson' | 'array';
  /** Name of the input for error messages (a file name). */
  readonly source?: string;
}

const idFields = ['id', '_id', 'document_id'] as const;

/** The default document id: see `ChunkStreamOptions.documentId`. */
export function defaultDocumentId(document: unknown, index: number): string {
  return documentIdField(document) ?? `doc-${index}`;
}

/** The document's own id: its first non-empty `id`, `_id` or `document_id` (string or finite number). */
export function documentIdField(document: unknown): string | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  for (const field of idFields) {
    const value = (document as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

interface Splitter {
  push(text: string): ScannedElement[];
  end(): ScannedElement[];
}

function ndjsonSplitter(): Splitter {
  // The current line's pieces: a long line arriving in many pieces is joined once, not re-scanned.
  let pieces: string[] = [];
  let lineStart = 0;
  let position = 0;
  let line = 1;
  const emit = (documents: ScannedElement[]): void => {
    const joined = pieces.join('');
    const content = joined.endsWith('\r') ? joined.slice(0, -1) : joined;
    if (content.trim().length > 0)
      documents.push({ text: content, origin: { position: lineStart, line, column: 1 } });
    pieces = [];
  };
  return {
    push(text) {
      const documents: ScannedElement[] = [];
      let from = 0;
      for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
        pieces.push(text.slice(from, newline));
        emit(documents);
        position += newline - from + 1;
        from = newline + 1;
        lineStart = position;
        line += 1;
      }
      if (from < text.length) {
        pieces.push(text.slice(from));
        position += text.length - from;
      }
      return documents;
    },
    end() {
      const documents: ScannedElement[] = [];
      if (pieces.length > 0) emit(documents);
      return documents;
    },
  };
}

function arraySplitter(source: string | undefined): Splitter {
  const scanner = createArrayScanner(source === undefined ? {} : { source });
  return {
    push: (text) => scanner.push(text),
    end: () => {
      scanner.end();
      return [];
    },
  };
}

/**
 * Chunks every document of an NDJSON stream or of a top-level JSON array, yielding one document's
 * `ChunkResult` at a time. Memory stays bounded by the largest single document. Invalid JSON throws
 * DjeError `INVALID_JSON` with the line, column and position in the stream; documents before it
 * have already been yielded.
 */
export async function* chunkJsonStream(
  source: AsyncIterable<string | Uint8Array>,
  options: ChunkStreamOptions = {},
): AsyncGenerator<ChunkResult> {
  const checked = checkChunkOptions(options);
  const documentIdOf = options.documentId ?? defaultDocumentId;
  const chunkOptions = {
    strategy: checked.strategy,
    config: checked.config,
    maxTokens: checked.maxTokens,
    encoding: checked.encoding,
    ...(options.collectionName === undefined ? {} : { collectionName: options.collectionName }),
  };
  const decoder = new TextDecoder('utf-8');
  let splitter: Splitter | undefined;
  let leading = '';
  let index = 0;

  const parse = (element: ScannedElement): ChunkResult => {
    let document: unknown;
    try {
      document = JSON.parse(element.text);
    } catch (error) {
      throw invalidJsonError({
        text: element.text,
        error,
        origin: element.origin,
        ...(options.source === undefined ? {} : { source: options.source }),
      });
    }
    const documentId = checkDocumentId(documentIdOf(document, index));
    index += 1;
    return chunkJson(document, { ...chunkOptions, documentId });
  };

  const feed = (text: string): ScannedElement[] => {
    if (splitter === undefined) {
      // Wait for the first non-whitespace character to pick the format.
      leading += text;
      const first = /[^\s\uFEFF]/.exec(leading);
      if (first === null) return [];
      const format = options.format ?? 'auto';
      const isArray = format === 'array' || (format === 'auto' && first[0] === '[');
      splitter = isArray ? arraySplitter(options.source) : ndjsonSplitter();
      const buffered = leading;
      leading = '';
      return splitter.push(buffered);
    }
    return splitter.push(text);
  };

  for await (const piece of source) {
    const text =
      typeof piece === 'string' ? decoder.decode() + piece : decoder.decode(piece, { stream: true });
    for (const element of feed(text)) yield parse(element);
  }
  const tail = decoder.decode();
  const remaining = [
    ...feed(tail),
    ...(splitter ?? (options.format === 'array' ? arraySplitter(options.source) : ndjsonSplitter())).end(),
  ];
  for (const element of remaining) yield parse(element);
}
