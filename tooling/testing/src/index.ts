export { type DatabaseTarget, databaseTargets, inProcessTarget, wireTarget } from './database-targets.js';
export { freePort } from './free-port.js';
export { startPgliteServer, startTestDatabase, type TestDatabase } from './start-test-database.js';
