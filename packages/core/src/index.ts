export {
  DjeError,
  type DjeErrorOptions,
  type ErrorKind,
  exitCodeOf,
  exitCodes,
  httpStatusOf,
} from './dje-error.js';
export { wholeNumberOption } from './whole-number-option.js';
