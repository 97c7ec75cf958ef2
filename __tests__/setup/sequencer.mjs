// Jest's order (failed first, then slowest first, or largest without timings), except while the
// bundle the end-to-end suites run is still to be built: the unit suites then go first, so they run
// while it builds instead of workers waiting on it.
import { existsSync } from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import Sequencer from '@jest/test-sequencer'
import { BUNDLE_USERS, bundleFolder } from './bundle-cache.mjs'

export default class UnitTestsFirstWhileBuilding extends Sequencer.default {
  /**
   * @override
   * @param {import('@jest/test-result').Test[]} tests
   */
  async sort(tests) {
    const sorted = await super.sort(tests)
    const built = existsSync(path.join(await bundleFolder(), 'index.js'))
    if (built || process.env.E2E_ACTION_ENTRY) return sorted
    const usesBundle = (/** @type {import('@jest/test-result').Test} */ test) =>
      test.path.startsWith(BUNDLE_USERS + path.sep)
    return [...sorted.filter(test => !usesBundle(test)), ...sorted.filter(usesBundle)]
  }
}
