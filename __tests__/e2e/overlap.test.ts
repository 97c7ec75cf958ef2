// Overlapping jobs on one pull request, each a real process of the bundle against one GitHub
// simulator: simultaneous jobs of the same commit, a job of an older commit finishing before or
// after the head's job, the kinds of tokens, and `comment: new` folding the earlier comments.
import { describe, expect, it } from '@jest/globals'
import { GITHUB_ACTIONS_BOT } from '../../test/sim/github.mjs'
import type { SimRequest } from '../../test/sim/github.mjs'
import { GITHUB_TOKEN, HEAD_SHA, PR_NUMBER, pullRequestEvent } from '../../test/sim/runner.mjs'
import type { SimRun } from '../../test/sim/tfc.mjs'
import { fixture, plainText, useWorld } from './world.js'
import type { World } from './world.js'

/** An older commit of the pull request: its job was started before the latest push. */
const OLD_SHA = '0123abc' + '9'.repeat(33)
const APP_TOKEN = 'ghs_simulatedAppInstallationToken000000'
const PERSONAL_TOKEN = 'ghp_simulatedPersonalToken00000000000000'

const isCommentCreation = (request: SimRequest) =>
  request.method === 'POST' && request.path.endsWith(`/issues/${PR_NUMBER}/comments`)

function addRun(world: World, planFile = 'plan-changes.json'): SimRun {
  return world.tfc.addRun({
    workspace: 'network',
    organization: 'acme',
    planJson: fixture(planFile)
  })
}

/** One job of the workflow: its run, and the pull request event of its commit. */
function job(world: World, run: SimRun, headSha = HEAD_SHA, inputs: Record<string, string> = {}) {
  return world.run({ 'run-id': run.id, ...inputs }, { event: pullRequestEvent({ headSha }) })
}

/** Requests that change comments (GraphQL questions are POSTs too, but only read). */
function restWrites(world: World): SimRequest[] {
  return world.github.requests.filter(
    request => request.method !== 'GET' && !request.path.endsWith('/graphql')
  )
}

/** The commit the comment names: the short SHA linked to the commit on the GitHub server. */
function commitLink(sha: string): string {
  const url = `https://github.com/octo/infra/commit/${sha}`
  return `commit <a href="${url}"><code>${sha.slice(0, 7)}</code></a>`
}

describe('simultaneous jobs of the same commit', () => {
  const world = useWorld()

  it.each([2, 3])('%i jobs that all create a comment end with one', async count => {
    // Every job has listed the comments and found none before any of them creates one.
    world().github.hold({ match: isCommentCreation, count, timeoutMs: 10_000 })
    const runs = Array.from({ length: count }, () => addRun(world()))

    const steps = await Promise.all(runs.map(run => job(world(), run)))

    expect(steps.map(step => step.code)).toEqual(runs.map(() => 0))
    const creations = world().github.requests.filter(
      request => isCommentCreation(request) && request.status === 201
    )
    expect(creations).toHaveLength(count)
    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    expect(steps.map(step => step.outputs['comment-id'])).toEqual(
      runs.map(() => String(comments[0].id))
    )
    expect(steps.map(step => step.outputs['comment-url'])).toEqual(
      runs.map(() => comments[0].html_url)
    )
    expect(plainText(comments[0].body)).toContain(commitLink(HEAD_SHA))
    expect(world().github.foreignWrites()).toEqual([])
  })
})

describe('a job of an older commit', () => {
  const world = useWorld()

  it('finishing last leaves the head commit’s comment alone, but writes its outputs, summary and gates', async () => {
    const oldRun = addRun(world(), 'plan-create.json')
    world().tfc.setPlanStatus(oldRun.id, 'running')
    const headRun = addRun(world())

    const oldJob = job(world(), oldRun, OLD_SHA, { 'fail-on': 'changes' })
    const headStep = await job(world(), headRun)
    const headComment = world().prComments()[0]?.body
    const writesBefore = restWrites(world()).length
    world().tfc.setPlanStatus(oldRun.id, 'finished')
    const oldStep = await oldJob

    expect(headStep.code).toBe(0)
    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toBe(headComment)
    expect(plainText(comments[0].body)).toContain(commitLink(HEAD_SHA))
    expect(plainText(comments[0].body)).toContain('aws_db_instance.legacy')

    expect(oldStep.annotations.warnings).toContain(
      "the plan for 0123abc is outdated: the pull request's head is now 7a6c1f0; " +
        'its comment was left as it is'
    )
    expect(oldStep.outputs.status).toBe('finished')
    expect(oldStep.outputs['comment-id']).toBe('')
    expect(oldStep.summary).toContain('module.dns.aws_route53_zone.internal')
    // Its own gate still applies to its own run.
    expect(oldStep.code).toBe(1)
    expect(oldStep.annotations.errors.join('\n')).toContain('fail-on changes')
    expect(restWrites(world()).slice(writesBefore)).toEqual([])
  })

  it('finishing first (the usual order) is followed by the head commit’s job editing its comment', async () => {
    world().github.setHeadSha(PR_NUMBER, OLD_SHA)
    const oldRun = addRun(world(), 'plan-create.json')
    const headRun = addRun(world())
    world().tfc.setPlanStatus(headRun.id, 'running')

    const headJob = job(world(), headRun)
    const oldStep = await job(world(), oldRun, OLD_SHA)
    const afterOld = world()
      .prComments()
      .map(comment => comment.body)
    // The push lands; the head commit's run finishes.
    world().github.setHeadSha(PR_NUMBER, HEAD_SHA)
    world().tfc.setPlanStatus(headRun.id, 'finished')
    const headStep = await headJob

    expect([oldStep.code, headStep.code]).toEqual([0, 0])
    expect(afterOld).toHaveLength(1)
    expect(plainText(afterOld[0])).toContain(commitLink(OLD_SHA))
    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    expect(headStep.outputs['comment-id']).toBe(oldStep.outputs['comment-id'])
    expect(plainText(comments[0].body)).toContain(commitLink(HEAD_SHA))
    expect(plainText(comments[0].body)).toContain('aws_db_instance.legacy')
    expect(headStep.annotations.warnings).toEqual([])
  })
})

