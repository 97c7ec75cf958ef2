// Jest global setup: the end-to-end suites run a bundle built from the source being edited, not the
// committed dist/ (which CI checks for staleness on its own). The bundle is built with the same
// `npm run package` command as dist/, into a cache folder named by a hash of everything that goes
// into it (bundle-cache.mjs). The build runs in the background: the unit suites run meanwhile
// (the sequencer puts them first), and the suites that run the bundle wait for it (run-action.ts).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  BUNDLE_USERS,
  CACHE,
  PROJECT_ROOT,
  bundleFolder,
  failureMarker,
  filesBelow
} from './bundle-cache.mjs'

interface SetupConfig {
  testPathPattern?: string
}

export default async function buildSourceBundle(config: SetupConfig): Promise<void> {
  if (process.env.E2E_ACTION_ENTRY) return
  if (!(await selectsBundleUsers(config.testPathPattern ?? ''))) return
  const folder = await bundleFolder()
  const entry = path.join(folder, 'index.js')
  if (existsSync(entry)) {
    const now = new Date()
    await utimes(folder, now, now)
  } else {
    await rm(failureMarker(folder), { force: true })
    // Not awaited: settled while the tests run; Jest's process outlives them.
    void build(folder).catch((error: Error & { stderr?: string }) =>
      writeFile(failureMarker(folder), `${error.message}\n${error.stderr ?? ''}`)
    )
  }
  // Workers start after global setup and inherit its environment.
  process.env.E2E_ACTION_ENTRY = entry
}

async function build(folder: string): Promise<void> {
  const building = `${folder}.${process.pid}`
  await rm(building, { recursive: true, force: true })
  await mkdir(CACHE, { recursive: true })
  process.stderr.write(
    `\nBuilding the action from src/ for the end-to-end tests (${path.basename(folder)})…\n`
  )
  await promisify(execFile)('npm', ['run', '-s', 'package', '--', '-o', building], {
    cwd: PROJECT_ROOT,
    maxBuffer: 16 * 1024 * 1024
  })
  await rm(folder, { recursive: true, force: true })
  await rename(building, folder)
  await pruneUnusedBuilds()
}

/** A build nobody has used for this long is removed (another checkout may share node_modules). */
const UNUSED_FOR_MS = 24 * 60 * 60 * 1000

async function pruneUnusedBuilds(): Promise<void> {
  const cutoff = Date.now() - UNUSED_FOR_MS
  const entries = await readdir(CACHE, { withFileTypes: true })
  await Promise.all(
    entries
      .filter(entry => entry.isDirectory() && /^[0-9a-f]{16}$/.test(entry.name))
      .map(async entry => {
        const folder = path.join(CACHE, entry.name)
        if ((await stat(folder)).mtimeMs < cutoff)
          await rm(folder, { recursive: true, force: true })
      })
  )
}

/** Whether Jest's path pattern (matched, as Jest does, against absolute paths) picks a bundle user. */
async function selectsBundleUsers(pattern: string): Promise<boolean> {
  if (pattern === '') return true
  const regex = new RegExp(pattern, 'i')
  const files = await filesBelow(BUNDLE_USERS)
  return files.some(file => file.endsWith('.test.ts') && regex.test(file))
}
