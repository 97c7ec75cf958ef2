import { afterEach, describe, expect, it } from '@jest/globals'
import {
  GITHUB_ACTIONS_BOT,
  MAX_COMMENT_LENGTH,
  secondaryRateLimit,
  serverError,
  startGitHubSimulator
} from '../../test/sim/github.mjs'
import type { GitHubSimulator, SimOptions } from '../../test/sim/github.mjs'

const auth = { authorization: 'token ghs_test' }
let sim: GitHubSimulator | undefined

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(options?: SimOptions): Promise<GitHubSimulator> {
  sim = await startGitHubSimulator(options)
  return sim
}

async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...auth, 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : '' }
}

/** `{ next: 'page=2&per_page=30', ... }` from a Link header. */
function linkRels(header: string | null): Record<string, string> {
  const rels: Record<string, string> = {}
  for (const part of (header ?? '').split(', ').filter(Boolean)) {
    const [, target, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part) ?? []
    rels[rel] = new URL(target).search.slice(1)
  }
  return rels
}

describe('GitHub simulator', () => {
  it('binds to loopback', async () => {
    const { url } = await start()
    expect(new URL(url).hostname).toBe('127.0.0.1')
  })

  it('pages comments 30 at a time by default with next and last links', async () => {
    const { url, addComment } = await start()
    for (let i = 0; i < 65; i++) addComment(1, `comment ${i}`)
    const base = `${url}/repos/octo-org/infra/issues/1/comments`

    const first = await call(base)
    expect((first.json as unknown[]).length).toBe(30)
    expect(linkRels(first.headers.get('link'))).toEqual({ next: 'page=2', last: 'page=3' })

    const middle = await call(`${base}?page=2`)
    expect(linkRels(middle.headers.get('link'))).toEqual({
      prev: 'page=1',
      next: 'page=3',
      last: 'page=3',
      first: 'page=1'
    })

    const last = await call(`${base}?page=3`)
    expect((last.json as Array<{ body: string }>).map(c => c.body)).toEqual([
      'comment 60',
      'comment 61',
      'comment 62',
      'comment 63',
      'comment 64'
    ])
    expect(linkRels(last.headers.get('link'))).toEqual({ prev: 'page=2', first: 'page=1' })
  })

  it('caps per_page at 100 and keeps it in the links', async () => {
    const { url, addComment } = await start()
    for (let i = 0; i < 250; i++) addComment(1, `c${i}`)
    const page = await call(`${url}/repos/octo-org/infra/issues/1/comments?per_page=500`)
    expect((page.json as unknown[]).length).toBe(100)
    expect(linkRels(page.headers.get('link'))).toEqual({
      next: 'per_page=500&page=2',
      last: 'per_page=500&page=3'
    })
  })

  it('sends no Link header when everything fits on one page', async () => {
    const { url, addComment } = await start()
    addComment(1, 'only')
    const page = await call(`${url}/repos/octo-org/infra/issues/1/comments`)
    expect(page.headers.get('link')).toBeNull()
  })

  it('creates comments as github-actions[bot] and records the token', async () => {
    const { url, requests, comments } = await start()
    const created = await call(`${url}/repos/octo-org/infra/issues/1/comments`, {
      method: 'POST',
      body: { body: 'hello' },
      headers: { authorization: 'Bearer ghs_abc' }
    })
    expect(created.status).toBe(201)
    const json = created.json as { id: number; html_url: string; user: { login: string } }
    expect(json.user.login).toBe(GITHUB_ACTIONS_BOT.login)
    expect(json.html_url).toBe(`https://github.com/octo-org/infra/pull/1#issuecomment-${json.id}`)
    expect(comments.map(c => c.body)).toEqual(['hello'])
    expect(requests.at(-1)).toMatchObject({ method: 'POST', token: 'ghs_abc', status: 201 })
  })

  it('answers 401 without a token and 404 for unknown pull requests and repositories', async () => {
    const { url } = await start()
    expect(
      (await call(`${url}/repos/octo-org/infra/pulls/1`, { headers: { authorization: '' } })).status
    ).toBe(401)
    expect((await call(`${url}/repos/octo-org/infra/pulls/2`)).status).toBe(404)
    expect((await call(`${url}/repos/octo-org/other/pulls/1`)).status).toBe(404)
    const pr = await call(`${url}/repos/octo-org/infra/pulls/1`)
    expect((pr.json as { head: { sha: string } }).head.sha).toMatch(/^[0-9a-f]{40}$/)
  })

  it('rejects a body over 65536 characters with GitHub\u2019s validation error', async () => {
    const { url, comments } = await start()
    const tooLong = await call(`${url}/repos/octo-org/infra/issues/1/comments`, {
      method: 'POST',
      body: { body: 'x'.repeat(MAX_COMMENT_LENGTH + 1) }
    })
    expect(tooLong.status).toBe(422)
    expect(tooLong.json).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'body', message: 'body is too long (maximum is 65536 characters)' }]
    })
    const justFits = await call(`${url}/repos/octo-org/infra/issues/1/comments`, {
      method: 'POST',
      body: { body: 'x'.repeat(MAX_COMMENT_LENGTH) }
    })
    expect(justFits.status).toBe(201)
    expect(comments).toHaveLength(1)
  })

  it('refuses to let one user edit or delete another user\u2019s comment, and records the attempt', async () => {
    const { url, addComment, foreignWrites } = await start()
    const theirs = addComment(1, 'mine, says octocat')
    const path = `${url}/repos/octo-org/infra/issues/comments/${theirs.id}`
    expect((await call(path, { method: 'PATCH', body: { body: 'x' } })).status).toBe(403)
    expect((await call(path, { method: 'DELETE' })).status).toBe(403)
    expect(foreignWrites().map(r => r.method)).toEqual(['PATCH', 'DELETE'])
  })

  it('lets the author edit and delete their own comment', async () => {
    const { url, addComment, comments, foreignWrites } = await start()
    const own = addComment(1, 'old', GITHUB_ACTIONS_BOT)
    const path = `${url}/repos/octo-org/infra/issues/comments/${own.id}`
    const edited = await call(path, { method: 'PATCH', body: { body: 'new' } })
    expect(edited.status).toBe(200)
    expect(comments[0].body).toBe('new')
    expect(comments[0].updated_at > comments[0].created_at).toBe(true)
    expect((await call(path, { method: 'DELETE' })).status).toBe(204)
    expect(comments).toHaveLength(0)
    expect((await call(path, { method: 'PATCH', body: { body: 'again' } })).status).toBe(404)
    expect(foreignWrites()).toEqual([])
  })

  it('answers writes with 403 on a fork pull request but still lets it read', async () => {
    const { url, setPermission } = await start()
    setPermission('fork')
    const write = await call(`${url}/repos/octo-org/infra/issues/1/comments`, {
      method: 'POST',
      body: { body: 'hi' }
    })
    expect(write.status).toBe(403)
    expect(write.json).toMatchObject({ message: 'Resource not accessible by integration' })
    expect((await call(`${url}/repos/octo-org/infra/issues/1/comments`)).status).toBe(200)
  })

  it('plays queued faults the given number of times, then answers normally', async () => {
    const { url, faults } = await start()
    faults.push(serverError({ status: 503, times: 2 }), secondaryRateLimit({ retryAfter: 7 }))
    const statuses = []
    for (let i = 0; i < 4; i++) {
      const response = await call(`${url}/repos/octo-org/infra/pulls/1`)
      statuses.push(response.status)
      if (response.status === 403) expect(response.headers.get('retry-after')).toBe('7')
    }
    expect(statuses).toEqual([503, 503, 403, 200])
    expect(faults).toEqual([])
  })

  it('serves a GHES path prefix and nothing outside it', async () => {
    const { url } = await start({ pathPrefix: '/api/v3' })
    expect(new URL(url).pathname).toBe('/api/v3')
    expect((await call(`${url}/repos/octo-org/infra/pulls/1`)).status).toBe(200)
    expect((await call(`${new URL(url).origin}/repos/octo-org/infra/pulls/1`)).status).toBe(404)
  })

  it('answers GET /user for user tokens and refuses it for installation tokens', async () => {
    const { url } = await start({ tokens: { ghs_bot: {}, ghp_alice: { user: 'alice' } } })
    const bot = await call(`${url}/user`, { headers: { authorization: 'token ghs_bot' } })
    expect(bot.status).toBe(403)
    const alice = await call(`${url}/user`, { headers: { authorization: 'token ghp_alice' } })
    expect(alice.json).toMatchObject({ login: 'alice', type: 'User' })
    const stranger = await call(`${url}/user`, { headers: { authorization: 'token nope' } })
    expect(stranger.status).toBe(401)
  })
})

