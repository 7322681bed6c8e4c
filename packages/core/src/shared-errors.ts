// Factories for the codes that more than one package builds: each code has one factory here, so
// its message shape and details stay the same wherever it is thrown. Messages name no CLI command
// or HTTP route; the apps add those as hints (see error-hints.ts).
import { createError, type DjeError } from './dje-error.js';

type Details = Record<string, unknown>;

/** What a factory with a caller-written message takes besides it. */
export interface ErrorFacts {
  readonly details?: Details;
  readonly cause?: unknown;
}

/** CANCELLED: the work stopped on request; `message` says what was already done. */
export function cancelled(message: string, options: ErrorFacts = {}): DjeError {
  return createError({ code: 'CANCELLED', message, ...options });
}

/** DATABASE_UNAVAILABLE: the database could not be opened, prepared or reached. */
export function databaseUnavailable(message: string, options: ErrorFacts = {}): DjeError {
  return createError({ code: 'DATABASE_UNAVAILABLE', message, ...options });
}

/** INVALID_OPTION: an option of a function or command has a value it cannot take. */
export function invalidOption(message: string, options: ErrorFacts = {}): DjeError {
  return createError({ code: 'INVALID_OPTION', message, ...options });
}

/** INVALID_ENVIRONMENT: `variable` is set to something unusable. */
export function invalidEnvironment(variable: string, message: string): DjeError {
  return createError({ code: 'INVALID_ENVIRONMENT', message, details: { variable } });
}

/** INVALID_JSON: text that should be JSON is not. */
export function invalidJson(message: string, options: ErrorFacts = {}): DjeError {
  return createError({ code: 'INVALID_JSON', message, ...options });
}

/** DIMENSION_MISMATCH: vectors of one size meet a namespace (or a model) of another. */
export function dimensionMismatch(message: string, details: Details): DjeError {
  return createError({ code: 'DIMENSION_MISMATCH', message, details });
}

/** EMBEDDING_MODEL_MISMATCH: vectors of one model meet a namespace made for another. */
export function embeddingModelMismatch(message: string, details: Details): DjeError {
  return createError({ code: 'EMBEDDING_MODEL_MISMATCH', message, details });
}

/** INVALID_DIMENSIONS: a vector size that is not a positive whole number in range. */
export function invalidDimensions(message: string, options: ErrorFacts = {}): DjeError {
  return createError({ code: 'INVALID_DIMENSIONS', message, ...options });
}

/**
 * FILE_NOT_FOUND, NOT_A_FILE or FILE_UNREADABLE for a failed read (or stat) of a file the user
 * named, chosen by the error's errno. `what` names the file ("JSON file"); `advice` follows the
 * not-found sentence.
 */
export function fileReadError(options: {
  readonly path: string;
  readonly error: unknown;
  readonly what: string;
  readonly advice?: string;
}): DjeError {
  const { path, error, what } = options;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT') {
    return createError({
      code: 'FILE_NOT_FOUND',
      message: `No such ${what}: ${path}.${options.advice === undefined ? '' : ` ${options.advice}`}`,
      details: { path },
      cause: error,
    });
  }
  if (errno === 'EISDIR') {
    return createError({
      code: 'NOT_A_FILE',
      message: `${path} is a directory; give a ${what}.`,
      details: { path },
      cause: error,
    });
  }
  return createError({
    code: 'FILE_UNREADABLE',
    message: `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}.`,
    details: { path, errno },
    cause: error,
  });
}

export function namespaceNotFound(namespace: string): DjeError {
  return createError({
    code: 'NAMESPACE_NOT_FOUND',
    message: `Namespace "${namespace}" does not exist.`,
    details: { namespace },
  });
}

export function collectionNotFound(namespace: string, collectionName: string): DjeError {
  return createError({
    code: 'COLLECTION_NOT_FOUND',
    message: `Collection "${collectionName}" has no embeddings in namespace "${namespace}".`,
    details: { namespace, collection_name: collectionName },
  });
}

export function documentNotFound(options: {
  readonly namespace: string;
  readonly documentId: string;
  readonly collectionName?: string | undefined;
}): DjeError {
  const { namespace, documentId, collectionName } = options;
  const where = `namespace "${namespace}"${collectionName === undefined ? '' : `, collection "${collectionName}"`}`;
  return createError({
    code: 'DOCUMENT_NOT_FOUND',
    message: `No document "${documentId}" in ${where}.`,
    details: {
      namespace,
      document_id: documentId,
      ...(collectionName === undefined ? {} : { collection_name: collectionName }),
    },
  });
}

/** CONFIRMATION_REQUIRED: a destructive action was asked for without confirming it. */
export function confirmationRequired(message: string, options: ErrorFacts = {}): DjeError {
  return createError({ code: 'CONFIRMATION_REQUIRED', message, ...options });
}

export function backupNotFound(tableName: string): DjeError {
  return createError({
    code: 'BACKUP_NOT_FOUND',
    message: `No registered backup named ${tableName}.`,
    details: { table_name: tableName },
  });
}
