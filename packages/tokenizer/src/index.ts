export {
  countTokens,
  invalidEncoding,
  type TokenCounter,
  type TokenEncoding,
  tokenCounter,
  tokenEncodings,
} from './token-counter.js';
export { bmpClassTable } from './unicode-classes.js';
