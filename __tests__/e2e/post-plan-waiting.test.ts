// The whole run, end to end: when waiting ends (pauses of appliable runs, wait-timeout,
// wait-for: plan, a run stopped before planning) and older servers.
import { describe, expect, it } from '@jest/globals'
import { CHANGES, COST, addRun, commentOf } from './post-plan-fixtures.js'
import { useWorld, plainText } from './world.js'

describe('when waiting for the whole run ends', () => {
  const world = useWorld()

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
