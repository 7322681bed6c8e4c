// Summary statistics shared by the benchmarks: on a shared machine single runs vary, so benches
// repeat and compare medians.

/** The median of `samples` (the mean of the middle two for an even count); NaN when empty. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
