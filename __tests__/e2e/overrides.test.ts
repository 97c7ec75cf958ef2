// Overrides end to end: approving reviews and labels that waive a tripped gate (or do not), the
// re-evaluation of the sticky comment's runs on a review event, and the gates nothing waives.
import { describe, expect, it } from '@jest/globals'
import { HEAD_SHA, PR_NUMBER, pullRequestEvent } from '../../test/sim/runner.mjs'
import { CHANGES, addRun, decoded, failedOpaStage } from './post-plan-fixtures.js'
import { useWorld } from './world.js'
import type { World } from './world.js'

const OLDER_COMMIT = '0123456789abcdef0123456789abcdef01234567'
const LABEL = 'terraform-allow-destroy'
const GATED = {
  'fail-on': 'errored,destroy',
  'override-approvers': 'alice, @octo/platform',
  'override-label': LABEL
}

function addDestroyRun(world: World) {
  return world.tfc.addRun({ workspace: 'network', organization: 'acme', planJson: CHANGES })
}

/** The comment as a reader sees it: escapes, references and code tags gone, no joiners. */
function shownComment(world: World): string {
  const comments = world.prComments()
  expect(comments).toHaveLength(1)
  return decoded(comments[0].body)
    .replace(/\u200d/g, '')
    .replace(/<\/?code>/g, '')
}

async function gatedStep(world: World, inputs: Record<string, string> = {}) {
  return world.run({ 'run-id': addDestroyRun(world).id, ...GATED, ...inputs })
}

describe('an approving review', () => {
  const world = useWorld()

  it('of the head commit by a listed approver waives the destroy gate and says who', async () => {
    world().github.verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'APPROVED' })

    const step = await gatedStep(world())

    expect(step.code).toBe(0)
    expect(step.outputs['failed-checks']).toBe('')
    expect(step.outputs.overridden).toBe('destroy')
    const comment = shownComment(world())
    expect(comment).toContain('Gate waived: destroy')
    expect(comment).toContain(`waived: @alice approved ${HEAD_SHA.slice(0, 7)}`)
    expect(comment).not.toContain('Gate tripped')
    expect(step.summary).toContain('Gate waived: destroy')
    expect(JSON.parse(step.outputs.results)[0].waived[0].waiver).toEqual({
      by: 'alice',
      how: 'approval',
      commit: HEAD_SHA
    })
  })

  it('of an older commit does not waive, and the comment says how to waive', async () => {
    world().github.verdicts.addReview(PR_NUMBER, {
      user: 'alice',
      state: 'APPROVED',
      commitId: OLDER_COMMIT
    })

    const step = await gatedStep(world())

    expect(step.code).toBe(1)
    expect(step.outputs['failed-checks']).toBe('destroy')
    expect(step.outputs.overridden).toBe('')
    const comment = shownComment(world())
    expect(comment).toContain('Gate tripped: destroy')
    expect(comment).toContain(
      `To waive: @alice or a member of @octo/platform can approve, or add the label ${LABEL}`
    )
  })

  it('counts only the latest deciding review: changes requested or a dismissal cancel it, a comment does not', async () => {
    const { verdicts } = world().github
    verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'APPROVED' })
    verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'CHANGES_REQUESTED' })
    const cancelled = await gatedStep(world())

    const approval = verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'APPROVED' })
    verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'COMMENTED' })
    const commentedAfter = await gatedStep(world())

    verdicts.dismissReview(approval.id)
    const dismissed = await gatedStep(world())

    expect([cancelled.code, commentedAfter.code, dismissed.code]).toEqual([1, 0, 1])
  })

  it("by the pull request's author never counts, even when listed", async () => {
    world().github.verdicts.addReview(PR_NUMBER, { user: 'octocat', state: 'APPROVED' })

    const step = await gatedStep(world(), { 'override-approvers': 'octocat' })

    expect(step.code).toBe(1)
    expect(step.outputs['failed-checks']).toBe('destroy')
  })

  it('by a team member counts only when the token can read the membership', async () => {
    const { verdicts } = world().github
    verdicts.setTeam('octo/platform', ['carol'])
    verdicts.addReview(PR_NUMBER, { user: 'carol', state: 'APPROVED' })

    // The workflow's GITHUB_TOKEN: 403 on team memberships; a token that cannot see the team: 404.
    const unreadable = await gatedStep(world())
    verdicts.setMembershipAccess('hidden')
    const hidden = await gatedStep(world())
    verdicts.setMembershipAccess('ok')
    const readable = await gatedStep(world())

    expect([unreadable.code, hidden.code]).toEqual([1, 1])
    expect(unreadable.annotations.warnings.join('\n')).toMatch(
      /membership of @carol in @octo\/platform could not be read.*members: read/
    )
    expect(readable.code).toBe(0)
    expect(readable.outputs.overridden).toBe('destroy')
    expect(shownComment(world())).toContain('waived: @carol approved')
  })

  it('does not waive a failed mandatory policy', async () => {
    world().github.verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'APPROVED' })
    const run = addRun(world(), 'errored', {
      taskStages: [
        failedOpaStage('guardrails', [
          {
            policy_name: 'deny-public-ingress',
            status: 'failed',
            enforcement_level: 'mandatory'
          }
        ])
      ]
    })

    const step = await world().run({ 'run-id': run.id, ...GATED, 'fail-on': 'policy,destroy' })

    expect(step.code).toBe(1)
    expect(step.outputs['failed-checks']).toBe('policy')
    expect(step.outputs.overridden).toBe('destroy')
    const comment = shownComment(world())
    expect(comment).toContain('Gate tripped: policy')
    expect(comment).toContain(
      'Not waived by a review or label: an override in HCP Terraform decides.'
    )
    expect(comment).toContain('Gate waived: destroy')
  })

  it('is re-evaluated on a review event from the runs the sticky comment recorded', async () => {
    const run = addDestroyRun(world())
    const planned = await world().run({ 'run-id': run.id, ...GATED })
    expect(planned.code).toBe(1)

    world().github.verdicts.addReview(PR_NUMBER, { user: 'alice', state: 'APPROVED' })
    const reviewed = await world().run(GATED, {
      eventName: 'pull_request_review',
      event: pullRequestEvent({ action: 'submitted' })
    })

    expect(reviewed.code).toBe(0)
    expect(reviewed.outputs['run-id']).toBe(run.id)
    expect(reviewed.outputs.overridden).toBe('destroy')
    expect(reviewed.outputs['comment-id']).toBe(planned.outputs['comment-id'])
    expect(shownComment(world())).toContain('waived: @alice approved')
  })

  it('on a review event fails clearly when no comment records a plan for the head', async () => {
    await world().run({ 'run-id': addDestroyRun(world()).id, ...GATED })
    world().github.setHeadSha(PR_NUMBER, OLDER_COMMIT)

    const step = await world().run(GATED, {
      eventName: 'pull_request_review',
      event: pullRequestEvent({ action: 'submitted', headSha: OLDER_COMMIT })
    })

    expect(step.code).toBe(1)
    expect(step.annotations.errors.join('\n')).toContain(
      `records a plan for its head commit ${OLDER_COMMIT.slice(0, 7)}`
    )
  })
})

