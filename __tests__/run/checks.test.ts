import { describe, expect, it } from '@jest/globals'
import type { PolicySet, RunChecks, TaskResult } from '../../src/run/checks.js'
import {
  failedPolicyCount,
  notRun,
  policyStatus,
  runStatusWords,
  runTasksStatus,
  worstCheckStatus
} from '../../src/run/checks.js'
import { parseSentinelOutput } from '../../src/run/sentinel-output.js'
import { costTrip, runConditionTrip, runErroredTrip } from '../../src/gates/run.js'
import { evaluateGates } from '../../src/gates/evaluate.js'
import { modelFromApiCounts } from '../../src/plan/model.js'

function checksOf(parts: Partial<RunChecks>): RunChecks {
  return { runStatus: 'planned_and_finished', taskResults: [], policySets: [], notes: [], ...parts }
}

function set(outcomes: [string, string][], extra: Partial<PolicySet> = {}): PolicySet {
  return {
    name: 'baseline',
    kind: 'opa',
    status: 'failed',
    overridden: false,
    outcomes: outcomes.map(([status, enforcement], i) => ({ name: `p${i}`, status, enforcement })),
    ...extra
  }
}

function task(status: string, enforcement: string): TaskResult {
  return { name: `t-${status}-${enforcement}`, stage: 'post_plan', status, enforcement }
}

describe('policy status', () => {
  it.each([
    [[], 'none'],
    [[['passed', 'mandatory']], 'passed'],
    [
      [
        ['failed', 'advisory'],
        ['passed', 'mandatory']
      ],
      'advisory-failed'
    ],
    [
      [
        ['failed', 'soft-mandatory'],
        ['failed', 'advisory']
      ],
      'soft-failed'
    ],
    [
      [
        ['failed', 'mandatory'],
        ['failed', 'soft-mandatory']
      ],
      'failed'
    ],
    [[['failed', 'hard-mandatory']], 'failed'],
    [
      [
        ['errored', 'advisory'],
        ['failed', 'mandatory']
      ],
      'errored'
    ]
  ] as [[string, string][], string][])('%j is %s', (outcomes, status) => {
    const checks = checksOf({ policySets: outcomes.length > 0 ? [set(outcomes)] : [] })
    expect(policyStatus(checks)).toBe(status)
  })

  it('leaves overridden sets out of failures and counts', () => {
    const checks = checksOf({
      policySets: [set([['failed', 'mandatory']], { overridden: true, status: 'overridden' })]
    })
    expect(policyStatus(checks)).toBe('passed')
    expect(failedPolicyCount(checks)).toBe(0)
    expect(runConditionTrip('policy', checks)).toBeUndefined()
  })

  it('counts a set that errored before any policy ran as errored', () => {
    const checks = checksOf({ policySets: [set([], { status: 'errored', error: 'bad bundle' })] })
    expect(policyStatus(checks)).toBe('errored')
    expect(runConditionTrip('policy', checks)?.message).toContain('baseline (errored)')
  })
})

describe('run tasks status', () => {
  it.each([
    [[], 'none'],
    [[task('passed', 'mandatory')], 'passed'],
    [[task('failed', 'advisory')], 'advisory-failed'],
    [[task('errored', 'advisory'), task('passed', 'mandatory')], 'advisory-failed'],
    [[task('failed', 'mandatory'), task('failed', 'advisory')], 'failed'],
    [[task('errored', 'mandatory'), task('failed', 'mandatory')], 'errored']
  ] as [TaskResult[], string][])('%# is %s', (tasks, status) => {
    expect(runTasksStatus(checksOf({ taskResults: tasks }))).toBe(status)
  })

  it('reports stages that never started once the run is over as not run', () => {
    expect(notRun(task('pending', 'mandatory'), 'errored')).toBe(true)
    expect(notRun(task('pending', 'mandatory'), 'post_plan_running')).toBe(false)
    expect(notRun(task('failed', 'mandatory'), 'errored')).toBe(false)
  })
})

