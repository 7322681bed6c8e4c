// PGlite is single-process: two processes opening one data directory corrupt it. A lock file next
// to the directory makes the second one fail at once with a message that says what to do.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createError } from '@dynamic-embeddings/core';

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return { path: lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && isAlive(owner)) {
        throw databaseLocked(
          `The embedded database at ${dataDir} is in use by another process (pid ${owner}${owner === process.pid ? ', this one' : ''}). Only one process can open an embedded database at a time; a PostgreSQL server allows concurrent use.`,
          { dataDir, pid: owner, lockFile: lockPath },
        );
      }
      // The owner died without releasing: the lock is stale.
      rmSync(lockPath, { force: true });
    }
  }
  throw databaseLocked(`Could not lock ${lockPath}; remove it if no process holds the database.`, {
    dataDir,
    lockFile: lockPath,
  });
}

/** DATABASE_LOCKED: another process holds the embedded database. */
function databaseLocked(message: string, details: Record<string, unknown>) {
  return createError({ code: 'DATABASE_LOCKED', message, details });
}
