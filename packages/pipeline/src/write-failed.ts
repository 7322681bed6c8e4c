import { createError, DjeError } from '@dynamic-embeddings/core';

/**
 * A write the database itself refused (the store validates everything it can beforehand) as a
 * DjeError naming what was being stored and the database's own reason, instead of a driver error
 * whose message is the whole SQL statement. DjeErrors pass through unchanged.
 */
export function writeFailed(error: unknown, what: string): unknown {
  if (DjeError.isInstance(error)) return error;
  return createError({
    code: 'DATABASE_WRITE_FAILED',
    message: `The database refused to store ${what}, and that transaction was rolled back: ${rootMessage(error)}`,
    cause: error,
  });
}

/** The innermost message of an error chain: the database's reason, not the wrapper's. */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
