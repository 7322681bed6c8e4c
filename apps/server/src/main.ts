// `node dist/main.js`: the server as a process. Configuration comes from the environment (env.ts);
// SIGTERM or SIGINT stops it gracefully (requests in flight finish, then the pool closes).
import { DjeError } from '@dynamic-embeddings/core';
import { createLogger } from '@dynamic-embeddings/core/logger';
import { readEnv } from './env.js';
import { runServer } from './run-server.js';

let logger = createLogger({ name: 'server' });

try {
  const env = readEnv();
  if (env.LOG_LEVEL !== undefined) logger = createLogger({ name: 'server', level: env.LOG_LEVEL });
  const server = await runServer({ env, logger });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  if (DjeError.isInstance(error)) logger.fatal({ code: error.code, details: error.details }, error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exitCode = 1;
}
