import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createTfcClient } from '../../src/tfc/client.js'
import type { TfcClient } from '../../src/tfc/client.js'
import { getRun } from '../../src/tfc/runs.js'
import { readRunChecks } from '../../src/tfc/run-checks.js'
import { isPlanOver, isRunOver, pendingWork } from '../../src/tfc/run-progress.js'
import { on, startTfcSimulator } from '../../test/sim/tfc.mjs'
import type { PostPlanSpec, TfcSimulator } from '../../test/sim/tfc.mjs'

const links = (stages: string[], cost: string | null) => ({
  taskStages: stages.map((status, i) => ({ id: `ts-${i}`, stage: 'post_plan', status })),
  costEstimate: cost === null ? null : { id: 'ce-1', status: cost },
  policyCheckIds: []
})

describe('when waiting for the run is over', () => {
  it.each([
    ['finished', 'planned_and_finished', links([], null), true],
    ['finished', 'post_plan_running', links(['running'], null), false],
    ['finished', 'cost_estimating', links([], 'queued'), false],
    ['finished', 'policy_checking', links([], 'finished'), false],
    ['finished', 'errored', links(['pending'], 'pending'), true],
    ['finished', 'policy_soft_failed', links([], null), true],
    ['finished', 'post_plan_awaiting_decision', links(['awaiting_override'], null), true],
    // A run that can be applied pauses; it is over once nothing is pending.
    ['finished', 'post_plan_completed', links(['passed'], 'pending'), false],
    ['finished', 'cost_estimated', links(['passed', 'running'], 'finished'), false],
    ['finished', 'planned', links(['passed'], 'finished'), true],
    ['running', 'planning', links([], null), false],
    ['errored', 'errored', links([], null), true],
    ['pending', 'pre_plan_awaiting_decision', links(['failed'], null), true],
    ['pending', 'pre_plan_running', links(['running'], null), false],
    ['finished', 'quantum_state', links([], null), false]
  ])('plan %s, run %s (%j): %s', (planStatus, runStatus, postPlan, over) => {
    expect(isRunOver({ planStatus, runStatus, postPlan })).toBe(over)
  })

  it('ends a plan-only wait at the final plan, or when the run stopped before planning', () => {
    expect(isPlanOver({ planStatus: 'finished', runStatus: 'post_plan_running' })).toBe(true)
    expect(isPlanOver({ planStatus: 'pending', runStatus: 'pre_plan_awaiting_decision' })).toBe(
      true
    )
    expect(isPlanOver({ planStatus: 'pending', runStatus: 'pre_plan_running' })).toBe(false)
    // A plan without a run: its own status decides.
    expect(isRunOver({ planStatus: 'finished' })).toBe(true)
  })

  it('names the pending work', () => {
    const postPlan = links(['running', 'passed'], 'queued')
    expect(pendingWork({ planStatus: 'finished', postPlan })).toEqual([
      'post_plan run tasks',
      'the cost estimate'
    ])
  })
})

