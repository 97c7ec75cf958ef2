// The whole run, not only its plan: run tasks, policies and the cost estimate, awaited after the
// plan, shown in the comment, written to the outputs and gated on.
import { describe, expect, it } from '@jest/globals'
import type { PostPlanSpec, RunSpec } from '../../test/sim/tfc.mjs'
import { fixture, plainText, useWorld } from './world.js'
import type { World } from './world.js'

const CHANGES = fixture('plan-changes.json')
/** The statuses a speculative run goes through after planning, one per poll. */
const POST_PLAN_STEPS = [
  'running',
  { plan: 'finished', run: 'post_plan_running' },
  { plan: 'finished', run: 'cost_estimating' },
  { plan: 'finished', run: 'policy_checking' }
]
const COST = {
  status: 'finished',
  prior: '25.488',
  proposed: '40.1',
  delta: '14.612',
  matched: 3,
  unmatched: 1
}
const PASSING_OPA = {
  kind: 'opa' as const,
  status: 'passed',
  policySets: [
    {
      name: 'aws-baseline',
      outcomes: [
        {
          policy_name: 'tags-required',
          status: 'passed' as const,
          enforcement_level: 'mandatory' as const
        },
        {
          policy_name: 'no-public-buckets',
          status: 'passed' as const,
          enforcement_level: 'advisory' as const
        }
      ]
    }
  ]
}
const SOFT_FAILED_SENTINEL = `Sentinel Result: false

This result means that Sentinel policies returned false and the protected
behavior is not allowed by Sentinel policies.

2 policies evaluated.

## Policy 1: restrict-instance-type.sentinel (soft-mandatory)

Result: false

FALSE - restrict-instance-type.sentinel:12:1 - Rule "main"
  instance type m5.24xlarge is not allowed

## Policy 2: require-owner-tag.sentinel (advisory)

Result: true

TRUE - require-owner-tag.sentinel:3:1 - Rule "main"
`

function addRun(
  world: World,
  finalRun: string,
  postPlan: PostPlanSpec,
  extra: Partial<RunSpec> = {}
) {
  return world.tfc.addRun({
    workspace: 'network',
    organization: 'acme',
    planJson: CHANGES,
    statuses: [...POST_PLAN_STEPS, { plan: 'finished', run: finalRun }],
    postPlan,
    ...extra
  })
}

/** Character references decoded, so figures can be looked for as a reader sees them. */
function decoded(markdown: string): string {
  return plainText(markdown).replace(/&#(\d+);/g, (_, code: string) =>
    String.fromCharCode(Number(code))
  )
}

function commentOf(world: World): string {
  const comments = world.prComments()
  expect(comments).toHaveLength(1)
  return comments[0].body
}

