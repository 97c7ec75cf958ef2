// A reviewer's view of a long-lived pull request, end to end against the bundle: what changed since
// the last push, resources grouped by module, attribute noise hidden, and values that are masked
// wherever the step shows anything.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { HEAD_SHA, PR_NUMBER, pullRequestEvent } from '../../test/sim/runner.mjs'
import { addRun, decoded } from './post-plan-fixtures.js'
import { everythingShown, fixture, useWorld } from './world.js'
import type { World } from './world.js'

const CHANGES = fixture('plan-changes.json')
const CREATE = fixture('plan-create.json')
const NEXT_SHA = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'

const addPlanRun = (world: World, planJson: unknown) =>
  world.tfc.addRun({ workspace: 'network', organization: 'acme', planJson })

/** The pull request's head moves on to NEXT_SHA, and the step runs for that push. */
function nextPush(world: World, runId: string) {
  world.github.setHeadSha(PR_NUMBER, NEXT_SHA)
  return world.run({ 'run-id': runId }, { event: pullRequestEvent({ headSha: NEXT_SHA }) })
}

function theComment(world: World): string {
  const comments = world.prComments()
  expect(comments).toHaveLength(1)
  return decoded(comments[0].body)
}

describe('since the last push', () => {
  const world = useWorld()

  it('shows what a new push changed in the plan', async () => {
    const first = await world().run({ 'run-id': addPlanRun(world(), CHANGES).id })
    const second = await nextPush(world(), addPlanRun(world(), CREATE).id)

    expect([first.code, second.code]).toEqual([0, 0])
    expect(first.outputs['changed-since-previous']).toBe('')
    expect(second.outputs['changed-since-previous']).toBe('true')
    const body = theComment(world())
    expect(body).toContain(`compared with <code>${HEAD_SHA.slice(0, 7)}</code>`)
    expect(body).toContain('new: <code>module.dns.aws_route53_zone.internal</code> (create)')
    expect(body).toContain('no longer planned: <code>aws_db_instance.legacy</code> (was delete)')
    expect(body.indexOf('Since the last push')).toBeLessThan(body.indexOf('| Add |'))
  })

  it('says so when the new push plans the same', async () => {
    await world().run({ 'run-id': addPlanRun(world(), CHANGES).id })
    const second = await nextPush(world(), addPlanRun(world(), CHANGES).id)

    expect(second.code).toBe(0)
    expect(second.outputs['changed-since-previous']).toBe('false')
    expect(theComment(world())).toContain(
      `Since the last push:</b> same plan as <code>${HEAD_SHA.slice(0, 7)}</code>.`
    )
  })

  it('notes in one line that the earlier plan can no longer be read, and carries on', async () => {
    const earlier = addPlanRun(world(), CHANGES)
    await world().run({ 'run-id': earlier.id })
    earlier.planJson = undefined
    earlier.redactedJson = undefined
    const second = await nextPush(world(), addPlanRun(world(), CREATE).id)

    expect(second.code).toBe(0)
    expect(second.outputs['changed-since-previous']).toBe('')
    expect(theComment(world())).toMatch(
      new RegExp(
        `the plan shown for <code>${HEAD_SHA.slice(0, 7)}</code> \\(run <code>${earlier.id}</code>\\) could not be read`
      )
    )
  })
})

describe('group-by and hide-attributes', () => {
  const world = useWorld()

  it('groups by module and hides the named attributes without changing any count', async () => {
    const plan = JSON.parse(readFileSync(CHANGES, 'utf8'))
    for (const change of plan.resource_changes) {
      if (!['aws_security_group.web', 'aws_instance.web'].includes(change.address)) continue
      change.module_address = 'module.network'
      change.address = `module.network.${change.address}`
    }
    const run = addPlanRun(world(), plan)

    const plain = await world().run({ 'run-id': run.id, comment: 'off' })
    const step = await world().run({
      'run-id': run.id,
      'group-by': 'module',
      'hide-attributes': 'ingress_cidr'
    })

    expect(step.code).toBe(0)
    expect(step.outputs.summary).toBe(plain.outputs.summary)
    const body = theComment(world())
    expect(body).toContain('Resource changes by module')
    expect(body).toContain('📦 root module (5) · 3 to add, 0 to change, 1 to destroy')
    expect(body).toContain(
      '📦 <code>module.network</code> (2) · 1 to add, 1 to change, 1 to destroy'
    )
    expect(body).toContain('# (1 attribute change hidden by hide-attributes)')
    expect(body).not.toContain('ingress_cidr')
    expect(plain.summary).toContain('ingress_cidr')
  })
})

describe('mask', () => {
  const world = useWorld()
  const SECRET = 'tok-5f8e2a91c3'

  it('keeps matches out of the comment, the job summary, the outputs and the log', async () => {
    const plan = JSON.parse(readFileSync(CHANGES, 'utf8'))
    const role = plan.resource_changes.find(
      (change: { address: string }) => change.address === 'aws_iam_role.deploy'
    )
    role.change.after.name = `deploy-${SECRET}`
    const run = addRun(
      world(),
      'post_plan_completed',
      {
        taskStages: [
          {
            stage: 'post_plan',
            status: 'failed',
            taskResults: [
              {
                name: 'scan',
                status: 'failed',
                enforcement: 'advisory',
                message: `found ${SECRET}`
              }
            ],
            policyEvaluations: [
              {
                kind: 'opa',
                status: 'failed',
                policySets: [
                  {
                    name: 'secrets',
                    outcomes: [
                      {
                        policy_name: 'no-tokens',
                        status: 'failed',
                        enforcement_level: 'advisory',
                        output: [{ print: `aws_iam_role.deploy: name holds ${SECRET}` }]
                      }
                    ]
                  }
                ]
              }
            ]
          }
        ]
      },
      { planJson: plan }
    )

    const step = await world().run({
      'run-id': run.id,
      mask: 'tok-[0-9a-f]{10}',
      'fail-on': 'none'
    })

    expect(step.code).toBe(0)
    expect(step.annotations.masks).toContain(SECRET)
    const comment = theComment(world())
    expect(comment).toContain('deploy-(masked)')
    expect(comment).toContain('name holds (masked)')
    expect(comment).toContain('found (masked)')
    expect(everythingShown(world())).not.toContain(SECRET)
  })

  it('refuses an invalid expression before any request', async () => {
    const step = await world().run({ 'run-id': addPlanRun(world(), CHANGES).id, mask: 'ok\n(' })

    expect(step.code).toBe(1)
    expect(step.log).toContain('Input `mask` line 2')
    expect(world().tfc.requests).toEqual([])
    expect(world().github.requests).toEqual([])
  })
})
