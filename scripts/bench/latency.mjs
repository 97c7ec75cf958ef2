// How quickly the action reacts: from process start to its first API request, and from the
// moment a plan finishes to the action asking for its JSON. Each action process gets its own
// token, so its requests can be told apart in a simulator shared by several runs.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { startTfcSimulator } from '../../test/sim/tfc.mjs'
import { actionFailure, prepareActionRun, runAction } from './action.mjs'
import { median } from './measure.mjs'

/** @typedef {import('../../test/sim/tfc.mjs').RecordedRequest} RecordedRequest */

/**
 * @typedef {object} WaitAnalysis
 * @property {number | undefined} noticedMs
 * @property {number} requestsWhileWaiting
 * @property {number} requestsInWindow requests in the window just before the plan was marked
 *   finished
 * @property {number | undefined} requestsPerMinute requestsInWindow per minute; undefined when the
 *   action waited less than the window
 */

/**
 * @typedef {object} WaitingResult
 * @property {(WaitAnalysis & { delayMs: number, failure: string | undefined })[]} runs
 * @property {number} noticedMs
 * @property {number} requestsPerMinute
 * @property {number} maxRequestsPerMinute
 * @property {string[]} problems
 */

/**
 * @typedef {object} StartupResult
 * @property {number} firstRequestMs
 * @property {number[]} samples
 * @property {string[]} problems
 */

const JSON_OUTPUT_PATH = /\/json-output$/
/** The request rate while waiting is counted over a real minute, not extrapolated from seconds. */
const RATE_WINDOW_MS = 60_000

/**
 * The API requests one action process made (archivist downloads carry no token).
 * @param {RecordedRequest[]} requests
 * @param {string} origin
 * @param {string} token
 * @returns {RecordedRequest[]}
 */
export function requestsWithToken(requests, origin, token) {
  return requests.filter(
    request => request.origin === origin && request.headers.authorization === `Bearer ${token}`
  )
}

/**
 * From one action's requests: how long after `markedAt` (plan finished) it asked for the JSON
 * plan, and how often it called the API while the plan was still running: the requests in the
 * `windowMs` just before `markedAt`, per minute. No rate when the action had not been waiting
 * for a whole window (its start-up requests would count).
 * @param {RecordedRequest[]} requests
 * @param {number} markedAt
 * @param {number} [windowMs]
 * @returns {WaitAnalysis}
 */
export function analyzeWait(requests, markedAt, windowMs = RATE_WINDOW_MS) {
  const waiting = requests.filter(request => request.at < markedAt)
  const noticed = requests.find(
    request => request.at >= markedAt && JSON_OUTPUT_PATH.test(request.path)
  )
  const windowStart = markedAt - windowMs
  const waitedWholeWindow = waiting.length > 0 && waiting[0].at <= windowStart
  const inWindow = waiting.filter(request => request.at >= windowStart).length
  return {
    noticedMs: noticed ? noticed.at - markedAt : undefined,
    requestsWhileWaiting: waiting.length,
    requestsInWindow: inWindow,
    requestsPerMinute: waitedWholeWindow ? (inWindow * 60_000) / windowMs : undefined
  }
}

function newToken() {
  return `bench-${randomBytes(12).toString('hex')}`
}

/**
 * Starts `runs` actions at once on runs that stay `planning`; each plan is marked finished
 * after a random 65–80 s, so that the minute before the mark is all waiting (the request rate
 * is counted over it) and the polling schedule has settled as it would on a long plan.
 * @param {{ entry: string, planPath: string, runs: number, minDelayMs?: number,
 *   maxDelayMs?: number, windowMs?: number }} options `windowMs`: the window before the finish
 *   mark over which requests are counted (60 s)
 * @returns {Promise<WaitingResult>}
 */
export async function measureWaiting({
  entry,
  planPath,
  runs,
  minDelayMs = 65_000,
  maxDelayMs = 80_000,
  windowMs = RATE_WINDOW_MS
}) {
  const tokens = Array.from({ length: runs }, newToken)
  const tfc = await startTfcSimulator({
    tokens: Object.fromEntries(tokens.map(token => [token, 'admin']))
  })
  try {
    const outcomes = await Promise.all(
      tokens.map(async (token, i) => {
        const run = tfc.addRun({
          workspace: `waiting-${i}`,
          planJson: planPath,
          statuses: ['running'],
          redactedJson: null
        })
        const prepared = prepareActionRun({
          entry,
          tfcUrl: tfc.url,
          token,
          runId: run.id,
          inputs: { 'wait-timeout': `${Math.ceil(maxDelayMs / 60_000) + 1}m` }
        })
        const delayMs = minDelayMs + Math.random() * (maxDelayMs - minDelayMs)
        const finishLater = sleep(delayMs).then(() => {
          tfc.setPlanStatus(run.id, 'finished')
          return Date.now()
        })
        try {
          const [result, markedAt] = await Promise.all([
            runAction(prepared, { method: 'none' }),
            finishLater
          ])
          const requests = requestsWithToken(tfc.requests, tfc.url, token)
          const analysis = analyzeWait(requests, markedAt, windowMs)
          const label = `waiting run ${i + 1}`
          const failure =
            actionFailure(result, label) ??
            (analysis.noticedMs === undefined
              ? `${label}: the JSON plan was never asked for after the plan finished`
              : undefined)
          return { ...analysis, delayMs, failure }
        } finally {
          prepared.cleanup()
        }
      })
    )
    const noticed = outcomes.map(outcome => outcome.noticedMs).filter(ms => ms !== undefined)
    const rates = outcomes
      .map(outcome => outcome.requestsPerMinute)
      .filter(rate => rate !== undefined)
    return {
      runs: outcomes,
      noticedMs: median(noticed),
      requestsPerMinute: median(rates),
      maxRequestsPerMinute: Math.max(...rates),
      problems: outcomes.flatMap(outcome => (outcome.failure ? [outcome.failure] : []))
    }
  } finally {
    await tfc.close()
  }
}

/**
 * The time from spawning `node dist/index.js` to its first API request,
 * one action at a time on a plan that is already finished.
 * @param {{ entry: string, planPath: string, runs: number }} options
 * @returns {Promise<StartupResult>}
 */
export async function measureStartup({ entry, planPath, runs }) {
  const tokens = Array.from({ length: runs }, newToken)
  const tfc = await startTfcSimulator({
    tokens: Object.fromEntries(tokens.map(token => [token, 'admin']))
  })
  /** @type {number[]} */
  const delays = []
  /** @type {string[]} */
  const problems = []
  try {
    for (const [i, token] of tokens.entries()) {
      const run = tfc.addRun({ workspace: `startup-${i}`, planJson: planPath, redactedJson: null })
      const prepared = prepareActionRun({ entry, tfcUrl: tfc.url, token, runId: run.id })
      try {
        const result = await runAction(prepared, { method: 'none' })
        const [first] = requestsWithToken(tfc.requests, tfc.url, token)
        const label = `start-up run ${i + 1}`
        const failure =
          actionFailure(result, label) ?? (first ? undefined : `${label}: no API request was made`)
        if (failure) problems.push(failure)
        if (first) delays.push(first.at - result.startedAt)
      } finally {
        prepared.cleanup()
      }
    }
  } finally {
    await tfc.close()
  }
  return {
    firstRequestMs: median(delays),
    samples: delays,
    problems
  }
}
