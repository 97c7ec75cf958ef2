// Tests against real Terraform output in test/data/terraform-corpus (or TERRAFORM_CORPUS). They
// run the action's modules in-process, so they need no bundle.
import base from './jest.config.js'

export default {
  ...base,
  globalSetup: undefined,
  testMatch: ['<rootDir>/__tests__/corpus/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/']
}