describe('GitHub simulator: GraphQL', () => {
  const graphql = (url: string, token: string, query: string, variables?: object) =>
    call(url, {
      method: 'POST',
      body: { query, variables },
      headers: { authorization: `bearer ${token}` }
    })

  it('tells every kind of token who it is with viewer { login }', async () => {
    const { url } = await start({
      tokens: { ghs_workflow: {}, ghs_app: { user: 'plans[bot]' }, ghp_alice: { user: 'alice' } }
    })
    const logins = []
    for (const token of ['ghs_workflow', 'ghs_app', 'ghp_alice']) {
      const answer = await graphql(`${url}/graphql`, token, 'query { viewer { login } }')
      logins.push((answer.json as { data: { viewer: { login: string } } }).data.viewer.login)
    }
    expect(logins).toEqual([GITHUB_ACTIONS_BOT.login, 'plans[bot]', 'alice'])
    expect((await graphql(`${url}/graphql`, 'nope', 'query { viewer { login } }')).status).toBe(401)
  })

  it('serves GraphQL at /api/graphql when the REST root is /api/v3, as GHES does', async () => {
    const { url } = await start({ pathPrefix: '/api/v3' })
    const origin = new URL(url).origin
    const answer = await graphql(`${origin}/api/graphql`, 'ghs_test', 'query { viewer { login } }')
    expect(answer.json).toEqual({ data: { viewer: { login: GITHUB_ACTIONS_BOT.login } } })
    expect((await graphql(`${url}/graphql`, 'ghs_test', '{ viewer { login } }')).status).toBe(404)
  })

  it('minimizes its own comments with a classifier, and refuses other people’s', async () => {
    const sim = await start({ tokens: { ghs_test: {} } })
    const own = sim.addComment(1, 'plan', GITHUB_ACTIONS_BOT)
    const alices = sim.addComment(1, 'review', 'alice')
    const mutation =
      'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) ' +
      '{ minimizedComment { isMinimized } } }'

    const ok = await graphql(`${sim.url}/graphql`, 'ghs_test', mutation, { id: own.node_id })
    const refused = await graphql(`${sim.url}/graphql`, 'ghs_test', mutation, {
      id: alices.node_id
    })

    expect(ok.json).toMatchObject({
      data: { minimizeComment: { minimizedComment: { isMinimized: true } } }
    })
    expect(refused.status).toBe(200)
    expect(refused.json).toMatchObject({ errors: [{ type: 'FORBIDDEN' }] })
    expect([sim.minimizedAs(own.id), sim.minimizedAs(alices.id)]).toEqual(['OUTDATED', undefined])
  })
})

