#!/usr/bin/env node
// The `dje` / `dynamic-embeddings` executable.
import v8 from 'node:v8';
import { cancelled } from '@dynamic-embeddings/core';
import { processIo } from './cli-io.js';
import { readEnv } from './env.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
let interrupts = 0;

// First Ctrl-C: stop cleanly (between documents or batches, database closed, lock released).
// Second: the user insists; leave at once. Transactions never commit half a document, so even
// then nothing half-written is left behind.
function onSignal(signal: NodeJS.Signals): void {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(
    `\n${signal === 'SIGINT' ? 'Interrupted' : 'Terminated'}: stopping cleanly… (Ctrl-C again to quit at once)\n`,
  );
  controller.abort(cancelled(`Stopped by ${signal}.`));
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  io: processIo,
  env: readEnv(),
  signal: controller.signal,
  // A one-shot run spends more CPU in TurboFan compiling big inlined functions than it gets back:
  // without inlining, `dje chunk` of a 5.6 MB document took 0.97 instead of 1.33 CPU-seconds
  // (medians of 5, alternating); long-running commands never call this. Measured on top of it
  // and left out (CPU within 4%, inside the noise, or worse): a 32/64 MB young generation (given
  // at process start; through a worker's resourceLimits the worker's start made it slower), other
  // interrupt budgets, --always-sparkplug, --maglev, TurboFan pass flags, partial inlining,
  // --no-use-osr (worse), --no-lazy-feedback-allocation (1.06 vs 1.02 CPU-s, medians of 7
  // alternating runs), and chunking a small document first to warm the JIT (costs more than it
  // saves). Nor does the second core help: with half of the 5.6 MB document's top-level arrays
  // chunked in a worker thread (which loads the chunker and parses the file itself), a run took
  // 701-811 ms instead of 541-650 and 1.33-1.51 instead of 0.83-0.94 CPU-seconds (5 alternating
  // pairs, load 1.3-1.5): each thread pays its own JIT warm-up, most of a cold run, and the main
  // thread's half took as long as the whole document alone.
  tuneForShortRun: () => v8.setFlagsFromString('--no-turbo-inlining'),
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
