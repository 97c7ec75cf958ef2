// @ts-check
// The GitHub simulator's routes for what people decide on a pull request: reviews (with the commit
// reviewed and their state), labels (repository labels, a pull request's labels, and the issue
// events `labeled`/`unlabeled` with their actor), collaborator permissions and team memberships.
// Kept apart from the comment routes of github.mjs; it shares their pull requests and identities.

/**
 * @typedef {import('./github.mjs').SimRequest} SimRequest
 * @typedef {import('./github.mjs').SimUser} SimUser
 * @typedef {{ status: number, headers?: Record<string, string>, body?: unknown }} Reply
 * @typedef {{ number: number, headSha: string, author: SimUser, labels: string[] }} SimPull
 * @typedef {'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING'} ReviewState
 * @typedef {{ id: number, pull: number, user: SimUser, state: ReviewState, commit_id: string, submitted_at: string }} SimReview
 * @typedef {{ id: number, issue: number, event: 'labeled' | 'unlabeled', actor: SimUser, label: string, created_at: string }} SimIssueEvent
 * @typedef {{ name: string, color: string, description: string | null }} SimLabel
 * @typedef {'admin' | 'maintain' | 'write' | 'triage' | 'read'} SimRole
 */

/**
 * How team memberships answer: `ok` (a token with members: read), `forbidden` (403, as for the
 * workflow's GITHUB_TOKEN) or `hidden` (404 for every lookup, as for a token that cannot see
 * the team).
 * @typedef {'ok' | 'forbidden' | 'hidden'} MembershipAccess
 */

const INTEGRATION_FORBIDDEN = 'Resource not accessible by integration'
const DOCS = 'https://docs.github.com/rest'

/**
 * @param {{
 *   pullRequests: Map<number, SimPull>,
 *   toUser: (user: SimUser | string) => SimUser,
 *   userJson: (user: SimUser) => object,
 *   paginate: (request: SimRequest, items: unknown[]) => Reply,
 *   tick: () => string
 * }} shared
 */
