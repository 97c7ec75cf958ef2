// @ts-check
// The GraphQL side of the GitHub simulator: `viewer { login }` and `minimizeComment`, the two
// operations the action sends. Kept apart from the REST routes of github.mjs; it shares their
// comments and token identities.
//
// Like GitHub, GraphQL answers 200 with an `errors` list for problems of the query itself, and the
// endpoint of a GHES REST root `<host>/api/v3` is `<host>/api/graphql`.

/**
 * @typedef {import('./github.mjs').SimComment} SimComment
 * @typedef {import('./github.mjs').SimRequest} SimRequest
 * @typedef {{ user: { login: string }, admin: boolean }} GraphQLIdentity
 * @typedef {{ status: number, headers?: Record<string, string>, body?: unknown }} GraphQLReply
 */

/** GitHub's classifiers for minimized comments. */
const CLASSIFIERS = ['ABUSE', 'DUPLICATE', 'OFF_TOPIC', 'OUTDATED', 'RESOLVED', 'SPAM']

/** The GraphQL path for a REST path prefix: `/api/v3` → `/api/graphql`, '' → `/graphql`. */
export function graphqlPath(/** @type {string} */ restPrefix) {
  return `${restPrefix.replace(/\/v3$/, '')}/graphql`
}

/**
 * @param {{ comments: SimComment[] }} state
 */
export function createGraphQL(state) {
  /** Comment id → classifier it was minimized with. */
  /** @type {Map<number, string>} */
  const minimized = new Map()

  /**
   * @param {SimRequest} request
   * @param {GraphQLIdentity} identity
   * @returns {GraphQLReply}
   */
  function answer(request, identity) {
    if (request.method !== 'POST') return { status: 404, body: { message: 'Not Found' } }
    const payload = /** @type {{ query?: unknown, variables?: Record<string, unknown> }} */ (
      typeof request.body === 'object' && request.body !== null ? request.body : {}
    )
    if (typeof payload.query !== 'string') {
      return { status: 400, body: { message: 'Problems parsing JSON' } }
    }
    const query = payload.query
    const variables = payload.variables ?? {}
    if (/\bminimizeComment\s*\(/.test(query)) return minimize(query, variables, identity)
    if (/\bviewer\s*\{\s*login\s*\}/.test(query)) {
      return ok({ viewer: { login: identity.user.login } })
    }
    return failed(`The simulator does not answer this query: ${query.slice(0, 80)}`)
  }

  /**
   * @param {string} query @param {Record<string, unknown>} variables @param {GraphQLIdentity} identity
   * @returns {GraphQLReply}
   */
  function minimize(query, variables, identity) {
    const subjectId = argument(query, 'subjectId', variables)
    const classifier = argument(query, 'classifier', variables)
    if (typeof classifier !== 'string' || !CLASSIFIERS.includes(classifier)) {
      return failed(`Argument 'classifier' on InputObject 'MinimizeCommentInput' is invalid`)
    }
    const comment = state.comments.find(c => c.node_id === subjectId)
    if (!comment) {
      return failed(`Could not resolve to a node with the global id of '${subjectId}'`, 'NOT_FOUND')
    }
    if (comment.user.login !== identity.user.login && !identity.admin) {
      return failed(
        `${identity.user.login} does not have the correct permissions to execute \`MinimizeComment\``,
        'FORBIDDEN'
      )
    }
    minimized.set(comment.id, classifier)
    return ok({
      minimizeComment: {
        minimizedComment: { isMinimized: true, minimizedReason: classifier.toLowerCase() }
      }
    })
  }

  return {
    answer,
    /** @param {number} commentId @returns {string | undefined} the classifier, when minimized */
    minimizedAs: commentId => minimized.get(commentId)
  }
}

/**
 * The value of `name:` in the query: a `$variable`, a "string" or a bare enum value.
 * @param {string} query @param {string} name @param {Record<string, unknown>} variables
 * @returns {unknown}
 */
function argument(query, name, variables) {
  const match = new RegExp(`\\b${name}\\s*:\\s*(\\$\\w+|"[^"]*"|\\w+)`).exec(query)
  if (!match) return undefined
  const value = match[1]
  if (value.startsWith('$')) return variables[value.slice(1)]
  return value.startsWith('"') ? value.slice(1, -1) : value
}

/** @param {unknown} data @returns {GraphQLReply} */
function ok(data) {
  return { status: 200, body: { data } }
}

/** @param {string} message @param {string} [type] @returns {GraphQLReply} */
function failed(message, type) {
  return { status: 200, body: { data: null, errors: [{ ...(type ? { type } : {}), message }] } }
}