describe('GitHub simulator: overlapping clients', () => {
  it('holds matching requests until the given number arrived, then answers them in order', async () => {
    const sim = await start()
    sim.hold({ match: r => r.method === 'POST', count: 2 })
    const comments = `${sim.url}/repos/octo-org/infra/issues/1/comments`
    const first = call(comments, { method: 'POST', body: { body: 'one' } })
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(sim.comments).toEqual([])
    const second = call(comments, { method: 'POST', body: { body: 'two' } })
    expect((await Promise.all([first, second])).map(r => r.status)).toEqual([201, 201])
    expect(sim.comments.map(c => c.body)).toEqual(['one', 'two'])
    // The hold is used up: later requests are answered at once.
    expect((await call(comments, { method: 'POST', body: { body: 'three' } })).status).toBe(201)
  })

  it('releases a hold after its timeout when fewer requests come', async () => {
    const sim = await start()
    sim.hold({ match: r => r.method === 'POST', count: 5, timeoutMs: 50 })
    const answer = await call(`${sim.url}/repos/octo-org/infra/issues/1/comments`, {
      method: 'POST',
      body: { body: 'alone' }
    })
    expect(answer.status).toBe(201)
  })

  it('moves a pull request’s head', async () => {
    const sim = await start()
    sim.setHeadSha(1, 'f'.repeat(40))
    const pull = await call(`${sim.url}/repos/octo-org/infra/pulls/1`)
    expect(pull.json).toMatchObject({ head: { sha: 'f'.repeat(40) } })
    expect(() => sim.setHeadSha(2, 'f'.repeat(40))).toThrow('no pull request #2')
  })
})

