// Tests against real Terraform output (the corpus; TERRAFORM_CORPUS names another copy). They run
// the action's modules in-process, so they need no bundle.
import base from './jest.config.js'

export default {
  ...base,
  globalSetup: undefined,
  testMatch: ['<rootDir>/__tests__/corpus/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/']
}
