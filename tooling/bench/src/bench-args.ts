// Command-line options of the benchmarks: node:util parseArgs does the parsing; this adds what every
// bench needs on top of it and would otherwise write again (--help, numbers checked against their
// range with an error that names the option, the usage on a mistake).
import { parseArgs } from 'node:util';

/** A numeric option: a whole number unless `fraction` is set, within [min, max] (min defaults to 1). */
export interface NumberOption {
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly fraction?: boolean;
}

export interface BenchArgsSpec {
  readonly usage: string;
  readonly numbers: Readonly<Record<string, NumberOption>>;
  readonly strings?: Readonly<Record<string, { readonly default?: string }>>;
  readonly flags?: readonly string[];
}

/** What a spec parses to: numbers and strings with a default are always set. */
export interface BenchArgs<Spec extends BenchArgsSpec> {
  readonly numbers: {
    readonly [K in keyof Spec['numbers']]: Spec['numbers'][K] extends { readonly default: number }
      ? number
      : number | undefined;
  };
  readonly strings: {
    readonly [K in keyof NonNullable<Spec['strings']>]: NonNullable<Spec['strings']>[K] extends {
      readonly default: string;
    }
      ? string
      : string | undefined;
  };
  readonly flags: Readonly<Record<NonNullable<Spec['flags']>[number], boolean>>;
}

export type BenchArgsResult<R> =
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'ok'; readonly values: R };

function describeRange(name: string, option: NumberOption): string {
  const kind = option.fraction === true ? 'a number' : 'a whole number';
  const min = option.min ?? 1;
  const range = option.max === undefined ? `≥ ${min}` : `from ${min} to ${option.max}`;
  return `--${name} must be ${kind} ${range}`;
}

function readNumber(
  name: string,
  option: NumberOption,
  raw: string | undefined,
): number | string | undefined {
  if (raw === undefined) return option.default;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const valid =
    Number.isFinite(value) &&
    (option.fraction === true || Number.isInteger(value)) &&
    value >= (option.min ?? 1) &&
    (option.max === undefined || value <= option.max);
  return valid ? value : `${describeRange(name, option)} (got '${raw}')`;
}

/** Parses `args` against `spec`; never exits, so it can be tested. Unknown options are errors. */
export function readBenchArgs<const Spec extends BenchArgsSpec>(
  spec: Spec,
  args: readonly string[],
): BenchArgsResult<BenchArgs<Spec>> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const name of Object.keys(spec.numbers)) options[name] = { type: 'string' };
  for (const name of Object.keys(spec.strings ?? {})) options[name] = { type: 'string' };
  for (const name of spec.flags ?? []) options[name] = { type: 'boolean' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...args], options, strict: true }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help === true) return { kind: 'help' };
  const numbers: Record<string, number | undefined> = {};
  for (const [name, option] of Object.entries<NumberOption>(spec.numbers)) {
    const value = readNumber(name, option, values[name] as string | undefined);
    if (typeof value === 'string') return { kind: 'error', message: value };
    numbers[name] = value;
  }
  const strings: Record<string, string | undefined> = {};
  for (const [name, option] of Object.entries<{ readonly default?: string }>(spec.strings ?? {})) {
    strings[name] = (values[name] as string | undefined) ?? option.default;
  }
  const flags: Record<string, boolean> = {};
  for (const name of spec.flags ?? []) flags[name] = values[name] === true;
  return { kind: 'ok', values: { numbers, strings, flags } as unknown as BenchArgs<Spec> };
}

/**
 * The bench's options from process.argv: prints the usage and exits 0 on --help; prints the
 * problem and the usage to stderr and exits 2 on a mistake.
 */
export function benchArgs<const Spec extends BenchArgsSpec>(spec: Spec): BenchArgs<Spec> {
  const result = readBenchArgs(spec, process.argv.slice(2));
  if (result.kind === 'help') {
    console.log(spec.usage);
    process.exit(0);
  }
  if (result.kind === 'error') {
    console.error(`${result.message}\n\n${spec.usage}`);
    process.exit(2);
  }
  return result.values;
}
