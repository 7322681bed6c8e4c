import { DjeError } from '@dynamic-embeddings/core';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.js';
import { createWorkLimiter } from './work-limiter.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('createWorkLimiter', () => {
  it('runs at most `concurrency` jobs, queues up to `queue`, and refuses the rest with SERVER_BUSY', async () => {
    const limiter = createWorkLimiter({ concurrency: 2, queue: 1 });
    const signal = new AbortController().signal;
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const jobs = gates.map((gate, index) =>
      limiter.run(signal, async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limiter.running).toBe(2);
    expect(limiter.waiting).toBe(1);

    const refused = await limiter.run(signal, async () => 'never').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ code: 'SERVER_BUSY', status: 503, headers: { 'Retry-After': '1' } });

    gates[0]?.resolve();
    expect(await jobs[0]).toBe(0);
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.resolve();
    gates[2]?.resolve();
    expect(await Promise.all(jobs)).toEqual([0, 1, 2]);
    expect(limiter.running).toBe(0);
  });

  it('releases the slot when a job fails, and drops a waiter whose signal aborts', async () => {
    const limiter = createWorkLimiter({ concurrency: 1, queue: 4 });
    const signal = new AbortController().signal;
    await expect(
      limiter.run(signal, async () => {
        throw new DjeError({ code: 'INTERNAL_ERROR', message: 'boom' });
      }),
    ).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(limiter.running).toBe(0);

    const gate = deferred();
    const holder = limiter.run(signal, () => gate.promise);
    const controller = new AbortController();
    const waiter = limiter.run(controller.signal, async () => 'ran');
    expect(limiter.waiting).toBe(1);
    controller.abort(new Error('client went away'));
    await expect(waiter).rejects.toThrow('client went away');
    expect(limiter.waiting).toBe(0);
    gate.resolve();
    await holder;
    expect(await limiter.run(signal, async () => 'next')).toBe('next');
  });
});
