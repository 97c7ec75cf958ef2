// Who the GitHub token writes as: the author of the comments the action may edit.
//
// GraphQL `viewer { login }` answers for a user's token, the workflow's GITHUB_TOKEN
// (github-actions[bot]) and a GitHub App installation token (<app-slug>[bot]) alike. Where it
// cannot be read, the older rules: GET /user for user tokens; its 403 "Resource not accessible by
// integration" means an installation token, taken to be GITHUB_TOKEN.
import type { GitHub } from './github.js'
import { isRateLimit, statusOf } from './github-errors.js'

const WORKFLOW_BOT = 'github-actions[bot]'

/** One answer per client: a step with several workspaces' comments asks once. */
const logins = new WeakMap<GitHub, Promise<string | undefined>>()

/**
 * The token's login, or undefined when GitHub would not tell (then the action only learns it
 * from the author of a comment it creates).
 */
export function tokenLogin(github: GitHub): Promise<string | undefined> {
  let login = logins.get(github)
  if (login === undefined) {
    login = askLogin(github)
    // A failure is not remembered: the next comment asks again.
    login.catch(() => logins.delete(github))
    logins.set(github, login)
  }
  return login
}

async function askLogin(github: GitHub): Promise<string | undefined> {
  try {
    const { viewer } = await github.graphql<{ viewer: { login: string } }>(
      'query { viewer { login } }'
    )
    if (viewer.login) return viewer.login
  } catch (error) {
    if (statusOf(error) === 401) throw error
    // Falls through to REST: GraphQL may be switched off or blocked by a proxy.
  }
  try {
    const { data } = await github.rest.users.getAuthenticated()
    return data.login
  } catch (error) {
    const status = statusOf(error)
    if (status === 403 && !isRateLimit(error)) return WORKFLOW_BOT
    if (status === 404) return undefined
    throw error
  }
}
