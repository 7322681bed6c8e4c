export {
  createError,
  DjeError,
  type DjeErrorOptions,
  exitCodeOf,
  httpStatusOf,
} from './dje-error.js';
export { type ErrorCode, errorCatalog, isErrorCode } from './error-catalog.js';
export { type HintPhrasing, hintFor, withHint } from './error-hints.js';
export { type ErrorKind, exitCodes, httpStatuses } from './error-kind.js';
export {
  backupNotFound,
  cancelled,
  collectionNotFound,
  confirmationRequired,
  databaseUnavailable,
  dimensionMismatch,
  documentNotFound,
  type ErrorFacts,
  embeddingModelMismatch,
  fileReadError,
  invalidDimensions,
  invalidEnvironment,
  invalidJson,
  invalidOption,
  namespaceNotFound,
} from './shared-errors.js';
export { wholeNumberOption } from './whole-number-option.js';
