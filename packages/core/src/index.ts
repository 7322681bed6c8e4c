export {
  createError,
  DjeError,
  type DjeErrorOptions,
  exitCodeOf,
  httpStatusOf,
  type LegacyDjeErrorOptions,
} from './dje-error.js';
export { type ErrorCode, errorCatalog, isErrorCode } from './error-catalog.js';
export { type ErrorKind, exitCodes, httpStatuses } from './error-kind.js';
export { wholeNumberOption } from './whole-number-option.js';
