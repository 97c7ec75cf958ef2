// Runs an action bundle (`node dist/index.js`) as a workflow step, with the shared runner's
// inputs, event and output format, but spawned here: the bench needs the exact spawn moment
// and GNU time around the process, which the shared runner does not offer.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  ACTION_ENTRY,
  actionInputDefaults,
  GITHUB_TOKEN,
  parseGithubOutput,
  PR_NUMBER,
  PROJECT_ROOT,
  pullRequestEvent,
  REPOSITORY
} from '../../test/sim/runner.mjs'
import { measureCommand } from './measure.mjs'

export { ACTION_ENTRY, PR_NUMBER, PROJECT_ROOT, REPOSITORY }

/** @typedef {import('./measure.mjs').Measurement} Measurement */

/**
 * @typedef {object} PreparedRun
 * @property {string} entry
 * @property {Record<string, string>} env
 * @property {string} cwd
 * @property {() => Record<string, string>} outputs the step outputs the run wrote
 * @property {() => void} cleanup
 */

/**
 * A scratch runner workspace for one run of the action bundle `entry`.
 * @param {{ entry: string, tfcUrl: string, token: string, runId: string, githubUrl?: string,
 *   inputs?: Record<string, string> }} options without `githubUrl` the comment is turned off
 * @returns {PreparedRun}
 */
export function prepareActionRun({ entry, tfcUrl, token, runId, githubUrl, inputs = {} }) {
  const workDir = mkdtempSync(path.join(tmpdir(), 'bench-step-'))
  const runnerTemp = path.join(workDir, 'runner-temp')
  mkdirSync(runnerTemp)
  const files = {
    output: path.join(workDir, 'github-output'),
    summary: path.join(workDir, 'step-summary'),
    event: path.join(workDir, 'event.json')
  }
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  writeFileSync(files.event, JSON.stringify(pullRequestEvent()))
  const defaults = actionInputDefaults(
    readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8'),
    GITHUB_TOKEN
  )
  const stepInputs = {
    ...defaults,
    token,
    hostname: tfcUrl,
    'run-id': runId,
    comment: githubUrl ? 'update' : 'off',
    ...inputs
  }
  const env = {
    // Nothing of the bench's own environment but PATH (no INPUT_*, no NODE_OPTIONS).
    PATH: process.env.PATH ?? '',
    HOME: workDir,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    ...(githubUrl ? { GITHUB_API_URL: githubUrl } : {}),
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: runnerTemp,
    ...Object.fromEntries(
      Object.entries(stepInputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    )
  }
  return {
    entry,
    env,
    cwd: workDir,
    outputs: () => parseGithubOutput(readFileSync(files.output, 'utf8')),
    cleanup: () => rmSync(workDir, { recursive: true, force: true })
  }
}

/** Longer than any healthy run takes here; keeps a hanging action from stalling the bench. */
const ACTION_TIMEOUT_MS = 180_000

/**
 * Starts `node <entry>` in a prepared workspace and measures it.
 * @param {PreparedRun} prepared
 * @param {{ method?: import('./measure.mjs').PeakRssMethod }} [options]
 * @returns {Promise<Measurement>}
 */
export function runAction(prepared, { method } = {}) {
  const { entry, env, cwd } = prepared
  return measureCommand(process.execPath, [entry], {
    env,
    cwd,
    method,
    timeoutMs: ACTION_TIMEOUT_MS
  })
}

/**
 * Why a measured action run failed (exit status and the end of its log), or undefined.
 * @param {Measurement} result
 * @param {string} label
 * @returns {string | undefined}
 */
export function actionFailure(result, label) {
  if (result.code === 0) return undefined
  const log = (result.stdout + result.stderr).trimEnd().split('\n').slice(-25).join('\n')
  const how = result.timedOut
    ? `was killed after ${ACTION_TIMEOUT_MS / 1000} s`
    : `exited with ${result.code ?? result.signal}`
  return `${label}: the action ${how}:\n${log}`
}
