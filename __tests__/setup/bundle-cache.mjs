// Where the end-to-end tests' build of src/ is cached: a folder named by a hash of everything that
// goes into the bundle, so an unchanged tree reuses the last build and an edit in src/ rebuilds.
// Shared by the Jest global setup (which builds it), the test sequencer (which runs the unit tests
// first while it is built) and the helper that runs it (which waits for it).
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath, URL } from 'node:url'

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CACHE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'tfc-plan-summary-e2e')
/** Where the test files that run the bundle live. */
export const BUNDLE_USERS = path.join(PROJECT_ROOT, '__tests__', 'e2e')

/** The cache folder of the current source; its index.js exists once the build is complete. */
export async function bundleFolder() {
  return path.join(CACHE, await sourceHash())
}

/** Written beside the folder when its build failed: the error, for the tests waiting on it. */
export const failureMarker = (/** @type {string} */ folder) => `${folder}.failed`

/** Longer than any build takes on a loaded machine; a waiting suite then fails instead of hanging. */
const BUILD_WAIT_MS = 10 * 60 * 1000

/**
 * Waits until the bundle at `entry` exists (it appears whole: the build folder is renamed into
 * place); throws when its build failed.
 * @param {string} entry
 */
export async function bundleReady(entry) {
  const marker = failureMarker(path.dirname(entry))
  for (const started = Date.now(); !existsSync(entry); await sleep(100)) {
    if (existsSync(marker))
      throw new Error(`The bundle build failed:\n${await readFile(marker, 'utf8')}`)
    if (Date.now() - started > BUILD_WAIT_MS) throw new Error(`${entry} was not built in time`)
  }
}

/** A hash of src/ and of what decides how it is bundled. */
async function sourceHash() {
  const hash = createHash('sha256')
  const files = [
    ...(await filesBelow(path.join(PROJECT_ROOT, 'src'))),
    ...['package.json', 'package-lock.json', 'tsconfig.json'].map(name =>
      path.join(PROJECT_ROOT, name)
    )
  ]
  for (const file of files) {
    hash.update(path.relative(PROJECT_ROOT, file)).update('\0')
    hash.update(await readFile(file)).update('\0')
  }
  return hash.digest('hex').slice(0, 16)
}

/** @param {string} folder */
export async function filesBelow(folder) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter(entry => entry.isFile())
    .map(entry => path.join(entry.parentPath, entry.name))
    .sort()
}
