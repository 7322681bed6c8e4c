// Collection names are checked before any chunking or embedding, so a name the table cannot hold
// fails at once and costs no provider calls. (Document ids are checked by the chunker.)
import { DjeError } from '@dynamic-embeddings/core';

/** Length of the collection_name column. */
export const MAX_COLLECTION_NAME_LENGTH = 255;

function checkName(options: {
  readonly value: unknown;
  readonly code: string;
  readonly label: string;
  readonly maxLength: number;
}): string {
  const { value, code, label, maxLength } = options;
  const problem =
    typeof value !== 'string'
      ? `must be a string, got ${value === null ? 'null' : typeof value}`
      : value.trim() === ''
        ? 'must not be empty'
        : value.length > maxLength
          ? `is ${value.length} characters long; the limit is ${maxLength}`
          : undefined;
  if (problem === undefined) return value as string;
  throw new DjeError({
    code,
    kind: 'validation',
    message: `The ${label} ${problem}. Give a non-empty ${label} of at most ${maxLength} characters.`,
    details: { value: typeof value === 'string' ? value.slice(0, 80) : value, limit: maxLength },
  });
}

export function validateCollectionName(collectionName: unknown): string {
  return checkName({
    value: collectionName,
    code: 'INVALID_COLLECTION_NAME',
    label: 'collection name',
    maxLength: MAX_COLLECTION_NAME_LENGTH,
  });
}
