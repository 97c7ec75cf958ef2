// Both simulators, wired to the default pull request (octo/infra#7 at HEAD_SHA), the inputs that
// point the action at them, and the checks every scenario must pass: the HCP Terraform token
// never leaves the API origin, and neither it nor a secret archivist URL reaches a log (as the
// runner shows it), an output, the job summary or a comment.
import { afterAll, afterEach, beforeEach, expect } from '@jest/globals'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGitHubSimulator } from '../../test/sim/github.mjs'
import type { GitHubSimulator, SimOptions as GitHubOptions } from '../../test/sim/github.mjs'
import { HEAD_SHA, PR_NUMBER, REPOSITORY } from '../../test/sim/runner.mjs'
import { startTfcSimulator } from '../../test/sim/tfc.mjs'
import type { SimulatorOptions, TfcSimulator } from '../../test/sim/tfc.mjs'
import { removeStepDirs, runAction } from '../helpers/run-action.js'
import type { RunActionOptions, RunResult } from '../helpers/run-action.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/e2e')

/** A fixture written for the e2e suite, by file name. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name)
}

/** Values the changes fixture marks sensitive: they must never be shown. */
export const SENSITIVE_VALUES = ['e2e-Sensitive-Value-7781', 'e2e-Sensitive-Output-5523']

export interface World {
  tfc: TfcSimulator
  github: GitHubSimulator
  /** Every step run so far in this world. */
  runs: RunResult[]
  /** Runs the action with inputs that reach the simulators, plus `inputs`. */
  run(
    inputs?: Record<string, string>,
    options?: Omit<RunActionOptions, 'inputs'>
  ): Promise<RunResult>
  /** Comments on the default pull request, oldest first. */
  prComments(): { id: number; body: string; html_url: string }[]
  close(): Promise<void>
}

/**
 * JSON plans are ready as soon as the plan finishes unless a test asks for HCP Terraform's
 * 204-right-after-finishing: each 204 costs the action a poll interval, and the suite stays fast.
 */
export async function startWorld(
  options: SimulatorOptions = {},
  githubOptions: GitHubOptions = {}
): Promise<World> {
  const tfc = await startTfcSimulator({ jsonOutputNotReadyPolls: 0, ...options })
  const github = await startGitHubSimulator({
    repository: REPOSITORY,
    pullRequests: [{ number: PR_NUMBER, headSha: HEAD_SHA }],
    ...githubOptions
  })
  const runs: RunResult[] = []
  return {
    tfc,
    github,
    runs,
    async run(inputs = {}, runOptions = {}) {
      const result = await runAction({
        githubApiUrl: github.url,
        timeoutMs: 30_000,
        ...runOptions,
        inputs: {
          hostname: tfc.url,
          token: tfc.tokens.admin ?? '',
          'poll-interval': '1s',
          'wait-timeout': '20s',
          ...inputs
        }
      })
      runs.push(result)
      return result
    },
    prComments: () => github.comments.filter(comment => comment.issue_number === PR_NUMBER),
    close: async () => {
      await Promise.all([tfc.close(), github.close()])
    }
  }
}

/**
 * Registers a fresh world per test, the leak checks after each test, and the clean-up of step
 * folders after the file. Returns a getter for the current world.
 */
export function useWorld(
  options: SimulatorOptions = {},
  githubOptions: GitHubOptions = {}
): () => World {
  let current: World | undefined
  beforeEach(async () => {
    current = await startWorld(options, githubOptions)
  })
  afterEach(async () => {
    const world = current
    current = undefined
    if (!world) return
    try {
      expectNoLeaks(world)
    } finally {
      await world.close()
    }
  })
  afterAll(removeStepDirs)
  return () => {
    if (!current) throw new Error('no world outside a test')
    return current
  }
}

/** The token stays with the API origin; neither it nor a secret archivist URL is ever shown. */
export function expectNoLeaks(world: World): void {
  const { tfc, github } = world
  expect(tfc.tokenLeaks).toEqual([])
  const elsewhere = tfc.requests.filter(req => req.origin !== tfc.url)
  expect(elsewhere.filter(req => req.headers.authorization !== undefined)).toEqual([])
  const tokens = Object.values(tfc.tokens).filter((token): token is string => Boolean(token))
  const githubHeaders = github.requests.map(req => JSON.stringify(req.headers))
  for (const token of tokens) {
    expect(githubHeaders.filter(headers => headers.includes(token))).toEqual([])
  }
  // Secret URL paths of the archivist (JSON plans, logs, bundles) and the token itself.
  const secrets = [...tokens, ...elsewhere.map(req => req.path)]
  expect(secrets.filter(secret => everythingShown(world).includes(secret))).toEqual([])
}

/** Logs (as the runner shows them), outputs and job summaries of every step, and every comment. */
export function everythingShown(world: World): string {
  const steps = world.runs.flatMap(run => [run.log, run.summary, JSON.stringify(run.outputs)])
  return [...steps, ...world.github.comments.map(comment => comment.body)].join('\n')
}

/** Markdown without backslash escapes, so addresses can be looked for as written. */
export function plainText(markdown: string): string {
  return markdown.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
}