describe('a job that is not started by the pull request', () => {
  const world = useWorld()

  it('takes its commit from the run’s VCS ingress and steps aside when that is not the head', async () => {
    const dispatched = (commitSha: string) =>
      world().run(
        {
          'run-id': world().tfc.addRun({
            workspace: 'network',
            organization: 'acme',
            planJson: fixture('plan-changes.json'),
            commitSha
          }).id,
          'pr-number': String(PR_NUMBER)
        },
        { eventName: 'workflow_dispatch' }
      )

    const current = await dispatched(HEAD_SHA)
    const outdated = await dispatched(OLD_SHA)

    expect([current.code, outdated.code]).toEqual([0, 0])
    const comments = world().prComments()
    expect(comments).toHaveLength(1)
    expect(plainText(comments[0].body)).toContain(commitLink(HEAD_SHA))
    expect(outdated.annotations.warnings).toContain(
      "the plan for 0123abc is outdated: the pull request's head is now 7a6c1f0; " +
        'its comment was left as it is'
    )
  })
})

describe('each kind of token finds its own comment', () => {
  const world = useWorld(
    {},
    {
      tokens: {
        [GITHUB_TOKEN]: {},
        [APP_TOKEN]: { user: 'tfc-plans[bot]' },
        [PERSONAL_TOKEN]: { user: 'alice' }
      }
    }
  )

  it('a GitHub App installation token and a personal token, over two runs each', async () => {
    const steps = []
    for (const githubToken of [APP_TOKEN, APP_TOKEN, PERSONAL_TOKEN, PERSONAL_TOKEN]) {
      steps.push(await world().run({ 'run-id': addRun(world()).id }, { githubToken }))
    }

    expect(steps.map(step => step.code)).toEqual([0, 0, 0, 0])
    const comments = world().github.comments
    expect(comments.map(comment => comment.user.login)).toEqual(['tfc-plans[bot]', 'alice'])
    const ids = steps.map(step => step.outputs['comment-id'])
    expect(ids).toEqual([comments[0], comments[0], comments[1], comments[1]].map(c => String(c.id)))
    // GitHub refuses GET /user for installation tokens; the action did not depend on it.
    const userLookups = world().github.requests.filter(request => request.path === '/user')
    expect(userLookups.filter(request => request.status === 200)).toEqual([])
    expect(world().github.foreignWrites()).toEqual([])
  })

  it('the workflow token, when GET /user answers 404 and GraphQL is not there either', async () => {
    const notFound = { status: 404, times: Infinity, body: { message: 'Not Found' } }
    world().github.faults.push({ ...notFound, match: request => request.path === '/user' })
    world().github.faults.push({ ...notFound, match: request => request.path === '/graphql' })

    const first = await world().run({ 'run-id': addRun(world()).id })
    const second = await world().run({ 'run-id': addRun(world()).id })

    expect([first.code, second.code]).toEqual([0, 0])
    expect(second.log).not.toContain('was not found')
    const comments = world().github.comments
    expect(comments).toHaveLength(1)
    expect(comments[0].user).toEqual(GITHUB_ACTIONS_BOT)
    expect([first.outputs['comment-id'], second.outputs['comment-id']]).toEqual([
      String(comments[0].id),
      String(comments[0].id)
    ])
  })
})

describe('comment: new', () => {
  const world = useWorld()

  it('over three runs keeps every plan and hides the two earlier ones as outdated', async () => {
    const steps = []
    for (let i = 0; i < 3; i++) {
      steps.push(await world().run({ 'run-id': addRun(world()).id, comment: 'new' }))
    }

    expect(steps.map(step => step.code)).toEqual([0, 0, 0])
    const comments = world().prComments()
    expect(comments).toHaveLength(3)
    expect(steps.map(step => step.outputs['comment-id'])).toEqual(
      comments.map(comment => String(comment.id))
    )
    expect(comments.map(comment => world().github.minimizedAs(comment.id))).toEqual([
      'OUTDATED',
      'OUTDATED',
      undefined
    ])
  })
})
