// Collection names are checked before any chunking or embedding, so a name the table cannot hold
// fails at once and costs no provider calls. (Document ids are checked by the chunker.)
import { createError } from '@dynamic-embeddings/core';
import { VARCHAR_LIMITS } from '@dynamic-embeddings/db';

/** Length of the collection_name column, from the namespace schema. */
export const MAX_COLLECTION_NAME_LENGTH = VARCHAR_LIMITS.collection_name as number;

export function validateCollectionName(value: unknown): string {
  const label = 'collection name';
  const maxLength = MAX_COLLECTION_NAME_LENGTH;
  const problem =
    typeof value !== 'string'
      ? `must be a string, got ${value === null ? 'null' : typeof value}`
      : value.trim() === ''
        ? 'must not be empty'
        : value.length > maxLength
          ? `is ${value.length} characters long; the limit is ${maxLength}`
          : undefined;
  if (problem === undefined) return value as string;
  throw createError({
    code: 'INVALID_COLLECTION_NAME',
    message: `The ${label} ${problem}. Give a non-empty ${label} of at most ${maxLength} characters.`,
    details: { value: typeof value === 'string' ? value.slice(0, 80) : value, limit: maxLength },
  });
}
