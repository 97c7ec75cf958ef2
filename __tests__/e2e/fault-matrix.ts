// The fault matrix: every way HCP Terraform and GitHub are known to misbehave, injected once and in
// bursts, each with the outcome the action promises (exit code, outputs, comments, messages, time).
// faults.test.ts runs the quick rows, faults.slow.test.ts the ones that wait out every retry.
// After every row: the HCP Terraform token went to the API origin only and never to GitHub, and
// neither it nor a secret URL nor a sensitive value was shown anywhere. The suite prints the matrix
// `| fault | expected | seen |` as observed, for closing notes.
import { afterAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { marked } from 'marked'
import {
  GITHUB_ACTIONS_BOT,
  primaryRateLimit,
  secondaryRateLimit,
  serverError
} from '../../test/sim/github.mjs'
import type { SimFault, SimRequest } from '../../test/sim/github.mjs'
import { PR_NUMBER, pullRequestEvent } from '../../test/sim/runner.mjs'
import { fault, on } from '../../test/sim/tfc.mjs'
import type { Fault, RecordedRequest, RunSpec, SimRun } from '../../test/sim/tfc.mjs'
import { commentMarker } from '../../src/render/markdown.js'
import { removeStepDirs } from '../helpers/run-action.js'
import type { RunActionOptions, RunResult } from '../helpers/run-action.js'
import { expectWellFormed, proseOf, visibleText } from '../render/checks.js'
import {
  SENSITIVE_VALUES,
  everythingShown,
  expectNoLeaks,
  fixture,
  plainText,
  startWorld
} from './world.js'
import type { World } from './world.js'

const CHANGES = fixture('plan-changes.json')
const CHANGED_ADDRESSES = ['aws_instance.web', 'aws_db_instance.legacy', 'aws_security_group.web']
const MARKER = commentMarker('network', '')
/** What the action reports for the changes fixture. */
const FINISHED_WITH_CHANGES: PlanOutputs = {
  status: 'finished',
  hasChanges: true,
  add: 4,
  change: 1,
  destroy: 2
}

const RUN_POLL = on('GET', '/api/v2/runs/:id')
const JSON_OUTPUT = on('GET', /\/json-output$/)

interface PlanOutputs {
  status: string
  hasChanges: boolean
  add: number
  change: number
  destroy: number
}

interface Expected {
  exit: 0 | 1
  /** The step outputs; undefined: none written (the step failed before publishing). */
  outputs?: PlanOutputs
  comments: number
  /** The comment lists the changed resources (a JSON plan was read, not only the API's counts). */
  detailed?: boolean
  /** Pieces of one error annotation (exit 1) or warning (exit 0), in this order. */
  message?: string[]
  /** Upper bound on the step's duration. */
  withinMs?: number
}

interface Context {
  world: World
  run: SimRun
  step: RunResult
  /** When each GitHub request arrived (the GitHub simulator does not record it). */
  githubTimes: Map<SimRequest, number>
}

interface Row {
  fault: string
  /** Waits out every retry or a growing backoff: run by the slow tier. */
  slow?: boolean
  expected: Expected
  /** What else the row promises, for the matrix, e.g. "retried after ≥ 0.5 s". */
  promise?: string
  run?: Partial<RunSpec>
  tfcFaults?: (world: World, run: SimRun) => Fault[]
  /** Built when the row runs: rate-limit resets are absolute times. */
  githubFaults?: () => SimFault[]
  inputs?: Record<string, string>
  options?: Omit<RunActionOptions, 'inputs'>
  /** Before the step, for rows that set the stage (seeded comments, permissions). */
  arrange?: (world: World) => void
  /** Instead of one step (rows that need two). */
  act?: (world: World, run: SimRun) => Promise<RunResult>
  /** Further checks; returns what was seen, for the matrix. */
  verify?: (context: Context) => string | undefined
}

// ---------------------------------------------------------------------------------------------
// Helpers

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

function requestsTo(world: World, match: (req: RecordedRequest) => boolean): RecordedRequest[] {
  return world.tfc.requests.filter(match)
}

/** Pauses between consecutive matching requests: the first `faulted` were answered by the fault. */
function gapsAfterFaults(world: World, match: (req: RecordedRequest) => boolean, faulted: number) {
  const matching = requestsTo(world, match)
  expect(matching.length).toBeGreaterThan(faulted)
  return matching.slice(1, faulted + 1).map((req, i) => req.at - matching[i].at)
}

/** A 429 as HCP Terraform sends it, with its own reset time. */
function rateLimit(match: Fault['match'], resetSeconds: string, times: number): Fault {
  const limited = fault.rateLimit(match, { times })
  return { ...limited, headers: { ...limited.headers, 'x-ratelimit-reset': resetSeconds } }
}

function jsonApiFault(match: Fault['match'], status: number, body: unknown): Fault {
  return { match, status, body }
}

function archivistJson(world: World, run: SimRun) {
  const logPath = new URL(run.logUrl).pathname
  return (req: RecordedRequest) => req.origin === world.tfc.archivistUrl && req.path !== logPath
}

function errorsAndWarnings(step: RunResult): string {
  return [...step.annotations.errors, ...step.annotations.warnings].join('\n')
}

/** One line for the matrix: exit code, outputs, comments. Expected and seen use the same words. */
function describeOutcome(exit: number | null, outputs: PlanOutputs | undefined, comments: number) {
  const shown = outputs
    ? `${outputs.status}, ${outputs.hasChanges ? 'changes' : 'no changes'} +${outputs.add} ~${outputs.change} -${outputs.destroy}`
    : 'no outputs'
  return `exit ${exit} · ${shown} · ${comments} comment${comments === 1 ? '' : 's'}`
}

function outputsOf(step: RunResult): PlanOutputs | undefined {
  const { status, add, change, destroy } = step.outputs
  if (status === undefined) return undefined
  const hasChanges = step.outputs['has-changes'] === 'true'
  return { status, hasChanges, add: Number(add), change: Number(change), destroy: Number(destroy) }
}

function describeExpected(row: Row): string {
  const { exit, outputs, comments, message, withinMs } = row.expected
  return [
    describeOutcome(exit, outputs, comments),
    ...(message ? [`${exit === 0 ? 'warning' : 'error'} “${message.join('” … “')}”`] : []),
    ...(withinMs ? [`within ${seconds(withinMs)}`] : []),
    ...(row.promise ? [row.promise] : [])
  ].join(' · ')
}

/** The pieces in this order on one line. */
function inOrder(pieces: string[]): RegExp {
  return new RegExp(pieces.map(piece => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'))
}

/** An annotation for the matrix: IDs and ports vary from run to run, so they are left out. */
function annotationText(text: string, max = 240): string {
  const line = text
    .split('\n')[0]
    .replace(/\b(run|plan)-[A-Za-z0-9]{16}\b/g, '$1-…')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1')
    .trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** The HCP Terraform token reached only the API origin; nothing secret was shown anywhere. */
function expectNothingLeaked(world: World, step: RunResult, tokens: string[]): void {
  expectNoLeaks(world)
  for (const token of tokens.filter(Boolean)) {
    const elsewhere = world.tfc.requests.filter(
      req => req.origin !== world.tfc.url && JSON.stringify(req.headers).includes(token)
    )
    expect(elsewhere).toEqual([])
    expect(world.github.requests.filter(req => JSON.stringify(req).includes(token))).toEqual([])
  }
  // Not even masked: the raw output, apart from the add-mask commands that register secrets.
  const raw = `${step.stdout}${step.stderr}`
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  const archivistPaths = world.tfc.requests
    .filter(req => req.origin !== world.tfc.url)
    .map(req => req.path)
  const secrets = [...tokens.filter(Boolean), ...archivistPaths, ...SENSITIVE_VALUES]
  expect(secrets.filter(secret => raw.includes(secret))).toEqual([])
  expect(SENSITIVE_VALUES.filter(value => everythingShown(world).includes(value))).toEqual([])
}

/** Records when each GitHub request arrived, through a fault that never matches (never served). */
function timeGitHubRequests(world: World): Map<SimRequest, number> {
  const times = new Map<SimRequest, number>()
  world.github.faults.unshift({
    status: 0,
    match: request => {
      times.set(request, Date.now())
      return false
    }
  })
  return times
}

/** Time from each GitHub answer with `status` to the request after it. */
function githubGapsAfter(context: Context, status: number): number[] {
  const { requests } = context.world.github
  return requests.flatMap((req, i) => {
    const next = requests[i + 1]
    if (req.status !== status || next === undefined) return []
    return [(context.githubTimes.get(next) ?? 0) - (context.githubTimes.get(req) ?? 0)]
  })
}

// ---------------------------------------------------------------------------------------------
// The rows

const SERVER_STATUSES = [500, 502, 503, 504]

const hcpTerraformRows: Row[] = [
  {
    fault: 'none (control)',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true }
  },
  {
    fault: '429 once on the run poll, X-RateLimit-Reset 1.5',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried after ≥ 1.5 s',
    tfcFaults: () => [rateLimit(RUN_POLL, '1.5', 1)],
    verify: ({ world }) => {
      const gaps = gapsAfterFaults(world, RUN_POLL, 1)
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1500)
      return `retried after ${gaps.map(seconds).join(', ')}`
    }
  },
  {
    fault: '429 burst (×4) on the run poll, X-RateLimit-Reset 0.5',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'each retry ≥ 0.5 s after its 429',
    tfcFaults: () => [rateLimit(RUN_POLL, '0.5', 4)],
    verify: ({ world }) => {
      const gaps = gapsAfterFaults(world, RUN_POLL, 4)
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(500)
      return `retries after ${gaps.map(seconds).join(', ')}`
    }
  },
  {
    fault: '429 burst (×2) on json-output, X-RateLimit-Reset 0.8',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'each retry ≥ 0.8 s after its 429',
    tfcFaults: () => [rateLimit(JSON_OUTPUT, '0.8', 2)],
    verify: ({ world }) => {
      const gaps = gapsAfterFaults(world, JSON_OUTPUT, 2)
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(800)
      return `retries after ${gaps.map(seconds).join(', ')}`
    }
  },
  {
    fault: '429 forever on the run poll, X-RateLimit-Reset 0.5',
    slow: true,
    expected: {
      exit: 1,
      comments: 0,
      message: ['rate limited (429)', 'gave up after 6 attempts'],
      withinMs: 15_000
    },
    promise: 'gives up after 6 attempts, none sooner than the reset',
    tfcFaults: () => [rateLimit(RUN_POLL, '0.5', Infinity)],
    verify: ({ world }) => {
      const polls = requestsTo(world, RUN_POLL)
      expect(polls).toHaveLength(6)
      const gaps = polls.slice(1).map((req, i) => req.at - polls[i].at)
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(500)
      return `${polls.length} attempts, shortest gap ${seconds(Math.min(...gaps))}`
    }
  },
  ...SERVER_STATUSES.map((status): Row => ({
    fault: `${status} once on the run poll`,
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried after a backoff',
    tfcFaults: () => [fault.serverError(RUN_POLL, { status })],
    verify: ({ world }) => {
      const [gap] = gapsAfterFaults(world, RUN_POLL, 1)
      expect(gap).toBeGreaterThanOrEqual(700)
      return `retried after ${seconds(gap)}`
    }
  })),
  ...SERVER_STATUSES.map((status): Row => ({
    fault: `${status} burst (×3) on ${status % 2 ? 'json-output' : 'the run poll'}`,
    slow: true,
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried with growing backoff',
    tfcFaults: () => [fault.serverError(status % 2 ? JSON_OUTPUT : RUN_POLL, { status, times: 3 })],
    verify: ({ world }) => {
      const gaps = gapsAfterFaults(world, status % 2 ? JSON_OUTPUT : RUN_POLL, 3)
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(700)
      // The backoff doubles (±25 %) each time: the third pause is well over the first.
      expect(gaps[2]).toBeGreaterThan(1.5 * gaps[0])
      return `retries after ${gaps.map(seconds).join(', ')}`
    }
  })),
  {
    fault: '503 forever on the run poll',
    slow: true,
    expected: {
      exit: 1,
      comments: 0,
      message: ['server error (503)', 'gave up after 6 attempts'],
      withinMs: 45_000
    },
    promise: 'bounded: 6 attempts',
    tfcFaults: () => [fault.serverError(RUN_POLL, { times: Infinity })],
    options: { timeoutMs: 60_000 },
    verify: ({ world }) => `${requestsTo(world, RUN_POLL).length} attempts`
  },
  {
    fault: 'connection reset once on the run poll',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried',
    tfcFaults: () => [fault.resetConnection(RUN_POLL)],
    verify: ({ world }) => `${requestsTo(world, RUN_POLL).length} polls`
  },
  {
    fault: 'connection reset burst (×3) on json-output',
    slow: true,
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried with backoff',
    tfcFaults: () => [fault.resetConnection(JSON_OUTPUT, { times: 3 })],
    verify: ({ world }) => {
      const gaps = gapsAfterFaults(world, JSON_OUTPUT, 3)
      return `retries after ${gaps.map(seconds).join(', ')}`
    }
  },
  {
    fault: 'API answer cut short once (truncated body) on the run poll',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried',
    tfcFaults: () => [fault.truncate(RUN_POLL)],
    verify: ({ world }) => `${requestsTo(world, RUN_POLL).length} polls`
  },
  {
    fault: 'slow answer (3 s, under the 30 s request timeout) on the run poll',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'waited for',
    tfcFaults: () => [fault.slow(RUN_POLL, { delayMs: 3000 })],
    verify: ({ step }) => {
      expect(step.durationMs).toBeGreaterThanOrEqual(3000)
      return `took ${seconds(step.durationMs)}`
    }
  },
  {
    fault: 'JSON:API error, numeric status (400)',
    expected: {
      exit: 1,
      comments: 0,
      message: [
        'unexpected HTTP status 400',
        'HCP Terraform said: "Bad Request: numeric status detail"'
      ]
    },
    tfcFaults: () => [
      jsonApiFault(RUN_POLL, 400, {
        errors: [{ status: 400, title: 'Bad Request', detail: 'numeric status detail' }]
      })
    ]
  },
  {
    fault: 'JSON:API error, string status (422)',
    expected: {
      exit: 1,
      comments: 0,
      message: ['(422)', 'HCP Terraform said: "invalid attribute: string status detail"']
    },
    tfcFaults: () => [
      jsonApiFault(RUN_POLL, 422, {
        errors: [{ status: '422', title: 'invalid attribute', detail: 'string status detail' }]
      })
    ]
  },
  {
    fault: '{"errors":["text"]} (409)',
    expected: {
      exit: 1,
      comments: 0,
      message: ['(409)', 'HCP Terraform said: "run is locked by another operation"']
    },
    tfcFaults: () => [
      jsonApiFault(RUN_POLL, 409, { errors: ['run is locked by another operation'] })
    ]
  },
  {
    fault: 'HTML error page from a proxy, 502 once',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried',
    tfcFaults: () => [fault.htmlError(RUN_POLL)]
  },
  {
    fault: 'HTML error page from a proxy, 403',
    expected: {
      exit: 1,
      comments: 0,
      message: ['forbidden (403)', 'Access denied by the corporate proxy']
    },
    promise: 'no markup in the message',
    tfcFaults: () => [
      {
        match: RUN_POLL,
        status: 403,
        body: '<html><head><title>403</title><style>h1{}</style></head><body><h1>Access denied by the corporate proxy</h1></body></html>'
      }
    ],
    verify: ({ step }) => {
      expect(step.annotations.errors.join('\n')).not.toMatch(/<h1>|<style>|<html>/)
      return undefined
    }
  },
  {
    fault: 'HTML page with 200 (captive portal) once on the run poll',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'read again, like a 5xx',
    tfcFaults: () => [
      { match: RUN_POLL, status: 200, body: '<html><body>Please log in</body></html>' }
    ],
    verify: ({ world }) => `${requestsTo(world, RUN_POLL).length} polls`
  },
  {
    fault: 'malformed JSON with 200 once on the run poll',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'read again, like a 5xx',
    tfcFaults: () => [fault.malformedJson(RUN_POLL)],
    verify: ({ world }) => `${requestsTo(world, RUN_POLL).length} polls`
  },
  {
    fault: 'HTML page with 200 on every run poll',
    slow: true,
    expected: {
      exit: 1,
      comments: 0,
      message: ['the answer (HTTP 200) is not JSON', 'gave up after 6 attempts'],
      withinMs: 45_000
    },
    promise: 'bounded retries, then a clear error',
    tfcFaults: () => [
      {
        match: RUN_POLL,
        status: 200,
        body: '<html><body>Please log in</body></html>',
        times: Infinity
      }
    ]
  },
  {
    fault: 'malformed JSON plan from the archivist, once',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'a fresh temporary URL is fetched',
    tfcFaults: (world, run) => [
      {
        match: archivistJson(world, run),
        status: 200,
        body: '{"format_version":"1.2","resource_changes":['
      }
    ],
    verify: ({ world }) => `${requestsTo(world, JSON_OUTPUT).length} json-output requests`
  },
  {
    fault: 'unknown run and plan status (3 polls) before finishing',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'keeps waiting; logged once',
    run: {
      statuses: [
        { plan: 'quantum_queued', run: 'quantum_queued' },
        { plan: 'quantum_queued', run: 'quantum_queued' },
        { plan: 'quantum_queued', run: 'quantum_queued' },
        'finished'
      ]
    },
    verify: ({ step, world }) => {
      const lines = step.log
        .split('\n')
        .filter(line => /quantum_queued.*new to this action/.test(line))
      expect(lines).toHaveLength(1)
      const polls = requestsTo(world, RUN_POLL).length
      expect(polls).toBeGreaterThanOrEqual(4)
      return `${polls} polls; logged ${lines.length}×`
    }
  },
  {
    fault: '204 from json-output (×3) after the plan finished',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'asked again',
    run: { jsonOutputNotReadyPolls: 3 },
    verify: ({ world }) => {
      const asked = requestsTo(world, JSON_OUTPUT).length
      expect(asked).toBeGreaterThanOrEqual(4)
      return `${asked} json-output requests`
    }
  },
  {
    fault: 'expired temporary URL (archivist 403), once',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'a fresh URL is fetched',
    tfcFaults: (world, run) => [fault.expired(archivistJson(world, run))],
    verify: ({ world }) => {
      const asked = requestsTo(world, JSON_OUTPUT).length
      expect(asked).toBe(2)
      return `${asked} json-output requests`
    }
  },
  {
    fault: 'expired temporary URL, every time',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'falls back to the redacted JSON',
    tfcFaults: (world, run) => [fault.expired(archivistJson(world, run), { times: Infinity })],
    verify: ({ step }) => {
      const [result] = JSON.parse(step.outputs.results) as { source: string }[]
      expect(result.source).toBe('redacted-json')
      return `source ${result.source}`
    }
  },
  {
    fault: 'truncated download, once',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'downloaded again',
    tfcFaults: (world, run) => [fault.truncate(archivistJson(world, run))],
    verify: ({ step }) => {
      const [result] = JSON.parse(step.outputs.results) as { source: string }[]
      expect(result.source).toBe('json')
      return `source ${result.source}`
    }
  },
  {
    fault: 'truncated download, every time',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'falls back to the redacted JSON',
    tfcFaults: (world, run) => [fault.truncate(archivistJson(world, run), { times: Infinity })],
    verify: ({ step }) => {
      const [result] = JSON.parse(step.outputs.results) as { source: string }[]
      expect(result.source).toBe('redacted-json')
      return `source ${result.source}`
    }
  },
  {
    fault: '401 (wrong token)',
    expected: { exit: 1, comments: 0, message: ['(401)', 'the `token` input'], withinMs: 10_000 },
    promise: 'not retried',
    inputs: { token: 'Wr0ngT0ken00000.atlasv1.notARealTokenAtAll000000000000000000000000' },
    verify: ({ world }) => {
      expect(requestsTo(world, RUN_POLL)).toHaveLength(1)
      return '1 request'
    }
  },
  {
    fault: '404 (token without access to the run)',
    expected: { exit: 1, comments: 0, message: ['not found, or the token may not see it'] },
    run: { tokenRole: 'none' }
  }
]

const gitHubRows: Row[] = [
  {
    fault: 'GitHub 502 once',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried',
    githubFaults: () => [serverError({ times: 1 })]
  },
  {
    fault: 'GitHub 503 burst (×2)',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried with backoff',
    githubFaults: () => [serverError({ status: 503, times: 2 })],
    verify: context => {
      const gaps = githubGapsAfter(context, 503)
      expect(gaps).toHaveLength(2)
      return `retries after ${gaps.map(seconds).join(', ')}`
    }
  },
  {
    fault: 'GitHub 500 forever',
    slow: true,
    expected: {
      exit: 1,
      outputs: FINISHED_WITH_CHANGES,
      comments: 0,
      message: [
        'Commenting on pull request #7 failed: GitHub API request failed:',
        'GET /repos/octo/infra/issues/7/comments answered 500'
      ],
      withinMs: 30_000
    },
    promise: 'outputs and job summary still written',
    githubFaults: () => [serverError({ status: 500, times: Infinity })],
    options: { timeoutMs: 60_000 },
    verify: ({ step, world }) => {
      expect(step.summary).toContain('Plan: 4 to add, 1 to change, 2 to destroy.')
      return `${world.github.requests.length} GitHub requests; summary written`
    }
  },
  {
    fault: 'GitHub 429 (secondary rate limit), retry-after 1',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried ≥ 1 s later',
    githubFaults: () => [secondaryRateLimit({ status: 429, retryAfter: 1 })],
    verify: context => {
      const gaps = githubGapsAfter(context, 429)
      expect(gaps).toHaveLength(1)
      expect(gaps[0]).toBeGreaterThanOrEqual(1000)
      return `retried after ${gaps.map(seconds).join(', ')}`
    }
  },
  {
    fault: 'GitHub 429 without a rate-limit message',
    expected: {
      exit: 1,
      outputs: FINISHED_WITH_CHANGES,
      comments: 0,
      message: [
        'Commenting on pull request #7 failed: GitHub API request failed:',
        'GET /repos/octo/infra/issues/7/comments answered 429'
      ]
    },
    promise: 'not retried; outputs and summary still written',
    // Twice: the first answers the best-effort read of the plans shown before, the second the
    // comment's own list.
    githubFaults: () => [
      {
        status: 429,
        times: 2,
        headers: { 'retry-after': '1' },
        body: { message: 'Too Many Requests' }
      }
    ],
    verify: ({ step }) => {
      expect(step.summary).toContain('Plan: 4 to add')
      return 'summary written'
    }
  },
  {
    fault: 'GitHub secondary rate limit (403), retry-after 2, twice',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'each retry ≥ 2 s later',
    githubFaults: () => [secondaryRateLimit({ retryAfter: 2, times: 2 })],
    verify: context => {
      const gaps = githubGapsAfter(context, 403)
      expect(gaps).toHaveLength(2)
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(2000)
      return `retries after ${gaps.map(seconds).join(', ')}`
    }
  },
  primaryRateLimitRow(),
  {
    fault: 'our comment on page 5 of 480',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'found and edited in place, nobody else’s touched',
    arrange: world => {
      for (let i = 0; i < 420; i++) world.github.addComment(PR_NUMBER, `Review note ${i}`)
    },
    act: async (world, run) => {
      const first = await world.run({ 'run-id': run.id })
      expect(first.code).toBe(0)
      for (let i = 0; i < 60; i++) world.github.addComment(PR_NUMBER, `Later note ${i}`)
      const second = await world.run({ 'run-id': run.id })
      expect(second.outputs['comment-id']).toBe(first.outputs['comment-id'])
      return second
    },
    verify: ({ world }) => {
      const pages = world.github.requests
        .filter(req => req.method === 'GET' && req.path.endsWith('/comments'))
        .map(req => Number(req.query.page ?? 1))
      expect(Math.max(...pages)).toBeGreaterThanOrEqual(5)
      expect(world.github.foreignWrites()).toEqual([])
      const edits = world.github.requests.filter(req => req.method === 'PATCH')
      expect(edits).toHaveLength(1)
      return `read up to page ${Math.max(...pages)}; 1 edit, 0 foreign writes`
    }
  },
  {
    fault: "someone else's comment carrying our marker",
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'left alone; ours written anew',
    arrange: world => {
      world.github.addComment(PR_NUMBER, `${MARKER}\nNot the bot's comment`, 'mallory')
    },
    verify: ({ world }) => {
      expect(world.github.foreignWrites()).toEqual([])
      const theirs = world.github.comments.filter(comment => comment.user.login === 'mallory')
      expect(theirs.map(comment => comment.body)).toEqual([`${MARKER}\nNot the bot's comment`])
      return '0 foreign writes'
    }
  },
  {
    fault: 'GitHub 403 on a pull request from a fork',
    expected: {
      exit: 0,
      outputs: FINISHED_WITH_CHANGES,
      comments: 0,
      message: ['No comment written on pull request #7', '403', 'pull-requests: write']
    },
    promise: 'job summary still written',
    arrange: world => world.github.setPermission('fork'),
    options: { event: pullRequestEvent({ fork: true }) },
    verify: ({ step }) => {
      expect(step.summary).toContain('Plan: 4 to add, 1 to change, 2 to destroy.')
      return 'summary written'
    }
  },
  {
    fault: 'GitHub 422 on writing the comment',
    expected: {
      exit: 0,
      outputs: FINISHED_WITH_CHANGES,
      comments: 0,
      message: [
        'No comment written on pull request #7',
        'GitHub rejected it (422 Validation Failed: body is too long)'
      ]
    },
    promise: 'job summary still written',
    githubFaults: () => [
      {
        status: 422,
        match: req => req.method === 'POST',
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'custom', message: 'body is too long' }]
        }
      }
    ],
    verify: ({ step }) => {
      expect(step.summary).toContain('Plan: 4 to add')
      return 'summary written'
    }
  }
]

