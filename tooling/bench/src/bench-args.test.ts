import { describe, expect, it } from 'vitest';
import { readBenchArgs } from './bench-args.js';

const spec = {
  usage: 'Usage: bench [--rows N] [--mb N] [--seed N] [--only NAME] [--no-publish]',
  numbers: {
    rows: { default: 100 },
    mb: { default: 5.5, fraction: true, min: 0 },
    seed: {},
    duration: { default: 5, fraction: true, max: 120 },
  },
  strings: { only: {}, data: { default: 'mixture' } },
  flags: ['no-publish'],
} as const;

describe('readBenchArgs', () => {
  it('applies defaults, parses given values and flags', () => {
    const result = readBenchArgs(spec, ['--rows', '2000', '--mb=0.25', '--no-publish', '--only', 'x']);
    expect(result).toEqual({
      kind: 'ok',
      values: {
        numbers: { rows: 2000, mb: 0.25, seed: undefined, duration: 5 },
        strings: { only: 'x', data: 'mixture' },
        flags: { 'no-publish': true },
      },
    });
    const defaults = readBenchArgs(spec, []);
    expect(defaults.kind === 'ok' && defaults.values.flags['no-publish']).toBe(false);
  });

  it('answers --help before checking anything else', () => {
    expect(readBenchArgs(spec, ['--rows', 'many', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--rows', '2.5'], "--rows must be a whole number ≥ 1 (got '2.5')"],
    [['--rows', '0'], "--rows must be a whole number ≥ 1 (got '0')"],
    [['--rows', ''], "--rows must be a whole number ≥ 1 (got '')"],
    [['--seed', 'abc'], "--seed must be a whole number ≥ 1 (got 'abc')"],
    [['--mb=-1'], "--mb must be a number ≥ 0 (got '-1')"],
    [['--duration', '121'], "--duration must be a number from 1 to 120 (got '121')"],
    [['--duration', 'Infinity'], "--duration must be a number from 1 to 120 (got 'Infinity')"],
  ])('refuses %j naming the option and its range', (args, message) => {
    expect(readBenchArgs(spec, args)).toEqual({ kind: 'error', message });
  });

  it('refuses an unknown option and a value for a flag', () => {
    const unknown = readBenchArgs(spec, ['--rowz', '3']);
    expect(unknown.kind === 'error' && unknown.message).toMatch(/--rowz/);
    const flagValue = readBenchArgs(spec, ['--no-publish=yes']);
    expect(flagValue.kind).toBe('error');
  });
});
