// Jest global setup: the end-to-end suites run a bundle built from the source being edited, not the
// committed dist/ (which CI checks for staleness on its own), unless nothing was edited since
// dist/ was built: a fresh clone then runs its committed dist/. The bundle is built with the same
// `npm run package` command as dist/, into a cache folder named by a hash of everything that goes
// into it (bundle-cache.mjs). The build runs in the background: the unit suites run meanwhile
// (the sequencer puts them first), and the suites that run the bundle wait for it (run-action.ts).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
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
  if (!existsSync(entry) && (await committedBundleIsCurrent())) await seedFromDist(folder)
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

/** What goes into the bundle, as bundle-cache.mjs hashes it. */
const BUNDLE_INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json']

/**
 * Whether the committed dist/ is the build of this checkout's source, so a fresh clone need not
 * build it again: nothing that goes into the bundle, nor dist/, differs from the last commit, and
 * the last commit that changed the inputs also is, or comes before, the last that changed dist/
 * (CI fails a commit whose dist/ is not the build of its source).
 */
async function committedBundleIsCurrent(): Promise<boolean> {
  const git = async (...args: string[]): Promise<string> =>
    (await promisify(execFile)('git', args, { cwd: PROJECT_ROOT })).stdout.trim()
  try {
    if ((await git('status', '--porcelain', '--', ...BUNDLE_INPUTS, 'dist')) !== '') return false
    const inputs = await git('rev-list', '-1', 'HEAD', '--', ...BUNDLE_INPUTS)
    const dist = await git('rev-list', '-1', 'HEAD', '--', 'dist')
    if (inputs === '' || dist === '') return false
    await git('merge-base', '--is-ancestor', inputs, dist)
    return true
  } catch {
    // Not a git checkout, or the inputs changed after dist/ was last built.
    return false
  }
}

async function seedFromDist(folder: string): Promise<void> {
  const seeding = `${folder}.${process.pid}`
  await rm(seeding, { recursive: true, force: true })
  await mkdir(CACHE, { recursive: true })
  await cp(path.join(PROJECT_ROOT, 'dist'), seeding, { recursive: true })
  await rm(folder, { recursive: true, force: true })
  await rename(seeding, folder)
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
