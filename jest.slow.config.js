// The slow tier (`npm run test:slow`): end-to-end scenarios that wait for real rate-limit windows,
// many workspaces, and the benchmark's harness, which runs the action on generated plans.
import base from './jest.config.js'

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 240000,
  // Scenarios that count requests a second keep the machine to themselves a little more.
  maxWorkers: 4
}
