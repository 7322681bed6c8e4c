import { throwIfCancelled } from './cancellation.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';

export interface MapBoundedOptions<Item, Result> {
  readonly items: readonly Item[];
  readonly limiter: ConcurrencyLimiter;
  readonly signal?: AbortSignal | undefined;
  /** Receives a signal that also aborts when a sibling task fails, so the work stops early. */
  readonly task: (item: Item, index: number, signal: AbortSignal) => Promise<Result>;
}

/**
 * Maps items through an async task under a concurrency limiter, keeping input order. The first
 * failure wins: the other tasks are aborted and the returned promise rejects with that failure.
 */
export async function mapBounded<Item, Result>(options: MapBoundedOptions<Item, Result>): Promise<Result[]> {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let first: { error: unknown } | undefined;
  try {
    return await Promise.all(
      options.items.map((item, index) =>
        options.limiter.run(async () => {
          try {
            throwIfCancelled(signal);
            return await options.task(item, index, signal);
          } catch (error) {
            // Abort here, before the limiter hands this slot to a waiting task, so none starts.
            first ??= { error };
            controller.abort();
            throw error;
          }
        }),
      ),
    );
  } catch (error) {
    // Aborted siblings reject with CANCELLED, possibly before the failure that aborted them.
    throw first ? first.error : error;
  }
}