describe('the override label', () => {
  const world = useWorld()
  const labelOnly = { 'override-approvers': '', 'override-label': LABEL }

  it('waives when a writer added it, not when a reader or the author did', async () => {
    const { verdicts } = world().github
    verdicts.setRole('dave', 'write')
    verdicts.setRole('erin', 'read')
    verdicts.setRole('octocat', 'admin')

    verdicts.addLabel(PR_NUMBER, LABEL, 'erin')
    const byReader = await gatedStep(world(), labelOnly)
    verdicts.removeLabel(PR_NUMBER, LABEL, 'erin')
    verdicts.addLabel(PR_NUMBER, LABEL, 'octocat')
    const byAuthor = await gatedStep(world(), labelOnly)
    verdicts.removeLabel(PR_NUMBER, LABEL, 'octocat')
    verdicts.addLabel(PR_NUMBER, LABEL, 'dave')
    const byWriter = await gatedStep(world(), labelOnly)

    expect([byReader.code, byAuthor.code, byWriter.code]).toEqual([1, 1, 0])
    expect(byWriter.outputs.overridden).toBe('destroy')
    expect(shownComment(world())).toContain(`waived: @dave added the label ${LABEL}`)
  })

  it('is re-evaluated on a labeled event', async () => {
    world().github.verdicts.setRole('dave', 'maintain')
    const planned = await gatedStep(world(), labelOnly)
    world().github.verdicts.addLabel(PR_NUMBER, LABEL, 'dave')

    const labelled = await world().run(labelOnly, {
      event: pullRequestEvent({ action: 'labeled', label: LABEL })
    })

    expect([planned.code, labelled.code]).toEqual([1, 0])
    expect(labelled.outputs['run-id']).toBe(planned.outputs['run-id'])
  })
})

describe('override inputs', () => {
  const world = useWorld()

  it('reject errored, policy and run-task in override-for before any request', async () => {
    const step = await world().run({
      'run-id': addDestroyRun(world()).id,
      ...GATED,
      'override-for': 'destroy,errored,policy'
    })

    expect(step.code).toBe(1)
    const errors = step.annotations.errors.join('\n')
    expect(errors).toContain('Input `override-for` is "errored"')
    expect(errors).toContain('Input `override-for` is "policy"')
    expect(world().tfc.requests).toEqual([])
    expect(world().github.requests).toEqual([])
  })
})
