import { afterEach, describe, expect, it } from '@jest/globals'
import {
  GITHUB_ACTIONS_BOT,
  MAX_COMMENT_LENGTH,
  startGitHubSimulator
} from '../../test/sim/github.mjs'
import type { GitHubSimulator, SimOptions } from '../../test/sim/github.mjs'
import { createGitHubClient } from '../../src/publish/github.js'
import { publishComment } from '../../src/publish/comment.js'
import type { CommentRequest } from '../../src/publish/comment.js'

const MARKER = '<!-- tfc-plan-summary:prod -->'
let sim: GitHubSimulator | undefined

afterEach(async () => {
  const target = sim
  sim = undefined
  if (!target) return
  // Closed before asserting, so that a failure here cannot leave the server running.
  await target.close()
  expect(target.foreignWrites()).toEqual([])
})

async function start(options?: SimOptions): Promise<GitHubSimulator> {
  sim = await startGitHubSimulator(options)
  return sim
}

function publish(
  target: GitHubSimulator,
  request: Partial<CommentRequest> = {},
  token = 'ghs_workflow'
): ReturnType<typeof publishComment> {
  const github = createGitHubClient({ token, baseUrl: target.url, waitUnitMs: 1 })
  return publishComment(github, {
    owner: 'octo-org',
    repo: 'infra',
    issueNumber: 1,
    marker: MARKER,
    body: `${MARKER}\nPlan: 1 to add`,
    policy: 'update',
    hasChanges: true,
    ...request
  })
}

/** REST writes (GraphQL queries are POSTs too, but only minimizeComment writes: see hidden()). */
const writes = (target: GitHubSimulator) =>
  target.requests
    .filter(r => r.method !== 'GET' && !r.path.endsWith('/graphql'))
    .map(r => `${r.method} ${r.status}`)

/** The simulator's head of pull request #1. */
const HEAD = (1).toString(16) + 'c0ffee'.padEnd(39, '0')

