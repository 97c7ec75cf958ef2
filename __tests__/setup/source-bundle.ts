// Jest global setup: the end-to-end suites run a bundle built from the source being edited, not the
// committed dist/ (which CI checks for staleness on its own). The bundle is built with the same
// `npm run package` command as dist/, into a cache folder named by a hash of everything that goes
// into it, so an unchanged tree reuses the last build and an edit in src/ always rebuilds.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CACHE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'tfc-plan-summary-e2e')
/** Where the test files that run the bundle live; a run that selects none of them skips the build. */
const BUNDLE_USERS = path.join(PROJECT_ROOT, '__tests__', 'e2e')

interface SetupConfig {
  testPathPattern?: string
}

export default async function buildSourceBundle(config: SetupConfig): Promise<void> {
  if (process.env.E2E_ACTION_ENTRY) return
  if (!(await selectsBundleUsers(config.testPathPattern ?? ''))) return
  const hash = await sourceHash()
  const folder = path.join(CACHE, hash)
  const entry = path.join(folder, 'index.js')
  if (!existsSync(entry)) {
    const building = `${folder}.${process.pid}`
    await rm(building, { recursive: true, force: true })
    await mkdir(CACHE, { recursive: true })
    process.stderr.write(`\nBuilding the action from src/ for the end-to-end tests (${hash})…\n`)
    await promisify(execFile)('npm', ['run', '-s', 'package', '--', '-o', building], {
      cwd: PROJECT_ROOT,
      maxBuffer: 16 * 1024 * 1024
    })
    await rm(folder, { recursive: true, force: true })
    await rename(building, folder)
    await pruneUnusedBuilds()
  }
  const now = new Date()
  await utimes(folder, now, now)
  // Workers start after global setup and inherit its environment.
  process.env.E2E_ACTION_ENTRY = entry
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

/** A hash of src/ and of what decides how it is bundled. */
async function sourceHash(): Promise<string> {
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

async function filesBelow(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter(entry => entry.isFile())
    .map(entry => path.join(entry.parentPath, entry.name))
    .sort()
}
