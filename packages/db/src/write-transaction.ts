// A transaction for writing rows that can also stream binary COPY data when the driver allows it.
// In process, the transaction is opened on PGlite itself (Drizzle's PGlite session keeps its
// connection private) and a Drizzle instance is bound to it; on postgres.js, Drizzle's own
// transaction is used with the connection its session exposes.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PostgresJsSession } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Database, Executor } from './database.js';

/** How a COPY statement reads its data: `FROM '/dev/blob'` in process, `FROM STDIN` on a server. */
export type CopySource = 'blob' | 'stdin';

export interface WriteTransaction {
  /** Drizzle bound to this transaction. */
  readonly orm: Executor;
  /** Present when this connection can take binary COPY; absent on PGlite served over the wire. */
  readonly copy:
    | {
        readonly source: CopySource;
        /**
         * Runs `COPY … FROM <source> (FORMAT binary)` with `parts` as its data, in order. On a server
         * each part is one CopyData message, sent as the iterable yields it (keep parts moderate).
         */
        run(statement: SQL, parts: Iterable<Uint8Array>): Promise<void>;
      }
    | undefined;
}

const dialect = new PgDialect();

/** SQL text of a statement that takes no parameters (COPY cannot). */
function statementText(statement: SQL): string {
  const query = dialect.sqlToQuery(statement);
  if (query.params.length > 0) throw new Error('COPY statements cannot take parameters');
  return query.sql;
}

/** The part of a postgres.js query object that settles it; not in postgres.js's published types. */
interface SettledQuery {
  reject: (error: unknown) => unknown;
}

/**
 * `COPY … FROM STDIN` through postgres.js, rejecting when the server refuses the data.
 *
 * postgres.js 3.4.9 resolves the query with the writable at CopyInResponse; when the server then
 * answers CopyDone with an error (a unique violation, a cancel), it calls only the query's `reject`,
 * which is a no-op on a settled promise, and never the writable's final callback: the pipeline hangs,
 * the transaction never rolls back and its connection leaks (porsager/postgres#1173; fix proposed in
 * #1183, not released). In its connection.js, the writable's `final` sends CopyDone, parks the
 * callback for the next CommandComplete and forgets the stream, so the ErrorResponse that comes
 * instead finds no stream to destroy; an error while parts still stream does destroy it, which
 * fails the pipeline. Observing that `reject` lets the error reach the caller, so the transaction
 * rolls back as with any failed statement (the parked callback then fires harmlessly on the
 * ROLLBACK's CommandComplete). The test "a COPY the server refuses fails the write" covers it on
 * PGlite and a real server.
 */
async function copyFromStdin(client: Sql, text: string, parts: Iterable<Uint8Array>): Promise<void> {
  const query = client.unsafe(text);
  const refused = new Promise<never>((_, reject) => {
    const settled = query as unknown as SettledQuery;
    const settle = settled.reject;
    settled.reject = (error) => {
      reject(error);
      return settle(error);
    };
  });
  // Only raced below; when the COPY succeeds it never settles.
  refused.catch(() => {});
  const stream = await query.writable();
  // A server that refuses rows while they still stream in (Citus's COPY into a shard) fails both
  // the pipeline and the query: the race reports the first, the other must not go unhandled.
  const piped = pipeline(Readable.from(parts), stream);
  piped.catch(() => {});
  await Promise.race([piped, refused]);
}

/**
 * How many write transactions one bulk insert keeps open at once. A server backend loads on one
 * core, so on a PostgreSQL server a second transaction keeps a second core busy (measured ~1.3–1.5×
 * the rows/s of one on a loaded 2-core machine); more would crowd out other clients. PGlite runs one
 * transaction at a time, in process or behind pglite-socket.
 */
export function writeConcurrency(db: Database): number {
  return db.postgres !== undefined && !db.isPGliteServer ? 2 : 1;
}

/** Runs `work` in one transaction on `db`; commits when it resolves, rolls back when it throws. */
export async function runWriteTransaction<Result>(
  db: Database,
  work: (transaction: WriteTransaction) => Promise<Result>,
): Promise<Result> {
  if (db.pglite !== undefined) {
    return db.pglite.transaction(async (client) =>
      work({
        // Drizzle's PGlite session runs its queries through `query`, which a Transaction has too.
        orm: drizzlePglite({
          client: client as unknown as PGlite,
          ...(db.onQuery === undefined ? {} : { logger: { logQuery: db.onQuery } }),
        }),
        copy: {
          source: 'blob',
          async run(statement, parts) {
            await client.query(statementText(statement), [], {
              blob: new Blob([...parts] as Uint8Array<ArrayBuffer>[]),
            });
          },
        },
      }),
    );
  }
  if (db.postgres !== undefined && !db.isPGliteServer) {
    return db.orm.transaction(async (tx) => {
      // Drizzle's postgres.js session holds the transaction's own connection as its public `client`.
      const { client } = tx._.session as PostgresJsSession<Sql, Record<string, never>, never>;
      return work({
        orm: tx,
        copy: {
          source: 'stdin',
          async run(statement, parts) {
            await copyFromStdin(client, statementText(statement), parts);
          },
        },
      });
    });
  }
  // postgres.js COPY FROM STDIN over pglite-socket hangs after CopyInResponse, so that server gets
  // INSERTs. It is PGlite's own limit (0.5.14): sent straight to execProtocolRaw, the same COPY
  // ends the WebAssembly program with exit(1).
  return db.orm.transaction(async (tx) => work({ orm: tx, copy: undefined }));
}
