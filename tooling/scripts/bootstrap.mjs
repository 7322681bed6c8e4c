// Makes a fresh clone runnable with only Node.js and npm: installs pnpm 10 when it is missing
// (corepack's download does not work everywhere) and the workspace's locked dependencies.
import { execSync } from 'node:child_process';

function run(command) {
  execSync(command, { stdio: 'inherit' });
}

function pnpmVersion() {
  try {
    return execSync('pnpm --version', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const version = pnpmVersion();
if (!version?.startsWith('10.')) {
  console.error(`bootstrap: installing pnpm 10 (found ${version ?? 'none'})`);
  run('npm install -g pnpm@10');
}
run('pnpm install --frozen-lockfile --reporter=silent');
