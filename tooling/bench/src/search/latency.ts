// Latency percentiles and throughput of a query workload run at a fixed concurrency.
import { performance } from 'node:perf_hooks';

/**
 * The p-th percentile (0–100) by linear interpolation between the closest ranks (the definition
 * NumPy and spreadsheets use by default). NaN for no samples.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (rank - lower);
}

export interface LatencySummary {
  readonly count: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  /** Completed operations per second of wall time. */
  readonly qps: number;
}

/** Percentiles of per-operation latencies plus throughput over the wall time of the whole run. */
export function summarizeLatencies(latenciesMs: readonly number[], wallMs: number): LatencySummary {
  const count = latenciesMs.length;
  return {
    count,
    p50: percentile(latenciesMs, 50),
    p95: percentile(latenciesMs, 95),
    p99: percentile(latenciesMs, 99),
    mean: count === 0 ? Number.NaN : latenciesMs.reduce((sum, value) => sum + value, 0) / count,
    qps: wallMs > 0 ? (count * 1000) / wallMs : Number.NaN,
  };
}

export interface ConcurrentRun<Result> {
  /** Results in the order of the inputs. */
  readonly results: Result[];
  /** Milliseconds per operation, in the order of the inputs. */
  readonly latenciesMs: number[];
  readonly wallMs: number;
}

/**
 * Runs `operation` once per input with at most `concurrency` in flight (workers take the next input
 * as soon as they finish one, as a connection pool would), timing each operation and the whole run.
 */
export async function runConcurrently<Input, Result>(options: {
  readonly inputs: readonly Input[];
  readonly concurrency: number;
  readonly operation: (input: Input, index: number) => Promise<Result>;
}): Promise<ConcurrentRun<Result>> {
  const { inputs, concurrency, operation } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  const results = new Array<Result>(inputs.length);
  const latenciesMs = new Array<number>(inputs.length).fill(0);
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < inputs.length) {
      const index = nextIndex;
      nextIndex += 1;
      const started = performance.now();
      results[index] = await operation(inputs[index]!, index);
      latenciesMs[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  return { results, latenciesMs, wallMs: performance.now() - started };
}