describe('waiting for the whole run', () => {
  const world = useWorld()

  it('waits past the plan for tasks, policies and the cost estimate, and passes when all pass', async () => {
    const run = addRun(world(), 'planned_and_finished', {
      taskStages: [
        {
          stage: 'post_plan',
          status: 'passed',
          taskResults: [
            {
              name: 'tfsec',
              status: 'passed',
              enforcement: 'mandatory',
              message: '0 findings',
              url: 'https://scanner.example.com/runs/1'
            }
          ],
          policyEvaluations: [PASSING_OPA]
        }
      ],
      costEstimate: COST
    })

    const step = await world().run({ 'run-id': run.id })

    expect(step.stderr).toBe('')
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      status: 'finished',
      'run-status': 'planned_and_finished',
      'policy-status': 'passed',
      'policy-failed': '0',
      'run-tasks-status': 'passed',
      'cost-prior-monthly': '25.488',
      'cost-proposed-monthly': '40.1',
      'cost-delta-monthly': '14.612',
      'failed-checks': ''
    })
    const [result] = JSON.parse(step.outputs.results)
    expect(result.checks.policies).toHaveLength(2)
    expect(result.checks.runTasks[0]).toMatchObject({ name: 'tfsec', status: 'passed' })
    const comment = decoded(commentOf(world()))
    expect(comment).toContain('Run status:')
    expect(comment).toContain('planned and finished')
    expect(comment).toContain('25.488 → 40.1 USD a month')
    expect(comment).toContain('+14.612')
    expect(comment).toContain('3 resources matched, 1 unmatched')
    expect(comment).toContain('Policies: passed')
    expect(comment).toContain('<code>tags-required</code>')
    expect(comment).toContain('Run tasks: passed')
    expect(comment).toContain('<a href="https://scanner.example.com/runs/1"><code>tfsec</code></a>')
    expect(step.summary).toContain('Policies: passed')
  })

  it('fails a run errored by a mandatory OPA policy although its plan finished, showing the policy and its output', async () => {
    const run = addRun(world(), 'errored', {
      taskStages: [
        {
          stage: 'post_plan',
          status: 'failed',
          policyEvaluations: [
            {
              kind: 'opa',
              status: 'failed',
              policySets: [
                {
                  name: 'aws-baseline',
                  outcomes: [
                    {
                      policy_name: 'deny-public-ingress',
                      status: 'failed',
                      enforcement_level: 'mandatory',
                      description: 'No 0.0.0.0/0 ingress',
                      output: [
                        {
                          print:
                            'aws_security_group.web allows @octocat <script>alert(1)</script> from 0.0.0.0/0'
                        }
                      ]
                    },
                    {
                      policy_name: 'tags-required',
                      status: 'passed',
                      enforcement_level: 'mandatory'
                    }
                  ]
                }
              ]
            }
          ]
        }
      ]
    })

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(1)
    expect(step.outputs).toMatchObject({
      status: 'finished',
      'run-status': 'errored',
      'policy-status': 'failed',
      'policy-failed': '1',
      'run-tasks-status': 'none',
      'cost-delta-monthly': '',
      'failed-checks': 'errored,policy'
    })
    expect(step.annotations.errors.join('\n')).toContain('deny-public-ingress')
    const comment = commentOf(world())
    expect(comment).toContain('the run errored')
    // Failed first, with the description, and the output in a collapsible code block.
    expect(comment.indexOf('deny-public-ingress')).toBeLessThan(comment.indexOf('tags-required'))
    expect(comment).toContain('No 0.0.0.0/0 ingress')
    expect(comment).toMatch(
      /<details><summary>[^\n]*deny-public-ingress[\s\S]*```\naws_security_group\.web allows @octocat <script>/
    )
    // Outside the code block the untrusted text is escaped like everything else.
    expect(comment.replace(/```[\s\S]*?```/g, '')).not.toMatch(/<script>|@octocat/)
  })

  it('fails a run held by a soft-failed legacy Sentinel check, naming each policy and its level', async () => {
    const run = addRun(world(), 'policy_soft_failed', {
      policyChecks: [
        {
          status: 'soft_failed',
          output: SOFT_FAILED_SENTINEL,
          result: { passed: 1, 'total-failed': 1, 'soft-failed': 1, 'hard-failed': 0 }
        }
      ]
    })

    const step = await world().run({ 'run-id': run.id })

    expect(step.code).toBe(1)
    expect(step.outputs).toMatchObject({
      'run-status': 'policy_soft_failed',
      'policy-status': 'soft-failed',
      'policy-failed': '1',
      'failed-checks': 'errored,policy'
    })
    const comment = plainText(commentOf(world()))
    expect(comment).toContain('policy soft-failed: an override is needed to apply')
    expect(comment).toContain('(Sentinel)')
    expect(comment).toContain(
      '<code>restrict-instance-type.sentinel</code> · failed · soft-mandatory'
    )
    expect(comment).toContain('<code>require-owner-tag.sentinel</code> · passed · advisory')
    expect(comment).toContain('instance type m5.24xlarge is not allowed')
  })

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

  it('fails a mandatory run task that failed, and says which', async () => {
    const run = addRun(world(), 'errored', {
      taskStages: [
        {
          stage: 'post_plan',
          status: 'failed',
          taskResults: [
            { name: 'checkov', status: 'failed', enforcement: 'mandatory', message: 'CKV_AWS_20' }
          ]
        }
      ]
    })
    const step = await world().run({ 'run-id': run.id })
    expect(step.code).toBe(1)
    expect(step.outputs['run-tasks-status']).toBe('failed')
    expect(step.outputs['failed-checks']).toBe('errored,run-task')
    expect(step.annotations.errors.join('\n')).toContain(
      '1 mandatory run task failed: checkov (post_plan, failed)'
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

  it('waits through the pauses of a run that can be applied until nothing is pending', async () => {
    const run = world().tfc.addRun({
      workspace: 'network',
      planJson: CHANGES,
      operation: 'plan_and_apply',
      statuses: [
        { plan: 'finished', run: 'post_plan_running' },
        // A pause before confirmation, while a task stage and the estimate are still going.
        { plan: 'finished', run: 'post_plan_completed' },
        { plan: 'finished', run: 'cost_estimating' },
        { plan: 'finished', run: 'cost_estimated' }
      ],
      postPlan: {
        taskStages: [
          {
            stage: 'post_plan',
            status: 'passed',
            taskResults: [{ name: 'scan', status: 'passed', enforcement: 'mandatory' }]
          }
        ],
        costEstimate: COST
      }
    })
    const step = await world().run({ 'run-id': run.id })
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'run-status': 'cost_estimated',
      'run-tasks-status': 'passed',
      'cost-delta-monthly': '14.612'
    })
    expect(step.log).toContain('run status: post_plan_completed')
  })

  it('counts the post-plan stages against wait-timeout', async () => {
    const run = world().tfc.addRun({
      workspace: 'network',
      planJson: CHANGES,
      statuses: [{ plan: 'finished', run: 'post_plan_running' }],
      postPlan: { taskStages: [{ stage: 'post_plan', status: 'passed' }] }
    })
    const step = await world().run({ 'run-id': run.id, 'wait-timeout': '3s' })
    expect(step.code).toBe(1)
    expect(step.annotations.errors.join('\n')).toMatch(
      /Timed out after 0m0\ds .*the last plan status was "finished" and the run status "post_plan_running"/
    )
  })

  it('stops at the final plan with wait-for: plan, reading nothing of the rest', async () => {
    const run = addRun(world(), 'errored', {
      costEstimate: COST,
      policyChecks: [{ status: 'hard_failed', output: '' }]
    })
    const step = await world().run({ 'run-id': run.id, 'wait-for': 'plan' })
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      status: 'finished',
      'run-status': 'post_plan_running',
      'policy-status': 'none',
      'cost-delta-monthly': ''
    })
    const paths = world().tfc.requests.map(req => req.path)
    expect(paths.filter(path => /cost-estimates|policy-checks|task-stages/.test(path))).toEqual([])
  })

  it.each(['run', 'plan'])(
    'ends the wait (wait-for: %s) when a mandatory pre-plan task stops the run, naming the task',
    async waitFor => {
      const run = world().tfc.addRun({
        workspace: 'network',
        planJson: CHANGES,
        statuses: [
          { plan: 'pending', run: 'pre_plan_running' },
          { plan: 'pending', run: 'pre_plan_awaiting_decision' }
        ],
        postPlan: {
          taskStages: [
            {
              stage: 'pre_plan',
              status: 'failed',
              taskResults: [
                {
                  name: 'repo-guard',
                  status: 'failed',
                  enforcement: 'mandatory',
                  message: 'unsigned commit'
                }
              ]
            }
          ]
        }
      })
      const step = await world().run({
        'run-id': run.id,
        'wait-for': waitFor,
        'wait-timeout': '60s'
      })
      expect(step.durationMs).toBeLessThan(15_000)
      expect(step.code).toBe(1)
      expect(step.outputs['run-status']).toBe('pre_plan_awaiting_decision')
      expect(step.outputs['failed-checks']).toBe('errored,run-task')
      const comment = plainText(commentOf(world()))
      expect(comment).toContain('a pre-plan run task failed: the run awaits an override')
      expect(comment).toContain(
        'the run stopped before planning (run status pre_plan_awaiting_decision): run task repo-guard failed.'
      )
      expect(comment).toContain(
        '<code>repo-guard</code> | pre-plan | ❌ failed | mandatory | unsigned commit'
      )
    }
  )
})

describe('an older TFE without task stages or cost estimation', () => {
  const world = useWorld({ taskStages: false })

  it('shows a note, not a failure, and asks for task stages only once', async () => {
    const run = world().tfc.addRun({
      workspace: 'legacy',
      planJson: CHANGES,
      statuses: ['running', { plan: 'finished', run: 'planned_and_finished' }]
    })
    const step = await world().run({ 'run-id': run.id })
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'run-status': 'planned_and_finished',
      'policy-status': 'none',
      'run-tasks-status': 'none',
      'cost-delta-monthly': ''
    })
    expect(step.log).toContain('this server does not report task stages')
    expect(commentOf(world())).toContain('this server does not report task stages')
    const includes = world()
      .tfc.requests.filter(req => req.path === `/api/v2/runs/${run.id}`)
      .map(req => req.query.include)
    expect(includes[0]).toContain('task_stages')
    expect(includes.filter(include => include.includes('task_stages'))).toHaveLength(1)
  })
})