describe('GitHub simulator: reviews, labels, permissions and teams', () => {
  it('lists reviews with their commit and state, a dismissal included', async () => {
    const { url, verdicts } = await start({
      pullRequests: [{ number: 1, headSha: 'f'.repeat(40) }]
    })
    const approval = verdicts.addReview(1, { user: 'alice', state: 'APPROVED' })
    verdicts.addReview(1, { user: 'bob', state: 'COMMENTED', commitId: 'e'.repeat(40) })
    verdicts.dismissReview(approval.id)

    const { json } = await call(`${url}/repos/octo-org/infra/pulls/1/reviews`)
    expect(
      (json as Array<{ user: { login: string }; state: string; commit_id: string }>).map(review => [
        review.user.login,
        review.state,
        review.commit_id[0]
      ])
    ).toEqual([
      ['alice', 'DISMISSED', 'f'],
      ['bob', 'COMMENTED', 'e']
    ])
  })

  it('records who labelled, and the pull request shows its labels and author', async () => {
    const { url, verdicts } = await start({ pullRequests: [{ number: 1, author: 'erin' }] })
    verdicts.addLabel(1, 'keep', 'dave')
    await call(`${url}/repos/octo-org/infra/issues/1/labels`, {
      method: 'POST',
      body: { labels: ['mine'] }
    })
    const removed = await call(`${url}/repos/octo-org/infra/issues/1/labels/keep`, {
      method: 'DELETE'
    })
    const missing = await call(`${url}/repos/octo-org/infra/issues/1/labels/keep`, {
      method: 'DELETE'
    })

    expect([removed.status, missing.status]).toEqual([200, 404])
    const events = await call(`${url}/repos/octo-org/infra/issues/1/events`)
    expect(
      (
        events.json as Array<{ event: string; actor: { login: string }; label: { name: string } }>
      ).map(event => `${event.event} ${event.label.name} by ${event.actor.login}`)
    ).toEqual([
      'labeled keep by dave',
      'labeled mine by github-actions[bot]',
      'unlabeled keep by github-actions[bot]'
    ])
    const pull = await call(`${url}/repos/octo-org/infra/pulls/1`)
    expect(pull.json).toMatchObject({ user: { login: 'erin' }, labels: [{ name: 'mine' }] })
  })

  it('creates a label once (422 already_exists after) and answers 404 for an unknown one', async () => {
    const { url } = await start()
    const create = () =>
      call(`${url}/repos/octo-org/infra/labels`, {
        method: 'POST',
        body: { name: 'tf:x', color: 'b60205', description: 'd' }
      })
    expect([(await create()).status, (await create()).status]).toEqual([201, 422])
    expect((await call(`${url}/repos/octo-org/infra/labels/tf%3Ax`)).json).toMatchObject({
      color: 'b60205'
    })
    expect((await call(`${url}/repos/octo-org/infra/labels/other`)).status).toBe(404)
  })

  it('answers collaborator permissions with the legacy permission and the role', async () => {
    const { url, verdicts } = await start()
    verdicts.setRole('dave', 'maintain')
    const { json } = await call(`${url}/repos/octo-org/infra/collaborators/dave/permission`)
    expect(json).toMatchObject({ permission: 'write', role_name: 'maintain' })
  })

  it('answers team memberships 403 for GITHUB_TOKEN, 404 when hidden, else by membership', async () => {
    const { url, verdicts } = await start()
    verdicts.setTeam('octo-org/platform', ['carol'])
    const member = `${url}/orgs/octo-org/teams/platform/memberships/carol`
    const forbidden = await call(member)
    verdicts.setMembershipAccess('hidden')
    const hidden = await call(member)
    verdicts.setMembershipAccess('ok')
    const active = await call(member)
    const stranger = await call(`${url}/orgs/octo-org/teams/platform/memberships/mallory`)

    expect([forbidden.status, hidden.status, active.status, stranger.status]).toEqual([
      403, 404, 200, 404
    ])
    expect(active.json).toMatchObject({ state: 'active' })
  })
})
