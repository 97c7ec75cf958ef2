// @ts-check
// A loopback stand-in for the part of GitHub's REST API the action uses: issue comments and pull
// requests of one repository (reviews, labels, permissions and teams: github-verdicts.mjs). It answers like GitHub does (status codes, error bodies, Link
// pagination, rate-limit headers), records every request, and can be told to fail on purpose.
import { startLoopbackServer, takeFault } from './server.mjs'
import { createGraphQL, graphqlPath } from './github-graphql.mjs'
import { createVerdicts } from './github-verdicts.mjs'

/**
 * @typedef {{ login: string, id: number, type: 'User' | 'Bot' }} SimUser
 * @typedef {{ user: SimUser, installation: boolean, admin: boolean }} SimIdentity
 */

/**
 * Who a token acts as. Installation tokens (GITHUB_TOKEN, GitHub Apps) get 403 on GET /user;
 * GraphQL `viewer { login }` (POST /graphql, or /api/graphql under the prefix /api/v3) answers
 * for every token.
 * @typedef {object} TokenSpec
 * @property {SimUser | string} [user] a user or a login; logins ending in [bot] are bots.
 *   Default: github-actions[bot]
 * @property {boolean} [installation] default: true for bots
 * @property {boolean} [admin] admins may edit and delete other users' comments
 */

/**
 * @typedef {object} SimComment
 * @property {number} id
 * @property {string} node_id
 * @property {string} url
 * @property {string} html_url
 * @property {string} issue_url
 * @property {number} issue_number
 * @property {string} body
 * @property {SimUser} user
 * @property {string} author_association
 * @property {string} created_at
 * @property {string} updated_at
 */

/**
 * @typedef {object} SimRequest
 * @property {string} method
 * @property {string} path path as sent, with the path prefix
 * @property {string} url
 * @property {Record<string, string>} query
 * @property {Record<string, string>} headers lower-case names
 * @property {unknown} body parsed JSON, or the raw text when it was not JSON
 * @property {string} [token] the token of the Authorization header (`token X` or `Bearer X`)
 * @property {number} [status] the status the simulator answered with
 */

/**
 * An answer given instead of the normal one to the next `times` (default 1) matching requests.
 * @typedef {object} SimFault
 * @property {(request: SimRequest) => boolean} [match]
 * @property {number} status
 * @property {Record<string, string>} [headers]
 * @property {unknown} [body]
 * @property {number} [times]
 */

/**
 * Requests matching `match` wait until `count` of them arrived (or `timeoutMs`, default 5000,
 * passed since the first), then are answered in arrival order. The hold ends after one release.
 * @typedef {object} SimHold
 * @property {(request: SimRequest) => boolean} match
 * @property {number} count
 * @property {number} [timeoutMs]
 */

/**
 * `fork` and `read-only` both answer writes with 403 "Resource not accessible by integration".
 * @typedef {'ok' | 'fork' | 'read-only'} SimPermission
 */

/**
 * @typedef {object} SimOptions
 * @property {string} [repository] `owner/repo`; the only repository served. Default
 *   `octo-org/infra`
 * @property {string} [pathPrefix] GHES-style prefix such as `/api/v3`
 * @property {Array<number | { number: number, headSha?: string, author?: string }>} [pullRequests]
 *   pull requests that exist (author default octocat). Default: #1
 * @property {Record<string, TokenSpec>} [tokens] known tokens; without it every token is the
 *   workflow's GITHUB_TOKEN
 */

/**
 * @typedef {object} GitHubSimulator
 * @property {string} url base URL to use as GITHUB_API_URL, including the path prefix
 * @property {SimRequest[]} requests
 * @property {SimComment[]} comments
 * @property {SimFault[]} faults
 * @property {(issueNumber: number, body: string, user?: SimUser | string) => SimComment} addComment
 *   seeds a comment; the author defaults to octocat
 * @property {(number: number, pr?: { headSha?: string, author?: string }) => void} addPullRequest
 * @property {ReturnType<typeof createVerdicts>} verdicts reviews, labels, label events,
 *   collaborator permissions and team memberships
 * @property {() => SimRequest[]} foreignWrites PATCH and DELETE requests on comments written by
 *   someone other than the caller
 * @property {(commentId: number) => string | undefined} minimizedAs the classifier a comment was
 *   minimized with over GraphQL (e.g. OUTDATED), if it was
 * @property {(number: number, headSha: string) => void} setHeadSha moves a pull request's head,
 *   as a push to its branch does
 * @property {(hold: SimHold) => void} hold makes matching requests meet: see SimHold
 * @property {(mode: SimPermission) => void} setPermission
 * @property {() => Promise<void>} close
 */

