// Who the GitHub token writes as: the author of the comments the action may edit.
//
// GraphQL `viewer { login }` answers for a user's token, the workflow's GITHUB_TOKEN
// (github-actions[bot]) and a GitHub App installation token (<app-slug>[bot]) alike. Where it
// cannot be read, the older rules: GET /user for user tokens; its 403 "Resource not accessible by
// integration" means an installation token, taken to be GITHUB_TOKEN.
import type { GitHub } from './github.js'
import { isRateLimit, statusOf } from './github-errors.js'

const WORKFLOW_BOT = 'github-actions[bot]'

/**
 * The token's login, or undefined when GitHub would not tell (then the action only learns it
 * from the author of a comment it creates).
 */
export async function tokenLogin(github: GitHub): Promise<string | undefined> {
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