describe('run gates', () => {
  it('trips policy on mandatory failures only, advisory on advisory ones, run-task on mandatory tasks', () => {
    const checks = checksOf({
      policySets: [
        set([
          ['failed', 'advisory'],
          ['failed', 'soft-mandatory']
        ])
      ],
      taskResults: [task('failed', 'advisory'), task('errored', 'mandatory')]
    })
    expect(runConditionTrip('policy', checks)?.message).toBe(
      '1 mandatory policy failed: p1 (baseline, soft-mandatory, failed)'
    )
    expect(runConditionTrip('advisory', checks)?.message).toBe(
      '2 advisory checks failed: p0 (baseline), run task t-failed-advisory (failed)'
    )
    expect(runConditionTrip('run-task', checks)?.message).toBe(
      '1 mandatory run task failed: t-errored-mandatory (post_plan, errored)'
    )
    expect(
      runConditionTrip('run-task', checksOf({ taskResults: [task('failed', 'advisory')] }))
    ).toBeUndefined()
  })

  it.each([
    ['errored', true],
    ['policy_soft_failed', true],
    ['policy_override', true],
    ['post_plan_awaiting_decision', true],
    ['pre_plan_awaiting_decision', true],
    ['canceled', true],
    ['planned_and_finished', false],
    ['planned', false],
    ['discarded', false]
  ])('errored trips on run status %s: %s', (runStatus, trips) => {
    expect(runErroredTrip(checksOf({ runStatus })) !== undefined).toBe(trips)
  })

  it('compares the cost delta with the limit exactly', () => {
    const cost = (delta: string) => checksOf({ cost: { status: 'finished', deltaMonthly: delta } })
    expect(costTrip(cost('100.001'), '100')?.condition).toBe('cost')
    expect(costTrip(cost('100.000'), '100')).toBeUndefined()
    expect(costTrip(cost('-500'), '0')).toBeUndefined()
    expect(costTrip(cost('5'), undefined)).toBeUndefined()
    expect(costTrip(checksOf({ cost: { status: 'errored' } }), '0')).toBeUndefined()
  })

  it('adds run errors to errored only when the plan did not already trip it', () => {
    const finished = modelFromApiCounts({}, false)
    const checks = checksOf({ runStatus: 'errored' })
    const trips = evaluateGates(finished, 'errored', ['errored'], [], { checks })
    expect(trips.map(trip => trip.message)).toEqual(['The plan errored'])
    const runOnly = evaluateGates(finished, 'finished', ['errored', 'policy'], [], { checks })
    expect(runOnly.map(trip => trip.message)).toEqual(['The run errored (run status errored)'])
    // Without the run's checks (wait-for: plan) run conditions cannot trip.
    expect(evaluateGates(finished, 'finished', ['errored', 'policy', 'run-task'], [])).toEqual([])
  })
})

describe('run status words', () => {
  it('says what a person must do, and words unknown statuses plainly', () => {
    expect(runStatusWords('policy_soft_failed')).toBe(
      'policy soft-failed: an override is needed to apply'
    )
    expect(runStatusWords('quantum_state')).toBe('run quantum state')
  })

  it('orders check statuses worst first', () => {
    expect(worstCheckStatus(['passed', 'advisory-failed', 'none'])).toBe('advisory-failed')
    expect(worstCheckStatus([])).toBe('none')
  })
})

describe('parseSentinelOutput', () => {
  it('splits the output into one outcome per policy with its level, result and text', () => {
    const output = [
      'Sentinel Result: false',
      '',
      '## Policy 1: a.sentinel (hard-mandatory)',
      '',
      'Result: false',
      '',
      'FALSE - a.sentinel:1:1 - Rule "main"',
      '## Policy 2: b.sentinel (advisory)',
      'Result: true',
      '## Policy 3: c.sentinel (soft-mandatory)',
      'runtime error'
    ].join('\r\n')
    expect(parseSentinelOutput(output)).toEqual([
      {
        name: 'a.sentinel',
        status: 'failed',
        enforcement: 'hard-mandatory',
        output: 'FALSE - a.sentinel:1:1 - Rule "main"'
      },
      { name: 'b.sentinel', status: 'passed', enforcement: 'advisory', output: undefined },
      {
        name: 'c.sentinel',
        status: 'errored',
        enforcement: 'soft-mandatory',
        output: 'runtime error'
      }
    ])
  })

  it('finds nothing in text without policy sections', () => {
    expect(parseSentinelOutput('Sentinel Result: true\n')).toEqual([])
  })
})
