// The README's main job: ingest the example documents into an embedded database with the offline
// local provider, then search them. Uses a fresh data directory so it can be run again and again.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('apps/cli/dist/bin.js');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dje-demo-'));
const database = `pglite://${path.join(dataDir, 'pgdata')}`;

function dje(...args) {
  console.log(`\n$ dje ${args.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}`);
  const result = spawnSync(process.execPath, [cli, '--database-url', database, ...args], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
}

dje('ingest', 'examples', '--collection', 'demo');
dje('search', 'mobile banners with high CTR in Norway', '--collection', 'demo', '--limit', '3');
dje('search', 'temperature sensor with low battery', '--collection', 'demo', '--limit', '3');
dje('collection', 'list');
rmSync(dataDir, { recursive: true, force: true });
