// Tests against real Terraform output in test/data/terraform-corpus (or TERRAFORM_CORPUS).
import base from './jest.config.js'

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/corpus/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/']
}
