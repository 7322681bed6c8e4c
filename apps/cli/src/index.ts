// The CLI as a library: run `dje` in-process (the bin is a thin wrapper around this).
export { type CliIo, type OutputStream, processIo } from './cli-io.js';
export { type CliEnv, readEnv } from './env.js';
export { type RunCliOptions, runCli } from './run-cli.js';
