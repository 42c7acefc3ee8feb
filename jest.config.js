const fs = require('node:fs');
const path = require('node:path');

/**
 * One Jest project per folder of test/ that holds tests (unit, infra, workflow, emulator, local-api,
 * e2e, reliability, cli, openapi, org-rollout, bench, and any folder added later), so `npm test`
 * runs them all and `npx jest --selectProjects e2e` (or `npm run test:e2e`) runs one.
 */
const TEST_ROOT = path.join(__dirname, 'test');
const holdsTests = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .some((entry) => (entry.isDirectory() ? holdsTests(path.join(dir, entry.name)) : entry.name.endsWith('.test.ts')));
const folders = fs
  .readdirSync(TEST_ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && holdsTests(path.join(TEST_ROOT, entry.name)))
  .map((entry) => entry.name)
  .sort();

/** @type {import('jest').Config} */
module.exports = {
  // A ceiling for a hung test, never a verdict: no test bounds its work by the clock, and a machine
  // busy with other work may run a file many times slower than a quiet one.
  testTimeout: 600_000,
  projects: folders.map((folder) => ({
    displayName: folder,
    testEnvironment: 'node',
    roots: [`<rootDir>/test/${folder}`],
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': 'ts-jest' },
    // Synthesizes the app once for the whole run; the tests and local mode read it from the cache.
    globalSetup: '<rootDir>/test/setup/synthesize-once.ts',
    // Property tests (fast-check) run with a printed, replayable seed (FC_SEED).
    setupFilesAfterEnv: ['<rootDir>/test/setup/property-seed.ts'],
  })),
};
