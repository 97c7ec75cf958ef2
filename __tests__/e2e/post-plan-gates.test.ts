// The whole run, end to end: advisory results, the cost limit, several workspaces and a large
// policy set within the comment budget (shared fixtures in post-plan-fixtures.ts).
import { describe, expect, it } from '@jest/globals'
import type { PostPlanSpec } from '../../test/sim/tfc.mjs'
import { CHANGES, COST, SOFT_FAILED_SENTINEL, addRun, commentOf } from './post-plan-fixtures.js'
import { useWorld } from './world.js'

describe('gating on the whole run', () => {
  const world = useWorld()

  it('passes a failed advisory run task by default, fails it with fail-on advisory, and links only http(s)', async () => {
    const postPlan: PostPlanSpec = {
      taskStages: [
        {
          stage: 'post_plan',
          status: 'passed',
          taskResults: [
            {
              name: 'infracost-guard',
              status: 'failed',
              enforcement: 'advisory',
              message: '2 findings: see the report',
              url: 'javascript:alert(1)'
            },
            {
              name: 'tfsec',
              status: 'passed',
              enforcement: 'mandatory',
              url: 'https://scanner.example.com/r/2'
            }
          ]
        }
      ]
    }
    const run = addRun(world(), 'planned_and_finished', postPlan)

    const lenient = await world().run({ 'run-id': run.id })
    expect(lenient.code).toBe(0)
    expect(lenient.outputs['run-tasks-status']).toBe('advisory-failed')
    expect(lenient.outputs['failed-checks']).toBe('')
    const comment = commentOf(world())
    expect(comment).toContain('Run tasks: advisory failed')
    expect(comment.indexOf('infracost-guard')).toBeLessThan(comment.indexOf('tfsec'))
    expect(comment).not.toContain('javascript:')
    expect(comment).toContain('2 findings: see the report')

    const strict = await world().run({
      'run-id': addRun(world(), 'planned_and_finished', postPlan).id,
      'fail-on': 'errored,advisory'
    })
    expect(strict.code).toBe(1)
    expect(strict.outputs['failed-checks']).toBe('advisory')
    expect(strict.annotations.errors.join('\n')).toContain(
      '1 advisory check failed: run task infracost-guard (failed)'
    )
  })

  it('fails when the monthly cost rises by more than max-monthly-cost-increase, compared exactly', async () => {
    const postPlan = {
      costEstimate: { ...COST, prior: '100.00', proposed: '250.30', delta: '150.30' }
    }
    const over = await world().run({
      'run-id': addRun(world(), 'planned_and_finished', postPlan).id,
      'max-monthly-cost-increase': '150.29'
    })
    expect(over.code).toBe(1)
    expect(over.outputs['failed-checks']).toBe('cost')
    expect(over.annotations.errors.join('\n')).toContain(
      'rise by 150.30 USD, more than the limit of 150.29 USD'
    )

    const within = await world().run({
      'run-id': addRun(world(), 'planned_and_finished', postPlan).id,
      'max-monthly-cost-increase': '150.3'
    })
    expect(within.code).toBe(0)
    expect(within.outputs['cost-delta-monthly']).toBe('150.30')
  })

  it('rejects a max-monthly-cost-increase that is not a number before any request', async () => {
    const step = await world().run({
      'run-id': 'run-aaaaaaaaaaaaaaaa',
      'max-monthly-cost-increase': '100 USD'
    })
    expect(step.code).toBe(1)
    expect(step.annotations.errors.join('\n')).toContain(
      'Input `max-monthly-cost-increase` is "100 USD"'
    )
    expect(world().tfc.requests).toEqual([])
  })

  it('sums the cost deltas of several workspaces exactly and reports the worst statuses', async () => {
    const a = world().tfc.addRun({
      workspace: 'app-a',
      planJson: CHANGES,
      statuses: [{ plan: 'finished', run: 'planned_and_finished' }],
      postPlan: { costEstimate: { ...COST, prior: '0.1', proposed: '0.2', delta: '0.1' } }
    })
    const b = world().tfc.addRun({
      workspace: 'app-b',
      planJson: CHANGES,
      statuses: [{ plan: 'finished', run: 'policy_soft_failed' }],
      postPlan: {
        costEstimate: { ...COST, prior: '0.2', proposed: '0.4', delta: '0.2' },
        policyChecks: [{ status: 'soft_failed', output: SOFT_FAILED_SENTINEL }]
      }
    })
    const step = await world().run({ 'run-id': `${a.id},${b.id}`, 'fail-on': 'none' })
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'cost-prior-monthly': '0.3',
      'cost-proposed-monthly': '0.6',
      'cost-delta-monthly': '0.3',
      'run-status': 'policy_soft_failed',
      'policy-status': 'soft-failed'
    })
  })

  it('fits 300 failed policies with long outputs into the comment, failed ones named first', async () => {
    const outcomes = Array.from({ length: 300 }, (_, i) => ({
      policy_name: `policy-${String(i).padStart(3, '0')}`,
      status: i % 3 === 0 ? ('passed' as const) : ('failed' as const),
      enforcement_level: i % 2 === 0 ? ('mandatory' as const) : ('advisory' as const),
      description: `Rule ${i}: ${'explains the rule at length '.repeat(8)}`,
      output: [{ print: `violation ${i} ${'<b>x</b> @team #12 '.repeat(150)}` }]
    }))
    const run = addRun(world(), 'errored', {
      taskStages: [
        {
          stage: 'post_plan',
          status: 'failed',
          policyEvaluations: [
            { kind: 'opa', status: 'failed', policySets: [{ name: 'big-set', outcomes }] }
          ]
        }
      ]
    })

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(1)
    expect(step.outputs['policy-failed']).toBe('200')
    const comment = commentOf(world())
    expect(comment.length).toBeLessThanOrEqual(65_536)
    expect(comment).toContain('Policies: failed')
    expect(comment).toContain('200 of 300 failed')
    expect(comment).toContain('shortened')
    // Diffs and outputs give way before the list of failed policies does.
    expect(comment).toContain('<code>policy-001</code>')
    // Nothing untrusted escapes its escaping, even shortened.
    expect(comment.replace(/```[\s\S]*?```/g, '')).not.toMatch(/<b>x<\/b>|@team/)
    expect(Buffer.byteLength(step.summary)).toBeLessThanOrEqual(1_000_000)
    // The summary has the room to show every failed policy.
    expect(step.summary).toContain('<code>policy-299</code>')
  })
})