describe('publishComment', () => {
  it('creates the sticky comment, then edits it in place on a re-run', async () => {
    const target = await start()
    const first = await publish(target, { body: `${MARKER}\nrun 1` })
    const second = await publish(target, { body: `${MARKER}\nrun 2` })

    expect(target.comments).toHaveLength(1)
    expect(target.comments[0]).toMatchObject({ body: `${MARKER}\nrun 2`, user: GITHUB_ACTIONS_BOT })
    const { id, html_url: url } = target.comments[0]
    expect(first).toEqual({ action: 'created', id, url })
    expect(second).toEqual({ action: 'updated', id, url })
    expect(writes(target)).toEqual(['POST 201', 'PATCH 200'])
  })

  it('puts the marker on top of a body that lacks it', async () => {
    const target = await start()
    await publish(target, { body: 'Plan: no changes' })
    expect(target.comments[0].body).toBe(`${MARKER}\nPlan: no changes`)
  })

  it('finds its comment on page 5 of a long conversation, listing 100 at a time', async () => {
    const target = await start()
    for (let i = 0; i < 130; i++) target.addComment(1, `chatter ${i}`)
    const ours = target.addComment(1, `${MARKER}\nold plan`, GITHUB_ACTIONS_BOT)
    for (let i = 0; i < 10; i++) target.addComment(1, `more chatter ${i}`)
    const atThirtyPerPage = target.comments.indexOf(ours) / 30
    expect(Math.floor(atThirtyPerPage) + 1).toBe(5)

    const outcome = await publish(target, { body: `${MARKER}\nnew plan` })

    expect(outcome).toMatchObject({ action: 'updated', id: ours.id })
    expect(ours.body).toBe(`${MARKER}\nnew plan`)
    const listing = target.requests.filter(r => r.method === 'GET' && r.path.endsWith('/comments'))
    expect(listing.map(r => r.query)).toEqual([{ per_page: '100' }, { per_page: '100', page: '2' }])
  })

  it('keeps the oldest of several of its own comments and deletes the others', async () => {
    const target = await start()
    const older = target.addComment(1, `${MARKER}\nfirst`, GITHUB_ACTIONS_BOT)
    target.addComment(1, `${MARKER}\nsecond`, GITHUB_ACTIONS_BOT)
    const someoneElses = target.addComment(1, `${MARKER}\nquoted by a person`, 'alice')
    const outcome = await publish(target, { body: `${MARKER}\nthird` })
    expect(outcome).toMatchObject({ action: 'updated', id: older.id })
    expect(target.comments.map(c => c.body)).toEqual([`${MARKER}\nthird`, someoneElses.body])
    expect(writes(target)).toEqual(['PATCH 200', 'DELETE 204'])
  })

  it('leaves alone comments that quote the marker or were written by someone else', async () => {
    const target = await start()
    const quoting = target.addComment(1, `Why does it say ${MARKER}?`, GITHUB_ACTIONS_BOT)
    const forged = target.addComment(1, `${MARKER}\nforged by a human`, 'mallory')
    const otherBot = target.addComment(1, `${MARKER}\nanother app`, 'some-app[bot]')

    const outcome = await publish(target)

    expect(outcome.action).toBe('created')
    expect(quoting.body).toBe(`Why does it say ${MARKER}?`)
    expect(forged.body).toBe(`${MARKER}\nforged by a human`)
    expect(otherBot.body).toBe(`${MARKER}\nanother app`)
    expect(target.comments).toHaveLength(4)
    expect(writes(target)).toEqual(['POST 201'])
  })

  it('does not take a comment with a longer marker for its own', async () => {
    const target = await start()
    const other = target.addComment(
      1,
      '<!-- tfc-plan-summary:prod-eu -->\nother workspace',
      GITHUB_ACTIONS_BOT
    )
    const outcome = await publish(target)
    expect(outcome.action).toBe('created')
    expect(other.body).toBe('<!-- tfc-plan-summary:prod-eu -->\nother workspace')
  })

  it('with a personal token, edits only comments of that user', async () => {
    const target = await start({
      tokens: { ghp_alice: { user: 'alice' }, ghs_workflow: {} }
    })
    const botComment = target.addComment(1, `${MARKER}\nby the bot`, GITHUB_ACTIONS_BOT)
    const alices = target.addComment(1, `${MARKER}\nby alice`, 'alice')

    const outcome = await publish(target, { body: `${MARKER}\nupdated` }, 'ghp_alice')

    expect(outcome).toMatchObject({ action: 'updated', id: alices.id })
    expect(botComment.body).toBe(`${MARKER}\nby the bot`)
  })

  it('with a GitHub App installation token, edits its own comment (GET /user is refused)', async () => {
    const target = await start({ tokens: { ghs_app: { user: 'plan-bot[bot]' } } })
    const first = await publish(target, { body: `${MARKER}\nrun 1` }, 'ghs_app')
    const second = await publish(target, { body: `${MARKER}\nrun 2` }, 'ghs_app')
    expect(target.comments).toHaveLength(1)
    expect(target.comments[0].user.login).toBe('plan-bot[bot]')
    const { id, html_url: url } = target.comments[0]
    expect([first, second]).toEqual([
      { action: 'created', id, url },
      { action: 'updated', id, url }
    ])
    expect(writes(target)).toEqual(['POST 201', 'PATCH 200'])
  })

  it('falls back to GET /user when GraphQL cannot say who it is', async () => {
    const target = await start({ tokens: { ghp_alice: { user: 'alice' } } })
    target.addComment(1, `${MARKER}\nby alice`, 'alice')
    target.faults.push({ match: r => r.path === '/graphql', status: 404, times: 5 })
    const outcome = await publish(target, {}, 'ghp_alice')
    expect(outcome.action).toBe('updated')
    expect(target.requests.filter(r => r.path === '/user').map(r => r.status)).toEqual([200])
    expect(target.comments).toHaveLength(1)
  })

  it('when nothing says who it is, learns it from the comment it creates and converges', async () => {
    const target = await start()
    const ours = target.addComment(1, `${MARKER}\nold`, GITHUB_ACTIONS_BOT)
    const notFound = { status: 404, times: 5, body: { message: 'Not Found' } }
    target.faults.push({ ...notFound, match: r => r.path === '/graphql' })
    target.faults.push({ ...notFound, match: r => r.path === '/user' })
    const outcome = await publish(target, { body: `${MARKER}\nnew` })
    expect(outcome).toMatchObject({ action: 'updated', id: ours.id })
    expect(target.comments.map(c => c.body)).toEqual([`${MARKER}\nnew`])
  })

  it('does not ask who it is when no comment carries the marker', async () => {
    const target = await start()
    target.addComment(1, 'unrelated')
    await publish(target)
    expect(target.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo-org/infra/issues/1/comments',
      'POST /repos/octo-org/infra/issues/1/comments',
      // Overlapping jobs may have created one too.
      'GET /repos/octo-org/infra/issues/1/comments'
    ])
  })

  it('policy new adds a second comment and hides its own earlier one as outdated', async () => {
    const target = await start()
    const earlier = target.addComment(1, `${MARKER}\nearlier`, GITHUB_ACTIONS_BOT)
    const someoneElses = target.addComment(1, `${MARKER}\nby alice`, 'alice')
    const outcome = await publish(target, { policy: 'new', body: `${MARKER}\nlater` })
    expect(outcome).toMatchObject({ action: 'created', warnings: [] })
    expect(target.comments.map(c => c.body)).toEqual([
      `${MARKER}\nearlier`,
      `${MARKER}\nby alice`,
      `${MARKER}\nlater`
    ])
    expect(earlier.updated_at).toBe(earlier.created_at)
    expect(target.comments.map(c => target.minimizedAs(c.id))).toEqual([
      'OUTDATED',
      undefined,
      undefined
    ])
    expect(someoneElses.body).toBe(`${MARKER}\nby alice`)
  })

  it('policy new warns, and still succeeds, when an earlier comment cannot be hidden', async () => {
    const target = await start()
    target.addComment(1, `${MARKER}\nearlier`, GITHUB_ACTIONS_BOT)
    target.faults.push({
      match: r => r.path === '/graphql',
      status: 200,
      body: { data: null, errors: [{ type: 'FORBIDDEN', message: 'not allowed' }] }
    })
    const outcome = await publish(target, { policy: 'new' })
    expect(outcome.action).toBe('created')
    const warnings = (outcome as { warnings: string[] }).warnings
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /was not hidden as outdated: GraphQL minimizeComment failed: not allowed$/
    )
  })

  it('policy changes-only writes nothing for a plan without changes', async () => {
    const target = await start()
    const outcome = await publish(target, { policy: 'changes-only', hasChanges: false })
    expect(outcome).toEqual({
      action: 'skipped',
      reason: 'the plan has no changes and there is no comment to update'
    })
    expect(target.comments).toEqual([])
    expect(writes(target)).toEqual([])
  })

  it('policy changes-only creates a comment when the plan has changes', async () => {
    const target = await start()
    const outcome = await publish(target, { policy: 'changes-only', hasChanges: true })
    expect(outcome.action).toBe('created')
    expect(target.comments).toHaveLength(1)
  })

  it('policy changes-only still updates an earlier comment when the changes are gone', async () => {
    const target = await start()
    const earlier = target.addComment(1, `${MARKER}\n2 to add`, GITHUB_ACTIONS_BOT)
    const outcome = await publish(target, {
      policy: 'changes-only',
      hasChanges: false,
      body: `${MARKER}\nNo changes.`
    })
    expect(outcome).toMatchObject({ action: 'updated', id: earlier.id })
    expect(earlier.body).toBe(`${MARKER}\nNo changes.`)
  })

  it('refuses with advice when the token may not write (fork pull request)', async () => {
    const target = await start()
    target.setPermission('fork')
    const outcome = await publish(target)
    expect(outcome.action).toBe('refused')
    const warning = (outcome as { warning: string }).warning
    expect(warning).toContain('Resource not accessible by integration')
    expect(warning).toContain('permissions: pull-requests: write')
    expect(warning).toContain('pull_request_target')
    expect(target.comments).toEqual([])
  })

  it('refuses when the token may not even read the comments', async () => {
    const target = await start()
    target.faults.push({
      match: r => r.method === 'GET',
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    const outcome = await publish(target)
    expect(outcome.action).toBe('refused')
    expect(writes(target)).toEqual([])
  })

  it('refuses with GitHub\u2019s reason when the body is too long', async () => {
    const target = await start()
    const outcome = await publish(target, { body: MARKER + 'x'.repeat(MAX_COMMENT_LENGTH) })
    expect(outcome).toEqual({
      action: 'refused',
      warning:
        'No comment written on pull request #1 in octo-org/infra: GitHub rejected it ' +
        '(422 Validation Failed: body is too long (maximum is 65536 characters)).'
    })
    expect(target.comments).toEqual([])
  })

  it('throws an error naming pr-number when the pull request does not exist', async () => {
    const target = await start()
    await expect(publish(target, { issueNumber: 404 })).rejects.toThrow(
      /pull request #404 was not found in octo-org\/infra .*check pr-number/
    )
  })

  it('throws when the token is rejected', async () => {
    const target = await start({ tokens: { ghs_other: {} } })
    await expect(publish(target)).rejects.toThrow(
      'GitHub rejected github-token: GET /repos/octo-org/infra/issues/1/comments answered 401 "Bad credentials".'
    )
  })

  it('creates a fresh comment when its comment vanished between listing and editing', async () => {
    const target = await start()
    const ours = target.addComment(1, `${MARKER}\nold`, GITHUB_ACTIONS_BOT)
    // Somebody deletes the comment just before the edit arrives.
    target.faults.push({
      match: r => {
        if (r.method !== 'PATCH') return false
        target.comments.splice(target.comments.indexOf(ours), 1)
        return true
      },
      status: 404,
      body: { message: 'Not Found' }
    })
    const outcome = await publish(target)
    expect(outcome.action).toBe('created')
    expect((outcome as { id: number }).id).not.toBe(ours.id)
  })

  it('says what was asked when a request other than the comment list answers 404', async () => {
    const target = await start()
    target.faults.push({
      match: r => r.path.includes('/pulls/'),
      status: 404,
      body: { message: 'Not Found' }
    })
    const failure = publish(target, { commitSha: HEAD })
    await expect(failure).rejects.toThrow(
      'GitHub API request failed: GET /repos/octo-org/infra/pulls/1 answered 404 "Not Found"'
    )
    await expect(failure).rejects.not.toThrow(/was not found/)
  })

  it('throws a clear error when GitHub keeps failing', async () => {
    const target = await start()
    target.faults.push({ status: 500, times: 100, body: { message: 'Server Error' } })
    await expect(publish(target)).rejects.toThrow(
      'GitHub API request failed: GET /repos/octo-org/infra/issues/1/comments answered 500 "Server Error"'
    )
    expect(target.requests).toHaveLength(4)
  })

  it('writes while its commit is the head, and steps aside once the head has moved', async () => {
    const target = await start()
    const current = await publish(target, { commitSha: HEAD, body: `${MARKER}\ncurrent` })
    expect(current.action).toBe('created')

    const older = 'ab12cd3' + '0'.repeat(33)
    for (const policy of ['update', 'new', 'changes-only'] as const) {
      const outcome = await publish(target, { commitSha: older, policy, body: `${MARKER}\nold` })
      expect(outcome).toEqual({
        action: 'outdated',
        warning:
          "the plan for ab12cd3 is outdated: the pull request's head is now 1c0ffee; " +
          'its comment was left as it is'
      })
    }
    expect(target.comments.map(c => c.body)).toEqual([`${MARKER}\ncurrent`])
    expect(writes(target)).toEqual(['POST 201'])
  })

  it('converges when three publishers all find no comment and all create one', async () => {
    const target = await start()
    target.hold({ match: r => r.method === 'POST' && r.path.endsWith('/comments'), count: 3 })
    const outcomes = await Promise.all(
      [1, 2, 3].map(n => publish(target, { body: `${MARKER}\njob ${n}` }))
    )
    expect(target.comments).toHaveLength(1)
    const survivor = target.comments[0]
    expect(outcomes.map(o => (o as { id?: number }).id)).toEqual([
      survivor.id,
      survivor.id,
      survivor.id
    ])
    expect(target.requests.filter(r => r.method === 'POST' && r.status === 201)).toHaveLength(3)
  })

  it('asks GHES who it is at /api/graphql when the REST root is /api/v3', async () => {
    const target = await start({
      pathPrefix: '/api/v3',
      tokens: { ghs_app: { user: 'plans[bot]' } }
    })
    const ours = target.addComment(1, `${MARKER}\nold`, 'plans[bot]')
    const outcome = await publish(target, {}, 'ghs_app')
    expect(outcome).toMatchObject({ action: 'updated', id: ours.id })
    expect(target.requests.filter(r => r.method === 'POST').map(r => r.path)).toEqual([
      '/api/graphql'
    ])
  })

  it('takes a 404 on deleting a duplicate as a sibling job having deleted it first', async () => {
    const target = await start()
    const oldest = target.addComment(1, `${MARKER}\nfirst`, GITHUB_ACTIONS_BOT)
    const duplicate = target.addComment(1, `${MARKER}\nsecond`, GITHUB_ACTIONS_BOT)
    target.faults.push({
      match: r => {
        if (r.method !== 'DELETE') return false
        target.comments.splice(target.comments.indexOf(duplicate), 1)
        return true
      },
      status: 404,
      body: { message: 'Not Found' }
    })
    const outcome = await publish(target, { body: `${MARKER}\nthird` })
    expect(outcome).toMatchObject({ action: 'updated', id: oldest.id })
    expect(target.comments.map(c => c.body)).toEqual([`${MARKER}\nthird`])
  })
})
