export { type ApiKey, type ApiKeyAccess, parseApiKeys } from './api-keys.js';
export { type AppDependencies, createApp } from './create-app.js';
export { readEnv, type ServerEnv } from './env.js';
export { HttpError, type HttpErrorOptions } from './http-error.js';
export { type RunServerOptions, runServer, type ServerProcess } from './run-server.js';
export { DEFAULT_LIMITS, type ServerLimits } from './server-limits.js';
export { type RunningServer, type StartServerOptions, startServer } from './start-server.js';
