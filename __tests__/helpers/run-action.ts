// Runs dist/index.js as one workflow step, the way the GitHub Actions runner does (the shared
// logic lives in test/sim/runner.mjs, which `npm run demo` uses too). Each run gets its own
// folder (RUNNER_TEMP, event and output files); removeStepDirs() deletes them after the suite.
import { rm } from 'node:fs/promises'
import { runAction as runStep } from '../../test/sim/runner.mjs'
import type { RunOptions, RunResult } from '../../test/sim/runner.mjs'

export type { RunResult }
export type RunActionOptions = Omit<RunOptions, 'entry'>

const stepDirs: string[] = []

/**
 * Runs the action's bundle in a child process. `E2E_ACTION_ENTRY` points the suite at another
 * build (say an ncc output in a temp folder) without touching dist/.
 */
export async function runAction(options: RunActionOptions): Promise<RunResult> {
  const result = await runStep({ ...options, entry: process.env.E2E_ACTION_ENTRY || undefined })
  stepDirs.push(result.workDir)
  return result
}

export async function removeStepDirs(): Promise<void> {
  await Promise.all(stepDirs.splice(0).map(dir => rm(dir, { recursive: true, force: true })))
}
