#!/usr/bin/env node
// The `dje` / `dynamic-embeddings` executable.
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
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