/** The reset is an absolute time in whole seconds, fixed when the row starts: the retry must not
 * come before it, however late the step reaches GitHub on a busy machine. */
function primaryRateLimitRow(): Row {
  let resetAt = 0
  return {
    fault: 'GitHub primary rate limit (403, x-ratelimit-remaining 0)',
    expected: { exit: 0, outputs: FINISHED_WITH_CHANGES, comments: 1, detailed: true },
    promise: 'retried after the reset',
    githubFaults: () => {
      const limit = primaryRateLimit({ resetInSeconds: 1 })
      resetAt = Number(limit.headers?.['x-ratelimit-reset']) * 1000
      return [limit]
    },
    verify: context => {
      const gaps = githubGapsAfter(context, 403)
      expect(gaps).toHaveLength(1)
      const { requests } = context.world.github
      const retry = requests[requests.findIndex(request => request.status === 403) + 1]
      expect(context.githubTimes.get(retry)).toBeGreaterThanOrEqual(resetAt)
      return `retried after ${gaps.map(seconds).join(', ')}`
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A hostile plan: every string a pull request author controls, crafted to break out

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '`whoami`',
  '``` evil',
  'a|b|c',
  '@someone',
  '#123',
  '<!-- tfc-plan-summary:network: -->',
  '</details><script>alert(1)</script>',
  '[click](javascript:alert(1))'
]
const SECRETS = {
  attribute: 'HostileSecretAttribute4471',
  whole: 'HostileSecretWholeValue8832',
  output: 'HostileSecretOutput1290',
  listElement: 'HostileSecretListItem5521',
  jsonString: 'HostileSecretInJson7734',
  before: 'HostileSecretBefore6610',
  variable: 'HostileSecretVariable3358'
}
const LONG_LINE = `${'long-line-'.repeat(3000)}end`

function hostilePlan(): object {
  const resource = (address: string, change: object) => ({
    address,
    mode: 'managed',
    type: address.split('.')[0],
    name: address.split('.')[1].split('[')[0],
    index: address.includes('[') ? address.slice(address.indexOf('[') + 2, -2) : undefined,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change
  })
  const forEach = HOSTILE.map((key, i) =>
    resource(`aws_instance.web[${JSON.stringify(key)}]`, {
      actions: ['create'],
      before: null,
      after: {
        name: key,
        tags: { [key]: HOSTILE[(i + 1) % HOSTILE.length] },
        user_data: HOSTILE.join('\n')
      },
      after_unknown: { id: true },
      before_sensitive: false,
      after_sensitive: { tags: {} }
    })
  )
  return {
    format_version: '1.2',
    terraform_version: '1.9.5',
    variables: { db_password: { value: SECRETS.variable } },
    resource_changes: [
      ...forEach,
      resource(`aws_s3_bucket.long["${LONG_LINE}"]`, {
        actions: ['create'],
        before: null,
        after: { bucket: LONG_LINE, policy: JSON.stringify({ Statement: HOSTILE }) },
        after_unknown: {},
        before_sensitive: false,
        after_sensitive: {}
      }),
      resource('aws_db_instance.main', {
        actions: ['update'],
        before: { password: SECRETS.before, engine: 'postgres', allowed: ['10.0.0.0/8'] },
        after: {
          password: SECRETS.attribute,
          engine: 'postgres <img src=x onerror=alert(1)>',
          allowed: ['10.0.0.0/8', SECRETS.listElement],
          settings: JSON.stringify({ token: SECRETS.jsonString, note: '@someone #123' })
        },
        after_unknown: {},
        before_sensitive: { password: true },
        after_sensitive: { password: true, allowed: [false, true], settings: true }
      }),
      resource('aws_secretsmanager_secret_version.all', {
        actions: ['delete', 'create'],
        before: { secret_string: SECRETS.whole },
        after: { secret_string: `${SECRETS.whole}-new`, [SECRETS.whole]: 'key' },
        after_unknown: {},
        before_sensitive: true,
        after_sensitive: true,
        replace_paths: [['secret_string']]
      })
    ],
    output_changes: {
      db_password: {
        actions: ['create'],
        before: null,
        after: SECRETS.output,
        after_unknown: false,
        before_sensitive: false,
        after_sensitive: true
      },
      banner: {
        actions: ['create'],
        before: null,
        after: HOSTILE.join(' '),
        after_unknown: false,
        before_sensitive: false,
        after_sensitive: false
      }
    },
    configuration: { root_module: { variables: { db_password: { sensitive: true } } } },
    applyable: true,
    complete: true,
    errored: false
  }
}

/** The tags GitHub may render from our Markdown; anything else means content became HTML. */
const ALLOWED_TAGS = new Set([
  'a',
  'b',
  'i',
  'br',
  'code',
  'details',
  'summary',
  'p',
  'pre',
  'ul',
  'ol',
  'li',
  'h2',
  'h3',
  'h4',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'blockquote',
  'em',
  'strong',
  'hr'
])

function expectInert(markdown: string): string[] {
  expectWellFormed(markdown)
  const html = marked.parse(markdown.replace(/^<!--[^\n]*-->\n/, ''), { async: false, gfm: true })
  const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g)]
  const foreign = tags.filter(([, name]) => !ALLOWED_TAGS.has(name.toLowerCase()))
  expect(foreign.map(([tag]) => tag)).toEqual([])
  expect(tags.filter(([, , attributes]) => /\bon\w+=|javascript:/i.test(attributes))).toEqual([])
  const shown = visibleText(proseOf(markdown).replace(/^<!--[^\n]*-->/, ''))
  expect(shown).not.toMatch(/@[A-Za-z0-9]/)
  expect(shown).not.toMatch(/#\d/)
  // The only hidden comments are our own: the marker on the first line, the record on the last.
  expect(markdown.split('<!--')).toHaveLength(3)
  expect(markdown.startsWith(MARKER)).toBe(true)
  expect(markdown).toMatch(/\n<!-- tfc-plan-summary-record \{[^\n<>]*\} -->$/)
  return [...new Set(tags.map(([, name]) => name.toLowerCase()))]
}

const hostileRow: Row = {
  fault:
    'hostile plan: <img onerror>, backticks, |, @mention, #123, fake markers, 30 kB lines, 7 sensitive values',
  expected: {
    exit: 0,
    outputs: { status: 'finished', hasChanges: true, add: 11, change: 1, destroy: 1 },
    comments: 1
  },
  promise:
    'renders inert (only our own tags, no mention or reference, one marker); no sensitive value anywhere; re-run edits the same comment',
  run: { planJson: hostilePlan() },
  act: async (world, run) => {
    const first = await world.run({ 'run-id': run.id })
    const second = await world.run({ 'run-id': run.id })
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id'])
    return second
  },
  verify: ({ world }) => {
    const [comment] = world.prComments()
    expect(comment.body.length).toBeLessThanOrEqual(65_536)
    const tags = expectInert(comment.body)
    for (const key of ['a|b|c', '@someone', '#123']) expect(plainText(comment.body)).toContain(key)
    const secrets = Object.values(SECRETS)
    for (const step of world.runs) {
      const githubOutput = readFileSync(path.join(step.workDir, 'github_output'), 'utf8')
      const places = [
        ...world.github.comments.map(c => c.body),
        step.summary,
        step.stdout,
        step.stderr,
        JSON.stringify(step.outputs),
        githubOutput
      ]
      for (const place of places)
        expect(secrets.filter(secret => place.includes(secret))).toEqual([])
    }
    return `${comment.body.length} chars; tags ${tags.join(' ')}; 0 of ${secrets.length} secrets shown`
  }
}

// ---------------------------------------------------------------------------------------------
// Cancellation: the runner signals the step; it must stop at once and write nothing more

const SIGNAL_AFTER_MS = 2000

function cancellationRow(
  signal: 'SIGINT' | 'SIGTERM',
  during: string,
  setup: Pick<Row, 'run' | 'tfcFaults' | 'githubFaults'>
): Row {
  return {
    fault: `${signal} ${during}`,
    expected: {
      exit: 1,
      comments: 0,
      message: [`Cancelled by ${signal}`],
      withinMs: SIGNAL_AFTER_MS + 5000
    },
    promise: 'stops within 5 s of the signal; no comment written',
    ...setup,
    inputs: { 'wait-timeout': '60s' },
    options: { signal: { name: signal, afterMs: SIGNAL_AFTER_MS } },
    verify: ({ step, world }) => {
      const writes = world.github.requests.filter(req => req.method !== 'GET')
      expect(writes).toEqual([])
      return `stopped ${seconds(step.durationMs - SIGNAL_AFTER_MS)} after the signal`
    }
  }
}

const WAITING: Pick<Row, 'run'> = { run: { statuses: ['running'], advance: 'manual' } }

const cancellationRows: Row[] = [
  cancellationRow('SIGINT', 'while the plan runs', WAITING),
  cancellationRow('SIGTERM', 'while the plan runs', WAITING),
  cancellationRow('SIGTERM', 'during a 30 s rate-limit wait', {
    tfcFaults: () => [rateLimit(RUN_POLL, '30', Infinity)]
  }),
  cancellationRow('SIGINT', 'while GitHub asks to retry after 20 s', {
    githubFaults: () => [secondaryRateLimit({ retryAfter: 20, times: Infinity })]
  })
]

// ---------------------------------------------------------------------------------------------
// Running the rows

const matrix = new Map<string, { expected: string; seen: string }>()

async function runRow(row: Row): Promise<void> {
  const world = await startWorld()
  try {
    const githubTimes = timeGitHubRequests(world)
    row.arrange?.(world)
    const run = world.tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: CHANGES,
      ...row.run
    })
    world.tfc.faults.push(...(row.tfcFaults?.(world, run) ?? []))
    world.github.faults.push(...(row.githubFaults?.() ?? []))
    const step = row.act
      ? await row.act(world, run)
      : await world.run({ 'run-id': run.id, ...row.inputs }, row.options)

    const comments = world.github.comments.filter(
      comment =>
        comment.issue_number === PR_NUMBER &&
        comment.user.login === GITHUB_ACTIONS_BOT.login &&
        comment.body.startsWith(MARKER)
    )
    const outcome = describeOutcome(step.code, outputsOf(step), comments.length)
    const said = annotationText(
      (step.code === 0 ? step.annotations.warnings : step.annotations.errors).join('\n')
    )
    const seen = [outcome, ...(said ? [`"${said}"`] : []), `in ${seconds(step.durationMs)}`]
    matrix.set(row.fault, { expected: describeExpected(row), seen: seen.join(' · ') })

    const { expected } = row
    expect(outcome).toBe(describeOutcome(expected.exit, expected.outputs, expected.comments))
    expect(step.timedOut).toBe(false)
    expect(step.summary === '').toBe(expected.outputs === undefined)
    if (expected.message) {
      const annotations = expected.exit === 0 ? step.annotations.warnings : step.annotations.errors
      expect(annotations.join('\n')).toMatch(inOrder(expected.message))
    } else if (expected.exit === 0) {
      expect(step.annotations.errors).toEqual([])
    }
    if (expected.withinMs) expect(step.durationMs).toBeLessThan(expected.withinMs)
    if (expected.detailed) {
      const body = plainText(comments[0].body)
      for (const address of CHANGED_ADDRESSES) expect(body).toContain(address)
    }
    const note = row.verify?.({ world, run, step, githubTimes })
    if (note)
      matrix.set(row.fault, { expected: describeExpected(row), seen: [...seen, note].join(' · ') })
    expectNothingLeaked(world, step, [
      world.tfc.tokens.admin ?? '',
      world.tfc.tokens.read ?? '',
      row.inputs?.token ?? ''
    ])
    // Failures are explained, not dumped: no stack trace, nothing on stderr.
    expect(errorsAndWarnings(step)).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/)
    expect(step.stderr).toBe('')
  } finally {
    await world.close()
  }
}

