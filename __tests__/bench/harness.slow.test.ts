// The bench's harness against the real simulators, with stand-ins for the action: the figures
// it reports come from the right requests, and a broken action makes it fail.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { prepareActionRun } from '../../scripts/bench/action.mjs'
import {
  analyzeWait,
  measureStartup,
  measureWaiting,
  requestsWithToken
} from '../../scripts/bench/latency.mjs'
import { commandExists } from '../../scripts/bench/measure.mjs'
import { countMismatches, ensurePlan, measurePlanSize } from '../../scripts/bench/throughput.mjs'
import type { BenchPlan } from '../../scripts/bench/throughput.mjs'
import type { RecordedRequest } from '../../test/sim/tfc.mjs'

const STUB_ACTION = fileURLToPath(new URL('../fixtures/bench/stub-action.mjs', import.meta.url))
const FAILING_ACTION = fileURLToPath(
  new URL('../fixtures/bench/failing-action.mjs', import.meta.url)
)
const ORIGIN = 'http://127.0.0.1:4000'

let dir: string
let plan: BenchPlan
const noLog = () => undefined

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bench-harness-test-'))
  plan = ensurePlan(dir, 300)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function request(at: number, requestPath: string, token = 't1', origin = ORIGIN): RecordedRequest {
  return {
    origin,
    method: 'GET',
    path: requestPath,
    query: {},
    headers: { authorization: `Bearer ${token}` },
    body: '',
    at
  }
}

describe('requestsWithToken', () => {
  it("keeps one action's API requests", () => {
    const requests = [
      request(1, '/api/v2/runs/run-a'),
      request(2, '/api/v2/runs/run-b', 't2'),
      request(3, '/v1/object/x', 't1', 'http://localhost:4001'),
      request(4, '/api/v2/runs/run-a/plan/json-output')
    ]
    expect(requestsWithToken(requests, ORIGIN, 't1').map(r => r.at)).toEqual([1, 4])
  })
})

describe('analyzeWait', () => {
  it('measures from the finish to the first JSON plan request, and the requests of the minute before', () => {
    const polls = [0, 5000, 20_000, 35_000, 50_000, 65_000, 70_500].map(at =>
      request(at, '/api/v2/runs/run-a')
    )
    const after = [
      request(72_000, '/api/v2/runs/run-a'),
      request(72_100, '/api/v2/runs/run-a/plan/json-output')
    ]
    const analysis = analyzeWait([...polls, ...after], 71_000)
    expect(analysis.noticedMs).toBe(1100)
    expect(analysis.requestsWhileWaiting).toBe(7)
    // From 11 s to 71 s: the polls at 20, 35, 50, 65 and 70.5 s.
    expect(analysis.requestsInWindow).toBe(5)
    expect(analysis.requestsPerMinute).toBe(5)
  })

  it('scales a shorter window to a minute', () => {
    const polls = [0, 100, 200, 300, 400, 500].map(at => request(at, '/api/v2/runs/run-a'))
    const analysis = analyzeWait(polls, 550, 400)
    expect(analysis.requestsInWindow).toBe(4)
    expect(analysis.requestsPerMinute).toBe(600)
  })

  it('has no rate when the action waited less than the window, nor a latency without the JSON plan', () => {
    const once = analyzeWait([request(30_000, '/api/v2/runs/run-a')], 50_000)
    expect(once.noticedMs).toBeUndefined()
    expect(once.requestsInWindow).toBe(1)
    expect(once.requestsPerMinute).toBeUndefined()
    expect(analyzeWait([], 500).requestsWhileWaiting).toBe(0)
  })
})

describe('countMismatches', () => {
  const counts = { add: 1, change: 2, destroy: 3, import: 0, replace: 1, move: 0 }
  it('accepts outputs equal to the counts and names each that differs or is missing', () => {
    const outputs = { add: '1', change: '2', destroy: '3', import: '0', replace: '1', move: '0' }
    expect(countMismatches(outputs, counts)).toEqual([])
    const wrong = countMismatches({ ...outputs, destroy: '4', move: '' }, counts)
    expect(wrong).toHaveLength(2)
    expect(wrong[0]).toMatch(/^destroy: action said "4", plan has 3/)
    const withoutAdd: Record<string, string> = { ...outputs }
    delete withoutAdd.add
    expect(countMismatches(withoutAdd, counts)).toEqual([expect.stringMatching(/^add:/)])
  })
})

