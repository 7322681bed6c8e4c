// Argument parsers for numeric options: bad values are commander usage errors (exit 2) that name
// the option and the accepted range.
import { InvalidArgumentError } from 'commander';

export function wholeNumber(options: { readonly minimum: number; readonly maximum?: number }) {
  return (value: string): number => {
    const parsed = Number(value);
    const inRange =
      Number.isInteger(parsed) &&
      parsed >= options.minimum &&
      (options.maximum === undefined || parsed <= options.maximum);
    if (!/^\s*\d+\s*$/.test(value) || !inRange) {
      throw new InvalidArgumentError(
        options.maximum === undefined
          ? `Expected a whole number ≥ ${options.minimum}.`
          : `Expected a whole number from ${options.minimum} to ${options.maximum}.`,
      );
    }
    return parsed;
  };
}

export function decimalNumber(options: { readonly minimum: number; readonly maximum: number }) {
  return (value: string): number => {
    const parsed = Number(value);
    if (
      value.trim() === '' ||
      !Number.isFinite(parsed) ||
      parsed < options.minimum ||
      parsed > options.maximum
    ) {
      throw new InvalidArgumentError(`Expected a number from ${options.minimum} to ${options.maximum}.`);
    }
    return parsed;
  };
}

/** For repeatable options: `--filter a=1 --filter b=2` → ['a=1', 'b=2']. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
