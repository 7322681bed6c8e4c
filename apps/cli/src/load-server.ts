// The HTTP server (Hono and its dependencies) is loaded only by `dje serve`, so every other
// command starts without paying for it.
import type { startServer } from '@dynamic-embeddings/server';

export async function loadServer(): Promise<typeof startServer> {
  const server = await import('@dynamic-embeddings/server');
  return server.startServer;
}
