// Validation of numeric options shared by every package: one error code and message for all.
import { invalidOption } from './shared-errors.js';

/** Returns `value` (or `fallback` when undefined) if it is a whole number ≥ `minimum`; else a usage error. */
export function wholeNumberOption(options: {
  name: string;
  value: number | undefined;
  fallback: number;
  minimum: number;
}): number {
  const value = options.value ?? options.fallback;
  if (!Number.isInteger(value) || value < options.minimum) {
    throw invalidOption(
      `${options.name} must be a whole number of at least ${options.minimum}, got ${String(options.value)}.`,
      { details: { option: options.name, value: options.value } },
    );
  }
  return value;
}
