// The plan's labels on the pull request, and a merge queue's run: the GitHub merge machinery
// around the gates, end to end.
import { describe, expect, it } from '@jest/globals'
import { HEAD_SHA, PR_NUMBER, mergeGroupEvent } from '../../test/sim/runner.mjs'
import { fixture, useWorld } from './world.js'
import type { World } from './world.js'

const QUEUE_SHA = 'abcdef0123456789abcdef0123456789abcdef01'

/** The pull request's labels, replayed from its label events. */
function labelsOf(world: World): string[] {
  return world.github.verdicts.events
    .filter(event => event.issue === PR_NUMBER)
    .reduce<string[]>(
      (labels, event) =>
        event.event === 'labeled'
          ? [...labels, event.label]
          : labels.filter(label => label !== event.label),
      []
    )
    .sort()
}

function addRun(world: World, plan: string) {
  return world.tfc.addRun({ workspace: 'network', organization: 'acme', planJson: fixture(plan) })
}

describe('labels from the plan', () => {
  const world = useWorld()

  it('are added, replaced when the plan changes, and leave every other label alone', async () => {
    const { verdicts } = world().github
    verdicts.addLabel(PR_NUMBER, 'needs-review', 'octocat')
    verdicts.addLabel(PR_NUMBER, 'terraform:no-changes', 'github-actions[bot]')
    verdicts.createLabel('terraform:destroy', 'ff0000')

    // comment: off keeps the test quick: GitHub asks for a pause between writes.
    const labelled = { labels: 'true', comment: 'off' }
    const changes = await world().run({
      'run-id': addRun(world(), 'plan-changes.json').id,
      ...labelled
    })

    expect(changes.code).toBe(0)
    expect(labelsOf(world())).toEqual([
      'needs-review',
      'terraform:changes',
      'terraform:destroy',
      'terraform:replace'
    ])
    const created = verdicts.labels.get('terraform:changes')
    expect(created?.description).toBe('Terraform: the plan changes infrastructure')
    expect(created?.color).toBe('fbca04')
    // An existing repository label keeps its colour.
    expect(verdicts.labels.get('terraform:destroy')?.color).toBe('ff0000')

    const none = await world().run({
      'run-id': addRun(world(), 'plan-no-changes.json').id,
      ...labelled,
      'label-prefix': 'terraform:'
    })

    expect(none.code).toBe(0)
    expect(labelsOf(world())).toEqual(['needs-review', 'terraform:no-changes'])
    const removals = world().github.requests.filter(req => req.method === 'DELETE')
    expect(removals.every(req => decodeURIComponent(req.path).includes('/labels/terraform:'))).toBe(
      true
    )
  })

  it('say so with a warning naming the permissions when the token may not write them', async () => {
    world().github.setPermission('read-only')

    const step = await world().run({
      'run-id': addRun(world(), 'plan-changes.json').id,
      labels: 'true',
      comment: 'off'
    })

    expect(step.code).toBe(0)
    expect(step.annotations.warnings.join('\n')).toContain(
      'needs issues: write and pull-requests: write'
    )
    expect(step.outputs.summary).toBe('Plan: 4 to add, 1 to change, 2 to destroy.')
  })
})

describe('a merge queue', () => {
  const world = useWorld()

  it("plans the queue's commit, gates it and writes the summary and outputs without a pull request", async () => {
    const { tfc } = world()
    tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: fixture('plan-changes.json'),
      commitSha: HEAD_SHA
    })
    const queued = tfc.addRun({
      workspace: 'network',
      organization: 'acme',
      planJson: fixture('plan-changes.json'),
      commitSha: QUEUE_SHA
    })

    const step = await world().run(
      {
        organization: 'acme',
        workspace: 'network',
        'fail-on': 'errored,destroy',
        'override-approvers': 'alice',
        labels: 'true'
      },
      { eventName: 'merge_group', event: mergeGroupEvent({ headSha: QUEUE_SHA }) }
    )

    expect(step.code).toBe(1)
    expect(step.outputs['run-id']).toBe(queued.id)
    expect(step.outputs['failed-checks']).toBe('destroy')
    expect(step.summary).toContain('Gate tripped: destroy')
    expect(step.annotations.errors.join('\n')).not.toMatch(/pull request/i)
    expect(step.annotations.warnings).toEqual([])
    expect(world().github.requests).toEqual([])
  })
})
