// Bounds concurrent embedding work. A few requests run, a bounded number wait in line, and the
// rest are refused at once with 503 + Retry-After: under overload a fast, explicit "try again"
// beats an unbounded queue whose requests would all time out anyway.
import { HttpError } from './http-error.js';

export interface WorkLimiter {
  /** Runs `work` when a slot is free; rejects with SERVER_BUSY when the queue is full, or if `signal` aborts while waiting. */
  run<Result>(signal: AbortSignal, work: () => Promise<Result>): Promise<Result>;
  /** Requests running now. */
  readonly running: number;
  /** Requests waiting for a slot. */
  readonly waiting: number;
}

export interface WorkLimiterOptions {
  readonly concurrency: number;
  readonly queue: number;
}

interface Waiter {
  readonly start: () => void;
}

export function createWorkLimiter(options: WorkLimiterOptions): WorkLimiter {
  let running = 0;
  const queue: Waiter[] = [];

  const release = () => {
    const next = queue.shift();
    if (next === undefined) running -= 1;
    else next.start();
  };

  const acquire = (signal: AbortSignal): Promise<void> => {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (running < options.concurrency) {
      running += 1;
      return Promise.resolve();
    }
    if (queue.length >= options.queue) {
      return Promise.reject(
        new HttpError({
          code: 'SERVER_BUSY',
          status: 503,
          message: `The server is busy: ${options.concurrency} embedding requests are running and ${options.queue} are waiting. Retry after a second.`,
          details: { running: options.concurrency, waiting: options.queue },
          headers: { 'Retry-After': '1' },
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
    });
  };

  return {
    async run(signal, work) {
      await acquire(signal);
      try {
        return await work();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
