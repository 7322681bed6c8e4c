// Chunk ids: readable (`campaigns/cmp-42#$.targeting~2`), stable for the same content, unique
// within a document by construction (a JSONPath names one place) and across documents and
// collections because both are part of the id. Ids longer than the column allows end in a hash.
import { createHash } from 'node:crypto';

/** Longest id the `chunk_id` column stores (varchar(512)). */
export const maxChunkIdLength = 512;
const keptPrefix = 200;

/** `%`, `#` and `/` are the id's separators, so they are percent-escaped inside its parts. */
function escapePart(text: string): string {
  return text.replace(/[%#/]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The part of every chunk id of a document before its `#`: `<collection>/<document>`, escaped. */
export function chunkIdOwner(options: { collectionName: string | undefined; documentId: string }): string {
  return (
    (options.collectionName === undefined ? '' : `${escapePart(options.collectionName)}/`) +
    escapePart(options.documentId)
  );
}

/** The id of the chunk at `locator` (a JSONPath, `~n` for the n-th chunk of a region). */
export function chunkId(owner: string, locator: string): string {
  const id = `${owner}#${locator}`;
  if (id.length <= maxChunkIdLength) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 40);
  return `${owner.slice(0, keptPrefix)}#~${hash}`;
}