describe('prepareActionRun', () => {
  it("gives the step the runner's inputs and files and nothing of the bench's environment", () => {
    process.env['INPUT_RUN-ID'] = 'run-leaked'
    const prepared = prepareActionRun({
      entry: STUB_ACTION,
      tfcUrl: ORIGIN,
      token: 'secret',
      runId: 'run-0123456789abcdef'
    })
    try {
      expect(prepared.env).toMatchObject({
        'INPUT_RUN-ID': 'run-0123456789abcdef',
        INPUT_TOKEN: 'secret',
        INPUT_HOSTNAME: ORIGIN,
        INPUT_COMMENT: 'off',
        // action.yml's default, as the runner passes it
        'INPUT_FAIL-ON': 'errored,policy,run-task',
        GITHUB_EVENT_NAME: 'pull_request'
      })
      expect(prepared.env.NODE_OPTIONS).toBeUndefined()
      expect(prepared.env.GITHUB_API_URL).toBeUndefined()
      expect(prepared.outputs()).toEqual({})
    } finally {
      delete process.env['INPUT_RUN-ID']
      prepared.cleanup()
    }
  })
})

describe('measurePlanSize', () => {
  const withJq = commandExists('jq')

  it('measures the action and both floors, and checks the outputs against the plan', async () => {
    const result = await measurePlanSize({
      entry: STUB_ACTION,
      plan,
      repeat: 2,
      withJq,
      log: noLog
    })
    expect(result.problems).toEqual([])
    expect(result.resources).toBe(300)
    expect(result.e2e?.wallMs).toBeGreaterThan(0)
    expect(result.e2e?.peakRssBytes).toBeGreaterThan(10_000_000)
    expect(result.node?.wallMs).toBeGreaterThan(0)
    expect(result.jq === null).toBe(!withJq)
  })

  it('reports outputs that differ from the plan', async () => {
    const miscounted = { ...plan, counts: { ...plan.counts, add: plan.counts.add + 1 } }
    const result = await measurePlanSize({
      entry: STUB_ACTION,
      plan: miscounted,
      repeat: 1,
      withJq: false,
      log: noLog
    })
    expect(result.problems).toEqual([
      expect.stringMatching(/^300 resources: wrong step outputs: add:/)
    ])
  })

  it('reports an action that fails, with its log', async () => {
    const result = await measurePlanSize({
      entry: FAILING_ACTION,
      plan,
      repeat: 2,
      withJq: false,
      log: noLog
    })
    expect(result.e2e).toBeNull()
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatch(/exited with 3:\n.*boom/)
  })
})

describe('measureWaiting', () => {
  it('times how soon each action asks for the JSON plan after its plan finished', async () => {
    const result = await measureWaiting({
      entry: STUB_ACTION,
      planPath: plan.path,
      runs: 2,
      // Long enough for several 100 ms polls even when the stand-in starts slowly on a busy machine.
      minDelayMs: 1200,
      maxDelayMs: 1500,
      windowMs: 300
    })
    expect(result.problems).toEqual([])
    expect(result.runs).toHaveLength(2)
    for (const run of result.runs) {
      expect(run.delayMs).toBeGreaterThanOrEqual(1200)
      // The stand-in polls every 100 ms; the simulator answers the first json-output with 204.
      expect(run.noticedMs).toBeLessThan(500)
      expect(run.requestsWhileWaiting).toBeGreaterThan(2)
    }
    expect(result.requestsPerMinute).toBeGreaterThan(100)
  })
})

describe('measureStartup', () => {
  it('times from spawn to the first API request', async () => {
    const result = await measureStartup({ entry: STUB_ACTION, planPath: plan.path, runs: 2 })
    expect(result.problems).toEqual([])
    expect(result.samples).toHaveLength(2)
    expect(result.firstRequestMs).toBeGreaterThan(0)
    expect(result.firstRequestMs).toBeLessThan(3000)
  })

  it('reports an action that never calls the API', async () => {
    const result = await measureStartup({ entry: FAILING_ACTION, planPath: plan.path, runs: 1 })
    expect(result.samples).toEqual([])
    expect(result.problems[0]).toMatch(/start-up run 1: the action exited with 3/)
  })
})
