// Listens with @hono/node-server and shuts down gracefully: stop accepting, let requests in flight
// finish (bounded), then close every connection. The pipeline belongs to the caller, who closes it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createError } from '@dynamic-embeddings/core';
import { createLogger } from '@dynamic-embeddings/core/logger';
import { getRequestListener } from '@hono/node-server';
import { type ApiKey, parseApiKeys } from './api-keys.js';
import { type AppDependencies, createApp } from './create-app.js';
import { resolveLimits } from './server-limits.js';

export interface StartServerOptions extends Omit<AppDependencies, 'apiKeys'> {
  /** TCP port; 0 picks a free one (read it from `url`). */
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1). Without API keys only loopback is allowed. */
  readonly host?: string;
  /** Parsed keys, or the raw `KEY:NAMESPACES:ACCESS` text (as in DJE_API_KEYS). */
  readonly apiKeys?: readonly ApiKey[] | string;
  /** How long close() lets requests in flight finish before cutting them off (default 10 s). */
  readonly shutdownTimeoutMs?: number;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Stops accepting connections, waits for requests in flight (bounded), then closes all connections. Idempotent. */
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);
const defaultShutdownTimeoutMs = 10_000;

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const apiKeys =
    typeof options.apiKeys === 'string' ? parseApiKeys(options.apiKeys) : (options.apiKeys ?? []);
  const logger = options.logger ?? createLogger({ name: 'server' });
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? defaultShutdownTimeoutMs;
  if (apiKeys.length === 0 && !loopbackHosts.has(host)) {
    throw createError({
      code: 'UNAUTHENTICATED_PUBLIC_BIND',
      message: `Refusing to listen on ${host} without API keys: anyone who can reach it could read and delete every namespace. Set DJE_API_KEYS (or DJE_API_KEYS_FILE), or listen on 127.0.0.1.`,
      details: { host },
    });
  }
  const limits = resolveLimits(options.limits);
  const app = createApp({ ...options, apiKeys, logger, limits });
  const listener = getRequestListener(app.fetch);

  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => {
      inFlight.delete(response);
      // A keep-alive connection whose last request just finished is idle now: close it.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    if (closing) response.setHeader('Connection', 'close');
    void listener(request, response);
  });
  // Node's own limit on receiving a whole request would otherwise cut long bulk uploads at 5 minutes.
  server.requestTimeout = limits.longRequestTimeoutMs;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  if (apiKeys.length === 0) {
    logger.warn(
      { url },
      'no API keys configured: the API is unauthenticated, so it listens on loopback only',
    );
  }
  logger.info({ url, api_keys: apiKeys.length }, 'listening');

  let closed: Promise<void> | undefined;
  return {
    url,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        logger.info({ in_flight: inFlight.size }, 'shutting down: finishing requests in flight');
        for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
        const timer = setTimeout(() => {
          logger.warn(
            { in_flight: inFlight.size, timeout_ms: shutdownTimeoutMs },
            'shutdown timeout: closing connections',
          );
          server.closeAllConnections();
        }, shutdownTimeoutMs);
        server.close(() => {
          clearTimeout(timer);
          logger.info('stopped');
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
