export {
  citusTarget,
  type DatabaseTarget,
  databaseTargets,
  inProcessTarget,
  wireTarget,
} from './database-targets.js';
export { djeErrorOf } from './dje-error-of.js';
export { freePort } from './free-port.js';
export { type ReadmeExampleRun, runReadmeExample } from './run-readme-example.js';
export { createSeededRandom, type SeededRandom } from './seeded-random.js';
export { codeWithoutComments } from './source-code.js';
export { citusSkipReason, startCitusTestDatabase } from './start-citus-database.js';
export { startPgliteServer, startTestDatabase, type TestDatabase } from './start-test-database.js';
