// The whole test suite: build, typecheck, lint, then every package's tests in one Vitest run.
// Ends with one line "tests: N passed, N failed, N skipped" so a CI log can be read at a glance.
// TEST_CHECKS_DONE=1 skips build, typecheck and lint: for a second run of the suite in a checkout
// where an earlier run already did them (.ci/run's run on real PostgreSQL after `npm test`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

process.env.TURBO_TELEMETRY_DISABLED = '1';
const report = '.vitest-report.json';

function step(title, command, args) {
  console.log(`\n== ${title}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

function checks() {
  if (process.env.TEST_CHECKS_DONE === '1') {
    console.log('\n== build + typecheck, lint: skipped (TEST_CHECKS_DONE=1, an earlier run did them)');
    return 0;
  }
  const failed = step('build + typecheck', 'pnpm', [
    'exec',
    'turbo',
    'run',
    'build',
    'typecheck',
    '--output-logs=errors-only',
  ]);
  return failed === 0 ? step('lint', 'pnpm', ['exec', 'biome', 'check', '.']) : failed;
}

const failed = checks();
if (failed !== 0) {
  console.log('\ntests: 0 passed, 1 failed (build, typecheck or lint failed before tests ran)');
  process.exit(failed);
}

rmSync(report, { force: true });
const testStatus = step('tests', 'pnpm', [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

function failedTestLines(result) {
  const lines = [];
  for (const file of result.testResults ?? []) {
    const path = file.name.replace(`${process.cwd()}/`, '');
    const failed = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    // A file that failed before any test ran (an import or a hook) has no failed assertion.
    if (failed.length === 0 && file.status === 'failed') {
      lines.push(`${path}: ${firstLine(file.message)}`);
    }
    for (const test of failed) {
      lines.push(`${path} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
  return lines;
}

function firstLine(text) {
  return (text ?? '').split('\n').find((line) => line.trim() !== '') ?? '(no message)';
}

const result = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
let passed = 0;
let failedTests = 0;
let skipped = 0;
if (result !== undefined) {
  passed = result.numPassedTests;
  failedTests = result.numFailedTests;
  skipped = result.numPendingTests + result.numTodoTests;
}
if (testStatus !== 0 && failedTests === 0) failedTests = 1;
// One line per failed test, prefixed so .ci/run can repeat them next to its summary: a CI log that is
// read from its end then names what failed, not only how many.
for (const line of result === undefined ? [] : failedTestLines(result)) console.log(`FAILED: ${line}`);
console.log(`\ntests: ${passed} passed, ${failedTests} failed, ${skipped} skipped`);
process.exit(testStatus === 0 && failedTests === 0 ? 0 : 1);
