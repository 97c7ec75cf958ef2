// The slow tier (`npm run test:slow`): end-to-end scenarios that wait for real rate-limit windows.
import base from './jest.config.js'

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 240000
}