export function createVerdicts(shared) {
  const { pullRequests, toUser, userJson, paginate, tick } = shared
  /** @type {SimReview[]} */
  const reviews = []
  /** @type {SimIssueEvent[]} */
  const events = []
  /** @type {Map<string, SimLabel>} lower-case name → label */
  const labels = new Map()
  /** @type {Map<string, SimRole>} lower-case login → role */
  const roles = new Map()
  /** @type {Map<string, Set<string>>} `org/slug` lower-case → member logins lower-case */
  const teams = new Map()
  /** @type {MembershipAccess} */
  let membershipAccess = 'forbidden'
  let nextId = 5_000_001

  /** @param {number} number */
  function pull(number) {
    const pr = pullRequests.get(number)
    if (!pr) throw new Error(`no pull request #${number}`)
    return pr
  }

  /**
   * A review as GitHub lists it; `commitId` defaults to the pull request's head now.
   * @param {number} number
   * @param {{ user: SimUser | string, state: ReviewState, commitId?: string }} review
   */
  function addReview(number, review) {
    const entry = {
      id: nextId++,
      pull: number,
      user: toUser(review.user),
      state: review.state,
      commit_id: review.commitId ?? pull(number).headSha,
      submitted_at: tick()
    }
    reviews.push(entry)
    return entry
  }

  /** A dismissal turns the review's state into DISMISSED, as on GitHub. @param {number} id */
  function dismissReview(id) {
    const review = reviews.find(r => r.id === id)
    if (!review) throw new Error(`no review ${id}`)
    review.state = 'DISMISSED'
  }

  /**
   * @param {number} number @param {string} name @param {SimUser | string} actor
   * @param {'labeled' | 'unlabeled'} event
   */
  function recordLabel(number, name, actor, event) {
    const pr = pull(number)
    const has = pr.labels.findIndex(label => label.toLowerCase() === name.toLowerCase())
    if (event === 'labeled' && has < 0) pr.labels.push(labelOf(name).name)
    if (event === 'unlabeled' && has >= 0) pr.labels.splice(has, 1)
    events.push({
      id: nextId++,
      issue: number,
      event,
      actor: toUser(actor),
      label: name,
      created_at: tick()
    })
  }

  /** @param {string} name */
  function labelOf(name) {
    let label = labels.get(name.toLowerCase())
    if (!label) {
      // GitHub creates a label added to an issue with a default colour.
      label = { name, color: 'ededed', description: null }
      labels.set(name.toLowerCase(), label)
    }
    return label
  }

  /** @param {SimLabel} label */
  function labelJson(label) {
    return {
      id: hashOf(label.name),
      name: label.name,
      color: label.color,
      description: label.description,
      default: false
    }
  }

  /** @param {SimPull} pr */
  function pullExtras(pr) {
    return { user: userJson(pr.author), labels: pr.labels.map(name => labelJson(labelOf(name))) }
  }

  /**
   * Answers the routes of this module; undefined for any other path.
   * @param {SimRequest} request @param {string} path without the prefix
   * @param {SimUser} caller
   * @param {boolean} writable whether writes to the repository are allowed
   * @returns {Reply | undefined}
   */
  function answer(request, path, caller, writable) {
    const membership = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(path)
    if (membership && request.method === 'GET') {
      if (membershipAccess === 'forbidden') return error(403, INTEGRATION_FORBIDDEN)
      const members = teams.get(`${membership[1]}/${membership[2]}`.toLowerCase())
      if (membershipAccess === 'hidden' || !members?.has(membership[3].toLowerCase()))
        return error(404, 'Not Found')
      return { status: 200, body: { url: request.url, role: 'member', state: 'active' } }
    }
    const repo = /^\/repos\/[^/]+\/[^/]+(\/.*)$/.exec(path)
    if (!repo) return undefined
    const rest = repo[1]
    const isWrite = request.method !== 'GET'
    if (isWrite && !writable) return error(403, INTEGRATION_FORBIDDEN)

    const pullReviews = /^\/pulls\/(\d+)\/reviews$/.exec(rest)
    if (pullReviews && request.method === 'GET') {
      const number = Number(pullReviews[1])
      if (!pullRequests.has(number)) return error(404, 'Not Found')
      return paginate(
        request,
        reviews
          .filter(r => r.pull === number)
          .map(review => ({
            id: review.id,
            node_id: `PRR_sim${review.id}`,
            user: userJson(review.user),
            body: '',
            state: review.state,
            commit_id: review.commit_id,
            submitted_at: review.submitted_at,
            author_association: 'MEMBER'
          }))
      )
    }
    const issueEvents = /^\/issues\/(\d+)\/events$/.exec(rest)
    if (issueEvents && request.method === 'GET') {
      const number = Number(issueEvents[1])
      if (!pullRequests.has(number)) return error(404, 'Not Found')
      return paginate(
        request,
        events
          .filter(e => e.issue === number)
          .map(event => ({
            id: event.id,
            node_id: `LE_sim${event.id}`,
            event: event.event,
            actor: userJson(event.actor),
            label: { name: event.label, color: labelOf(event.label).color },
            created_at: event.created_at
          }))
      )
    }
    const permission = /^\/collaborators\/([^/]+)\/permission$/.exec(rest)
    if (permission && request.method === 'GET') {
      const role = roles.get(permission[1].toLowerCase()) ?? 'read'
      const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role
      return {
        status: 200,
        body: { permission: legacy, role_name: role, user: userJson(toUser(permission[1])) }
      }
    }
    const repoLabel = /^\/labels\/([^/]+)$/.exec(rest)
    if (repoLabel && request.method === 'GET') {
      const label = labels.get(decodeURIComponent(repoLabel[1]).toLowerCase())
      return label ? { status: 200, body: labelJson(label) } : error(404, 'Not Found')
    }
    if (rest === '/labels' && request.method === 'POST') {
      const body = /** @type {{ name?: unknown, color?: unknown, description?: unknown }} */ (
        request.body ?? {}
      )
      if (typeof body.name !== 'string') return error(422, 'Validation Failed')
      if (labels.has(body.name.toLowerCase())) {
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }]
          }
        }
      }
      const label = {
        name: body.name,
        color: typeof body.color === 'string' ? body.color : 'ededed',
        description: typeof body.description === 'string' ? body.description : null
      }
      labels.set(body.name.toLowerCase(), label)
      return { status: 201, body: labelJson(label) }
    }
    const issueLabels = /^\/issues\/(\d+)\/labels$/.exec(rest)
    if (issueLabels && request.method === 'POST') {
      const number = Number(issueLabels[1])
      if (!pullRequests.has(number)) return error(404, 'Not Found')
      const names = /** @type {{ labels?: unknown }} */ (request.body ?? {}).labels
      if (!Array.isArray(names) || !names.every(name => typeof name === 'string'))
        return error(422, 'Validation Failed')
      for (const name of names) recordLabel(number, name, caller, 'labeled')
      return { status: 200, body: pull(number).labels.map(name => labelJson(labelOf(name))) }
    }
    const issueLabel = /^\/issues\/(\d+)\/labels\/([^/]+)$/.exec(rest)
    if (issueLabel && request.method === 'DELETE') {
      const number = Number(issueLabel[1])
      const name = decodeURIComponent(issueLabel[2])
      const pr = pullRequests.get(number)
      if (!pr || !pr.labels.some(label => label.toLowerCase() === name.toLowerCase())) {
        return error(404, 'Label does not exist')
      }
      recordLabel(number, name, caller, 'unlabeled')
      return { status: 200, body: pr.labels.map(label => labelJson(labelOf(label))) }
    }
    return undefined
  }

  return {
    answer,
    pullExtras,
    reviews,
    events,
    labels,
    addReview,
    dismissReview,
    /** Somebody adds a label to the pull request. @param {number} number @param {string} name @param {SimUser | string} actor */
    addLabel: (number, name, actor) => recordLabel(number, name, actor, 'labeled'),
    /** @param {number} number @param {string} name @param {SimUser | string} actor */
    removeLabel: (number, name, actor) => recordLabel(number, name, actor, 'unlabeled'),
    /** A repository label that exists before the step. @param {string} name @param {string} [color] */
    createLabel: (name, color = 'ededed') =>
      labels.set(name.toLowerCase(), { name, color, description: null }),
    /** @param {string} login @param {SimRole} role */
    setRole: (login, role) => roles.set(login.toLowerCase(), role),
    /** @param {string} team `org/slug` @param {string[]} logins */
    setTeam: (team, logins) =>
      teams.set(team.toLowerCase(), new Set(logins.map(l => l.toLowerCase()))),
    /** @param {MembershipAccess} access */
    setMembershipAccess: access => {
      membershipAccess = access
    }
  }
}

/** @param {string} text */
function hashOf(text) {
  let hash = 11
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 2_000_000_000
  return hash + 1
}

/** @param {number} status @param {string} message @returns {Reply} */
function error(status, message) {
  return { status, body: { message, documentation_url: DOCS } }
}
