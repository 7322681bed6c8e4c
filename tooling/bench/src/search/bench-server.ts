// The database the search benchmark runs on: a real PostgreSQL, or PGlite in memory served over
// pglite-socket, so every system reaches it over the PostgreSQL wire protocol as it would a server.
import { redactUrl } from '@dynamic-embeddings/db';
import { freePort } from '@dynamic-embeddings/testing';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { packageVersion } from '../report.js';

export interface BenchServer {
  readonly url: string;
  /** The PGlite instance the socket serves (none for a real server). */
  readonly pglite?: PGlite;
  readonly description: string;
  close(): Promise<void>;
}

export async function startBenchServer(databaseUrl: string | undefined): Promise<BenchServer> {
  if (databaseUrl !== undefined) {
    return { url: databaseUrl, description: redactUrl(databaseUrl), async close() {} };
  }
  const pglite = await PGlite.create({ extensions: { vector } });
  const port = await freePort();
  // pglite-socket refuses connections past maxConnections; the benchmark holds at most four.
  const server = new PGLiteSocketServer({ db: pglite, port, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    pglite,
    description: `PGlite ${packageVersion('@electric-sql/pglite')} in memory, served over pglite-socket ${packageVersion('@electric-sql/pglite-socket')}`,
    async close() {
      await server.stop();
      await pglite.close();
    },
  };
}