/**
 * The author of everything written with the workflow's GITHUB_TOKEN.
 * @type {Readonly<SimUser>}
 */
export const GITHUB_ACTIONS_BOT = Object.freeze({
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot'
})

/**
 * The default author of seeded comments: somebody else.
 * @type {Readonly<SimUser>}
 */
export const OCTOCAT = Object.freeze({ login: 'octocat', id: 583231, type: 'User' })

export const MAX_COMMENT_LENGTH = 65536
const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100
const FIRST_COMMENT_ID = 1_000_001
const RATE_LIMIT = 5000
const DOCS = 'https://docs.github.com/rest'
const INTEGRATION_FORBIDDEN = 'Resource not accessible by integration'

/** @param {{ status?: number, times?: number, match?: SimFault['match'] }} [options] @returns {SimFault} */
export function serverError({ status = 502, times = 1, match } = {}) {
  return { status, times, match, body: { message: 'Server Error' } }
}

/**
 * GitHub's secondary rate limit: 403 (sometimes 429) with a retry-after header.
 * @param {{ status?: number, retryAfter?: number, times?: number, match?: SimFault['match'] }} [options]
 * @returns {SimFault}
 */
export function secondaryRateLimit({ status = 403, retryAfter = 1, times = 1, match } = {}) {
  return {
    status,
    times,
    match,
    headers: { 'retry-after': String(retryAfter) },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
    }
  }
}

/**
 * The primary (hourly) rate limit: 403 with x-ratelimit-remaining 0 and the reset time.
 * @param {{ resetInSeconds?: number, times?: number, match?: SimFault['match'] }} [options]
 * @returns {SimFault}
 */
export function primaryRateLimit({ resetInSeconds = 1, times = 1, match } = {}) {
  return {
    status: 403,
    times,
    match,
    headers: {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds)
    },
    body: {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits'
    }
  }
}

/**
 * Starts the simulator on 127.0.0.1 with an OS-chosen port.
 * @param {SimOptions} [options]
 * @returns {Promise<GitHubSimulator>}
 */