const ROW_TIMEOUT_MS = 90_000

/** Every row of the matrix, in the order the printed table lists them. */
const ALL_ROWS = [...hcpTerraformRows, ...gitHubRows, ...cancellationRows, hostileRow]

/**
 * Declares the rows of one tier (quick: `npm test`; slow: rows that wait out every retry) and
 * prints, after them, the matrix of what was seen.
 */
export function describeFaultMatrix(tier: 'quick' | 'slow'): void {
  const inTier = (row: Row): boolean => (row.slow === true) === (tier === 'slow')

  afterAll(async () => {
    await removeStepDirs()
    const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
    const lines = ALL_ROWS.filter(inTier).flatMap(({ fault }) => {
      const observed = matrix.get(fault)
      return observed
        ? [`| ${cell(fault)} | ${cell(observed.expected)} | ${cell(observed.seen)} |`]
        : []
    })
    // eslint-disable-next-line no-console -- the matrix is for the closing note
    console.log(['| fault | expected | seen |', '| --- | --- | --- |', ...lines].join('\n'))
  })

  // Rows run five at a time, the slowest (the ones that give up) first, so that they overlap.
  describe('faults of HCP Terraform and GitHub', () => {
    const slowestFirst = [...hcpTerraformRows, ...gitHubRows]
      .filter(inTier)
      .sort((a, b) => (b.expected.withinMs ?? 0) - (a.expected.withinMs ?? 0))
    for (const row of slowestFirst) it.concurrent(row.fault, () => runRow(row), ROW_TIMEOUT_MS)
  })

  // Each row has a world of its own, so the signals can be sent side by side.
  describe('cancellation', () => {
    for (const row of cancellationRows.filter(inTier)) {
      it.concurrent(row.fault, () => runRow(row), ROW_TIMEOUT_MS)
    }
  })

  describe('a hostile plan', () => {
    for (const row of [hostileRow].filter(inTier)) it(row.fault, () => runRow(row), ROW_TIMEOUT_MS)
  })
}
