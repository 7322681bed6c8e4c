// The test suite against a real PostgreSQL + pgvector instead of PGlite behind pglite-socket: every
// "postgres.js over the wire" test then talks to a real server. `npm run test:postgres`.
//
// With TEST_DATABASE_URL set (a server where this user may CREATE DATABASE), that server is used.
// Otherwise a throwaway cluster is started from the PostgreSQL binaries on this machine (pg_config
// on PATH, or /usr/lib/postgresql/<newest>/bin) in a temporary directory on a free loopback port,
// and removed afterwards. pgvector must be installed into that PostgreSQL; on Debian, without a
// pgvector package, tooling/scripts/install-pgvector-debian.sh builds it from Debian's source.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

function fail(message) {
  console.error(`test:postgres: ${message}`);
  process.exit(2);
}

function binDir() {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    const root = '/usr/lib/postgresql';
    const versions = existsSync(root)
      ? readdirSync(root)
          .filter((name) => /^\d+$/.test(name))
          .sort((a, b) => Number(b) - Number(a))
      : [];
    if (versions.length === 0) {
      fail(
        'no PostgreSQL found (pg_config not on PATH, nothing in /usr/lib/postgresql). Install PostgreSQL ≥ 15 or set TEST_DATABASE_URL.',
      );
    }
    return path.join(root, versions[0], 'bin');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** initdb and postgres refuse to run as root; as root they run as the `postgres` user. */
function asServerUser(command, args) {
  const root = process.getuid?.() === 0;
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    fail(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  }
}

function runSuite(url) {
  console.log(`test:postgres: running the suite with TEST_DATABASE_URL=${url.replace(/:[^:@/]*@/, ':***@')}`);
  const result = spawnSync('node', ['tooling/scripts/test.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE_URL: url },
  });
  return result.status ?? 1;
}

if (process.env.TEST_DATABASE_URL) process.exit(runSuite(process.env.TEST_DATABASE_URL));

const bin = binDir();
const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
const shareDir = execFileSync(path.join(bin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim();
if (!existsSync(path.join(shareDir, 'extension', 'vector.control'))) {
  fail(
    `pgvector is not installed into ${version} (no ${shareDir}/extension/vector.control). On Debian, as root: bash tooling/scripts/install-pgvector-debian.sh`,
  );
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'dje-test-postgres-'));
if (process.getuid?.() === 0) {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(dir, uid, gid);
}
const dataDir = path.join(dir, 'data');
const port = await freePort();
let status = 1;
try {
  asServerUser(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  // fsync off: a throwaway cluster for tests; durability is PostgreSQL's job, not the suite's.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  asServerUser(path.join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-o',
    options,
    '-l',
    path.join(dir, 'log'),
    '-w',
    'start',
  ]);
  console.log(`test:postgres: started ${version} on 127.0.0.1:${port}`);
  status = runSuite(`postgres://postgres@127.0.0.1:${port}/postgres`);
} finally {
  if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
    asServerUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']);
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
