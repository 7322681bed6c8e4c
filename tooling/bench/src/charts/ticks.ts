// Axis ticks at "nice" round values (1, 2 or 5 times a power of ten) covering a data range.

export interface Ticks {
  /** Axis start, a tick at or below the data minimum. */
  readonly min: number;
  /** Axis end, a tick at or above the data maximum. */
  readonly max: number;
  readonly values: readonly number[];
}

function niceStep(roughStep: number): number {
  const power = 10 ** Math.floor(Math.log10(roughStep));
  const fraction = roughStep / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** About `count` ticks spanning [min, max]; a zero-width range is widened so it still has an axis. */
export function niceTicks(min: number, max: number, count = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError('tick range must be finite');
  let low = Math.min(min, max);
  let high = Math.max(min, max);
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const step = niceStep((high - low) / Math.max(1, count));
  const start = Math.floor(low / step) * step;
  const end = Math.ceil(high / step) * step;
  const values: number[] = [];
  // Rounding to the step's precision keeps 0.30000000000000004 out of the labels.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let value = start; value <= end + step / 2; value += step)
    values.push(Number(value.toFixed(decimals)));
  return { min: values[0] ?? start, max: values[values.length - 1] ?? end, values };
}
