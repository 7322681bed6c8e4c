// Child process of crash-safety.test.ts: starts a move, reports progress on stdout as JSON lines,
// and freezes at the phase it is told to, so the parent can SIGKILL it at a known point.
import { connect } from '@dynamic-embeddings/db';
import type { MigrationProgress } from '../migration-types.js';
import { createNamespaceMigration } from '../namespace-migration.js';

const [url, source, target, freezeAt] = process.argv.slice(2);
if (url === undefined || source === undefined || target === undefined || freezeAt === undefined) {
  throw new Error('usage: kill-child.ts URL SOURCE TARGET copy|index');
}

function shouldFreeze(progress: MigrationProgress): boolean {
  if (freezeAt === 'copy') return progress.phase === 'copy' && (progress.rows_done ?? 0) >= 500;
  return progress.phase === freezeAt;
}

const frozen = new Int32Array(new SharedArrayBuffer(4));
const db = await connect(url);
await createNamespaceMigration({ db }).moveNamespace({
  source,
  target,
  batchRows: 100,
  onProgress: (progress) => {
    // Pipes are synchronous on Linux, so the line is out before the thread blocks.
    process.stdout.write(`${JSON.stringify(progress)}\n`);
    if (shouldFreeze(progress)) {
      process.stdout.write(`${JSON.stringify({ frozen: progress.phase })}\n`);
      Atomics.wait(frozen, 0, 0, 60_000);
    }
  },
});
process.stdout.write(`${JSON.stringify({ finished: true })}\n`);
await db.close();