describe('readRunChecks against the simulator', () => {
  let tfc: TfcSimulator
  let client: TfcClient
  beforeEach(async () => {
    tfc = await startTfcSimulator()
    client = createTfcClient({
      origin: tfc.url,
      token: tfc.tokens.admin ?? '',
      maxRetries: 0
    })
  })
  afterEach(async () => {
    await tfc.close()
  })

  const read = async (postPlan: PostPlanSpec, finalRun = 'planned_and_finished') => {
    const run = tfc.addRun({
      workspace: 'ws',
      statuses: [{ plan: 'finished', run: finalRun }],
      postPlan
    })
    return readRunChecks(client, await getRun(client, run.id, { postPlan: true }))
  }

  it('reads task results, every page of policy-set outcomes, legacy checks and exact costs', async () => {
    const outcomes = Array.from({ length: 150 }, (_, i) => ({
      name: `set-${i}`,
      outcomes: [
        {
          policy_name: `p-${i}`,
          status: 'failed' as const,
          enforcement_level: 'advisory' as const,
          description: 'why',
          output: [{ print: 'line 1' }, { print: 'line 2' }]
        }
      ]
    }))
    const checks = await read({
      taskStages: [
        {
          stage: 'post_plan',
          status: 'passed',
          taskResults: [
            { name: 'scan', status: 'passed', enforcement: 'mandatory', url: 'https://s.example/1' }
          ],
          policyEvaluations: [{ kind: 'opa', status: 'failed', policySets: outcomes }]
        }
      ],
      policyChecks: [
        {
          status: 'hard_failed',
          output: '## Policy 1: x.sentinel (hard-mandatory)\nResult: false\nFALSE'
        }
      ],
      costEstimate: {
        status: 'finished',
        prior: '0.10',
        proposed: '0.30',
        delta: '0.20',
        matched: 2,
        unmatched: 0
      }
    })
    expect(checks.notes).toEqual([])
    expect(checks.taskResults).toEqual([
      {
        name: 'scan',
        stage: 'post_plan',
        status: 'passed',
        enforcement: 'mandatory',
        url: 'https://s.example/1',
        message: undefined
      }
    ])
    const opa = checks.policySets.filter(set => set.kind === 'opa')
    expect(opa).toHaveLength(150)
    expect(opa[149].outcomes[0]).toEqual({
      name: 'p-149',
      status: 'failed',
      enforcement: 'advisory',
      description: 'why',
      output: 'line 1\nline 2'
    })
    const sentinel = checks.policySets.find(set => set.kind === 'sentinel')
    expect(sentinel?.outcomes).toEqual([
      { name: 'x.sentinel', status: 'failed', enforcement: 'hard-mandatory', output: 'FALSE' }
    ])
    expect(checks.cost).toEqual({
      status: 'finished',
      priorMonthly: '0.10',
      proposedMonthly: '0.30',
      deltaMonthly: '0.20',
      matched: 2,
      unmatched: 0,
      errorMessage: undefined
    })
  })

  it('turns 403, 404 and 400 into notes instead of failures', async () => {
    tfc.faults.push(
      {
        match: on('GET', '/api/v2/cost-estimates/:id'),
        status: 403,
        body: { errors: [{ status: '403', title: 'forbidden' }] },
        times: Infinity
      },
      {
        match: on('GET', '/api/v2/task-stages/:id'),
        status: 404,
        body: { errors: [{ status: '404', title: 'not found' }] },
        times: Infinity
      },
      {
        match: on('GET', '/api/v2/policy-checks/:id'),
        status: 400,
        body: { errors: [{ status: '400', title: 'bad request' }] },
        times: Infinity
      }
    )
    const checks = await read({
      taskStages: [{ stage: 'post_plan', status: 'passed' }],
      policyChecks: [{ status: 'passed', output: '' }],
      costEstimate: { status: 'finished', prior: '1', proposed: '1', delta: '0' }
    })
    expect(checks.notes).toHaveLength(3)
    expect(checks.notes.join('\n')).toMatch(/Task stage ts-\w+ could not be read \(HTTP 404/)
    expect(checks.notes.join('\n')).toMatch(
      /Sentinel policy check polchk-\w+ could not be read \(HTTP 400/
    )
    expect(checks.notes.join('\n')).toContain(
      'The cost estimate could not be read (HTTP 403: the token lacks the permission)'
    )
    expect(checks.cost).toBeUndefined()
    expect(checks.policySets).toEqual([])
  })

  it('keeps failing on faults that are not "not offered"', async () => {
    tfc.faults.push({
      match: on('GET', '/api/v2/cost-estimates/:id'),
      status: 500,
      times: Infinity
    })
    await expect(
      read({ costEstimate: { status: 'finished', prior: '1', proposed: '1', delta: '0' } })
    ).rejects.toThrow(/server error \(500\)/)
  })
})
