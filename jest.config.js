/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // A ceiling for a hung test, not a verdict: starting local mode synthesizes the app, which a busy machine slows several-fold.
  testTimeout: 180000,
};
