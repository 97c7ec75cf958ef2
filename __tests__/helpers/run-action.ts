// Runs dist/index.js as one workflow step, the way the GitHub Actions runner does (the shared
// logic lives in test/sim/runner.mjs, which `npm run demo` uses too). Each run gets its own
// folder (RUNNER_TEMP, event and output files); removeStepDirs() deletes them after the suite.
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { runAction as runStep } from '../../test/sim/runner.mjs'
import { bundleReady } from '../setup/bundle-cache.mjs'
import type { RunOptions, RunResult } from '../../test/sim/runner.mjs'

export type { RunResult }
export type RunActionOptions = Omit<RunOptions, 'entry'>

const stepDirs: string[] = []

// The global setup may still be building the bundle: suites wait for it as they load, where no
// test's timeout runs.
if (process.env.E2E_ACTION_ENTRY) await bundleReady(path.resolve(process.env.E2E_ACTION_ENTRY))

/**
 * Runs the action's bundle in a child process: the build of src/ that the Jest global setup made
 * (or whatever `E2E_ACTION_ENTRY` names, e.g. dist/index.js to test the committed bundle).
 */
export async function runAction(options: RunActionOptions): Promise<RunResult> {
  const entry = process.env.E2E_ACTION_ENTRY
  if (!entry) {
    throw new Error('E2E_ACTION_ENTRY is not set: run the end-to-end tests through Jest (npm test)')
  }
  const result = await runStep({ ...options, entry: path.resolve(entry) })
  stepDirs.push(result.workDir)
  return result
}

export async function removeStepDirs(): Promise<void> {
  await Promise.all(stepDirs.splice(0).map(dir => rm(dir, { recursive: true, force: true })))
}
