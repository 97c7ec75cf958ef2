// Unit and end-to-end tests on the project's own fixtures: the everyday `npm test`. Scenarios that
// wait for real minute-long windows are named *.slow.test.ts and run by jest.slow.config.js; the
// corpus suite has its own config too.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  globalSetup: '<rootDir>/__tests__/setup/source-bundle.ts',
  testSequencer: '<rootDir>/__tests__/setup/sequencer.mjs',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/corpus/', '\\.slow\\.test\\.ts$'],
  testTimeout: 30000,
  // The end-to-end suites mostly wait on loopback servers, polls and child processes, so on a
  // 2-core machine eight workers overlap that waiting instead of running the suites in turn.
  maxWorkers: 8
}