export async function startGitHubSimulator(options = {}) {
  const repository = options.repository ?? 'octo-org/infra'
  const pathPrefix = (options.pathPrefix ?? '').replace(/\/+$/, '')
  const tokens = options.tokens ? resolveTokens(options.tokens) : undefined
  // Without a token table every token is the workflow's GITHUB_TOKEN.
  /** @param {string} token @returns {SimIdentity | undefined} */
  const identify = token => (tokens ? tokens.get(token) : identityOf({}))
  /** @type {Map<number, import('./github-verdicts.mjs').SimPull>} */
  const pullRequests = new Map()
  /** @type {SimComment[]} */
  const comments = []
  /** @type {SimRequest[]} */
  const requests = []
  /** @type {SimFault[]} */
  const faults = []
  /** @type {SimPermission} */
  let permission = 'ok'
  let nextCommentId = FIRST_COMMENT_ID
  const graphql = createGraphQL({ comments })
  /** @typedef {SimHold & { waiting: Array<() => void>, timer?: NodeJS.Timeout }} ActiveHold */
  /** @type {ActiveHold[]} */
  const holds = []
  // Deleted comments leave the list; foreignWrites() still needs to know who wrote them.
  /** @type {Map<number, string>} */
  const authorsById = new Map()
  // A clock that ticks one minute per write keeps created_at/updated_at ordered and repeatable.
  let clock = Date.parse('2024-05-01T12:00:00Z')
  const tick = () => new Date((clock += 60_000)).toISOString().replace('.000Z', 'Z')

  /** @param {number} number @param {{ headSha?: string, author?: string }} [pr] */
  function addPullRequest(number, pr = {}) {
    const headSha = pr.headSha ?? (number.toString(16) + 'c0ffee').padEnd(40, '0')
    pullRequests.set(number, { number, headSha, author: toUser(pr.author ?? OCTOCAT), labels: [] })
  }
  const verdicts = createVerdicts({ pullRequests, toUser, userJson, paginate: pageOf, tick })
  for (const pr of options.pullRequests ?? [1]) {
    if (typeof pr === 'number') addPullRequest(pr)
    else addPullRequest(pr.number, pr)
  }

  const server = await startLoopbackServer({
    handle: async incoming => {
      const request = recordRequest(incoming)
      await heldBack(request)
      const reply = respond(request)
      request.status = reply.status
      const headers = { ...baseHeaders(), ...reply.headers }
      if (reply.body === undefined) return { status: reply.status, headers }
      headers['content-type'] = 'application/json; charset=utf-8'
      return { status: reply.status, headers, body: JSON.stringify(reply.body) }
    }
  })
  const url = server.origin + pathPrefix

  /**
   * Holds a request that matches a hold until `count` such requests wait (or `timeoutMs` passed),
   * then answers them together: overlapping jobs meet at the same step, whatever their timing.
   * @param {SimRequest} request
   */
  function heldBack(request) {
    const hold = holds.find(candidate => candidate.match(request))
    if (!hold) return Promise.resolve()
    return new Promise(resolve => {
      hold.waiting.push(() => resolve(undefined))
      if (hold.waiting.length === 1)
        hold.timer = setTimeout(() => release(hold), hold.timeoutMs ?? 5000)
      if (hold.waiting.length >= hold.count) release(hold)
    })
  }

  /** @param {ActiveHold} hold */
  function release(hold) {
    clearTimeout(hold.timer)
    const index = holds.indexOf(hold)
    if (index >= 0) holds.splice(index, 1)
    for (const waiting of hold.waiting.splice(0)) waiting()
  }

  /** @param {import('./server.mjs').IncomingRequest} incoming @returns {SimRequest} */
  function recordRequest(incoming) {
    const { url: parsed, body: text } = incoming
    /** @type {Record<string, string>} */
    const headers = {}
    for (const [name, value] of Object.entries(incoming.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '')
    }
    /** @type {unknown} */
    let body = text === '' ? undefined : text
    if (text !== '' && (headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(text)
      } catch {
        // Left as text; the route answers "Problems parsing JSON".
      }
    }
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(headers.authorization ?? '')
    /** @type {SimRequest} */
    const request = {
      method: incoming.method,
      path: parsed.pathname,
      url: parsed.href,
      query: Object.fromEntries(parsed.searchParams),
      headers,
      body,
      token: match?.[1]
    }
    requests.push(request)
    return request
  }

  function baseHeaders() {
    return /** @type {Record<string, string>} */ ({
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `SIM:${requests.length}`,
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(RATE_LIMIT - requests.length, 0)),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(requests.length),
      'x-ratelimit-resource': 'core'
    })
  }

  /**
   * @param {SimRequest} request
   * @returns {{ status: number, headers?: Record<string, string>, body?: unknown }}
   */
  function respond(request) {
    const fault = takeFault(faults, request)
    if (fault) return { status: fault.status, headers: fault.headers, body: fault.body }

    const isGraphQL = request.path === graphqlPath(pathPrefix)
    if (!isGraphQL && !request.path.startsWith(pathPrefix + '/')) return notFound()
    const path = request.path.slice(pathPrefix.length)

    if (!request.token) {
      return error(401, 'Requires authentication')
    }
    const identity = identify(request.token)
    if (!identity) return error(401, 'Bad credentials')
    if (isGraphQL) return graphql.answer(request, identity)

    if (request.method === 'GET' && path === '/user') {
      if (identity.installation) return error(403, INTEGRATION_FORBIDDEN)
      return { status: 200, body: userJson(identity.user) }
    }
    if (path.startsWith('/orgs/')) {
      return verdicts.answer(request, path, identity.user, permission === 'ok') ?? notFound()
    }

    const route = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path)
    if (!route || `${route[1]}/${route[2]}`.toLowerCase() !== repository.toLowerCase()) {
      return notFound()
    }
    const rest = route[3]
    const decided = verdicts.answer(request, path, identity.user, permission === 'ok')
    if (decided) return decided
    const isWrite = request.method !== 'GET' && request.method !== 'HEAD'
    if (isWrite && permission !== 'ok') return error(403, INTEGRATION_FORBIDDEN)

    const pull = /^\/pulls\/(\d+)$/.exec(rest)
    if (pull && request.method === 'GET') {
      const pr = pullRequests.get(Number(pull[1]))
      return pr ? { status: 200, body: pullJson(pr) } : notFound()
    }
    const issueComments = /^\/issues\/(\d+)\/comments$/.exec(rest)
    if (issueComments) {
      const issueNumber = Number(issueComments[1])
      if (!pullRequests.has(issueNumber)) return notFound()
      if (request.method === 'GET') return listComments(request, issueNumber)
      if (request.method === 'POST') return createComment(request, issueNumber, identity)
    }
    const singleComment = /^\/issues\/comments\/(\d+)$/.exec(rest)
    if (singleComment) {
      const comment = comments.find(c => c.id === Number(singleComment[1]))
      if (!comment) return notFound()
      if (request.method === 'GET') return { status: 200, body: commentJson(comment) }
      if (request.method === 'PATCH') return updateComment(request, comment, identity)
      if (request.method === 'DELETE') return deleteComment(comment, identity)
    }
    return notFound()
  }

  /** @param {SimRequest} request @param {number} issueNumber */
  function listComments(request, issueNumber) {
    return pageOf(request, comments.filter(c => c.issue_number === issueNumber).map(commentJson))
  }

  /**
   * One page of a list, with GitHub's per_page and page parameters and Link header.
   * @param {SimRequest} request @param {unknown[]} all
   */
  function pageOf(request, all) {
    const requested = Number(request.query.per_page)
    const perPage =
      Number.isInteger(requested) && requested > 0
        ? Math.min(requested, MAX_PER_PAGE)
        : DEFAULT_PER_PAGE
    const page = Math.max(Number.parseInt(request.query.page ?? '1', 10) || 1, 1)
    const lastPage = Math.max(Math.ceil(all.length / perPage), 1)
    const body = all.slice((page - 1) * perPage, page * perPage)
    const link = linkHeader(request, page, lastPage)
    return { status: 200, headers: link ? { link } : undefined, body }
  }

  /** GitHub's Link header: next/last while there is more, prev/first after the first page. */
  function linkHeader(
    /** @type {SimRequest} */ request,
    /** @type {number} */ page,
    /** @type {number} */ lastPage
  ) {
    /** @param {number} target @param {string} rel */
    const link = (target, rel) => {
      const pageUrl = new URL(request.url)
      pageUrl.searchParams.set('page', String(target))
      return `<${pageUrl.href}>; rel="${rel}"`
    }
    const parts = []
    if (page > 1) parts.push(link(page - 1, 'prev'))
    if (page < lastPage) parts.push(link(page + 1, 'next'), link(lastPage, 'last'))
    if (page > 1) parts.push(link(1, 'first'))
    return parts.join(', ')
  }

  /** @param {SimRequest} request @param {number} issueNumber @param {SimIdentity} identity */
  function createComment(request, issueNumber, identity) {
    const invalid = validateBody(request.body)
    if (invalid) return invalid
    const body = /** @type {{ body: string }} */ (request.body).body
    const comment = addComment(issueNumber, body, identity.user)
    return { status: 201, headers: { location: comment.url }, body: commentJson(comment) }
  }

  /** @param {SimRequest} request @param {SimComment} comment @param {SimIdentity} identity */
  function updateComment(request, comment, identity) {
    if (comment.user.login !== identity.user.login && !identity.admin) {
      return error(403, 'You must have push access to edit this comment.')
    }
    const invalid = validateBody(request.body)
    if (invalid) return invalid
    comment.body = /** @type {{ body: string }} */ (request.body).body
    comment.updated_at = tick()
    return { status: 200, body: commentJson(comment) }
  }

  /** @param {SimComment} comment @param {SimIdentity} identity */
  function deleteComment(comment, identity) {
    if (comment.user.login !== identity.user.login && !identity.admin) {
      return error(403, 'You must have push access to delete this comment.')
    }
    comments.splice(comments.indexOf(comment), 1)
    return { status: 204 }
  }

  /** @param {unknown} payload */
  function validateBody(payload) {
    if (typeof payload === 'string') return error(400, 'Problems parsing JSON')
    const body = /** @type {{ body?: unknown } | undefined} */ (payload)?.body
    if (typeof body !== 'string') {
      return error(422, 'Invalid request.\n\n"body" wasn\'t supplied.')
    }
    // GitHub counts characters (code points), not UTF-16 units.
    if (Array.from(body).length > MAX_COMMENT_LENGTH) {
      return {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`
            }
          ],
          documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment'
        }
      }
    }
    return undefined
  }

  /**
   * Puts a comment on a pull request as if somebody had written it.
   * @param {number} issueNumber
   * @param {string} body
   * @param {SimUser | string} [user] a user or a login; defaults to octocat
   * @returns {SimComment}
   */
  function addComment(issueNumber, body, user = OCTOCAT) {
    const author = toUser(user)
    const id = nextCommentId++
    const [owner, repo] = repository.split('/')
    const now = tick()
    const comment = {
      id,
      node_id: `IC_sim${id}`,
      url: `${url}/repos/${owner}/${repo}/issues/comments/${id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${issueNumber}#issuecomment-${id}`,
      issue_url: `${url}/repos/${owner}/${repo}/issues/${issueNumber}`,
      issue_number: issueNumber,
      body,
      user: author,
      author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
      created_at: now,
      updated_at: now
    }
    comments.push(comment)
    authorsById.set(id, author.login)
    return comment
  }

  /** @param {SimComment} comment */
  function commentJson(comment) {
    // GitHub's JSON has no issue_number: it is in issue_url.
    const json = /** @type {Partial<SimComment>} */ ({ ...comment })
    delete json.issue_number
    return { ...json, user: userJson(comment.user) }
  }

  /** @param {import('./github-verdicts.mjs').SimPull} pr */
  function pullJson(pr) {
    const [owner, repo] = repository.split('/')
    return {
      number: pr.number,
      state: 'open',
      title: `Pull request ${pr.number}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${pr.number}`,
      head: { ref: `feature-${pr.number}`, sha: pr.headSha },
      base: { ref: 'main', sha: 'b'.repeat(40) },
      ...verdicts.pullExtras(pr)
    }
  }

  /**
   * PATCH and DELETE requests that touched a comment of someone other than the caller: the action
   * must never send one.
   * @returns {SimRequest[]}
   */
  function foreignWrites() {
    return requests.filter(request => {
      if (request.method !== 'PATCH' && request.method !== 'DELETE') return false
      const id = /\/issues\/comments\/(\d+)$/.exec(request.path)?.[1]
      const target = authorsById.get(Number(id))
      const caller = request.token ? identify(request.token) : undefined
      return target !== undefined && (!caller || caller.user.login !== target)
    })
  }
  return {
    url,
    requests,
    comments,
    faults,
    addComment,
    addPullRequest,
    verdicts,
    foreignWrites,
    minimizedAs: commentId => graphql.minimizedAs(commentId),
    setHeadSha(number, headSha) {
      const pr = pullRequests.get(number)
      if (!pr) throw new Error(`no pull request #${number}`)
      pr.headSha = headSha
    },
    hold(hold) {
      holds.push({ ...hold, waiting: [] })
    },
    setPermission(mode) {
      permission = mode
    },
    close: server.close
  }
}

/** @param {Record<string, TokenSpec>} specs @returns {Map<string, SimIdentity>} */
function resolveTokens(specs) {
  return new Map(Object.entries(specs).map(([token, spec]) => [token, identityOf(spec)]))
}

/**
 * Installation tokens (GITHUB_TOKEN, GitHub Apps) act as a bot; other tokens as their user.
 * @param {TokenSpec} spec
 * @returns {SimIdentity}
 */
function identityOf(spec) {
  const user = toUser(spec.user ?? GITHUB_ACTIONS_BOT)
  return {
    user,
    installation: spec.installation ?? user.type === 'Bot',
    admin: spec.admin ?? false
  }
}

/** @param {SimUser | string} user @returns {SimUser} */
function toUser(user) {
  if (typeof user !== 'string') return user
  if (user === GITHUB_ACTIONS_BOT.login) return GITHUB_ACTIONS_BOT
  const type = user.endsWith('[bot]') ? 'Bot' : 'User'
  return { login: user, id: hashId(user), type }
}

/** A stable positive id for a login. */
function hashId(/** @type {string} */ login) {
  let hash = 7
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 2_000_000_000
  return hash + 1
}

/** @param {SimUser} user */
function userJson(user) {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_sim${user.id}`,
    type: user.type,
    site_admin: false,
    html_url: `https://github.com/${user.login}`
  }
}

/** @param {number} status @param {string} message */
function error(status, message) {
  return { status, body: { message, documentation_url: DOCS } }
}

function notFound() {
  return error(404, 'Not Found')
}
