// The whole run, not only its plan: run tasks, policies and the cost estimate, awaited after the
// plan, shown in the comment, written to the outputs and gated on (shared fixtures in
// post-plan-fixtures.ts; more in post-plan-gates and post-plan-waiting).
import { describe, expect, it } from '@jest/globals'
import {
  COST,
  PASSING_OPA,
  SOFT_FAILED_SENTINEL,
  addRun,
  commentOf,
  decoded,
  failedOpaStage
} from './post-plan-fixtures.js'
import { useWorld, plainText } from './world.js'

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
        failedOpaStage('aws-baseline', [
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
        ])
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
})
