// Types of github.mjs for the TypeScript tests (the project compiles no JavaScript).

export interface SimUser {
  login: string
  id: number
  type: 'User' | 'Bot'
}

/**
 * Who a token acts as. Installation tokens (GITHUB_TOKEN, GitHub Apps) get 403 on GET /user;
 * GraphQL `viewer { login }` (POST /graphql, or /api/graphql under the prefix /api/v3) answers
 * for every token.
 */
export interface TokenSpec {
  /** A user or a login; logins ending in [bot] are bots. Default: github-actions[bot]. */
  user?: SimUser | string
  /** Default: true for bots. */
  installation?: boolean
  /** Admins may edit and delete other users' comments. */
  admin?: boolean
}

export interface SimComment {
  id: number
  node_id: string
  url: string
  html_url: string
  issue_url: string
  issue_number: number
  body: string
  user: SimUser
  author_association: string
  created_at: string
  updated_at: string
}

export interface SimRequest {
  method: string
  /** Path as sent, with the path prefix. */
  path: string
  url: string
  query: Record<string, string>
  /** Lower-case names. */
  headers: Record<string, string>
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown
  /** The token of the Authorization header (`token X` or `Bearer X`). */
  token?: string
  /** The status the simulator answered with. */
  status?: number
}

/** An answer given instead of the normal one to the next `times` (default 1) matching requests. */
export interface SimFault {
  match?: (request: SimRequest) => boolean
  status: number
  headers?: Record<string, string>
  body?: unknown
  times?: number
}

/**
 * Requests matching `match` wait until `count` of them arrived (or `timeoutMs`, default 5000,
 * passed since the first), then are answered in arrival order. The hold ends after one release.
 */
export interface SimHold {
  match: (request: SimRequest) => boolean
  count: number
  timeoutMs?: number
}

/** `fork` and `read-only` both answer writes with 403 "Resource not accessible by integration". */
export type SimPermission = 'ok' | 'fork' | 'read-only'

export interface SimOptions {
  /** `owner/repo`; the only repository served. Default `octo-org/infra`. */
  repository?: string
  /** GHES-style prefix such as `/api/v3`. */
  pathPrefix?: string
  /** Pull requests that exist. Default: #1. */
  pullRequests?: Array<number | { number: number; headSha?: string }>
  /** Known tokens; without it every token is the workflow's GITHUB_TOKEN. */
  tokens?: Record<string, TokenSpec>
}

export interface GitHubSimulator {
  /** Base URL to use as GITHUB_API_URL, including the path prefix. */
  url: string
  requests: SimRequest[]
  comments: SimComment[]
  faults: SimFault[]
  /** Seeds a comment; the author defaults to octocat. */
  addComment(issueNumber: number, body: string, user?: SimUser | string): SimComment
  addPullRequest(number: number, pr?: { headSha?: string }): void
  /** PATCH and DELETE requests on comments written by someone other than the caller. */
  foreignWrites(): SimRequest[]
  /** The classifier a comment was minimized with over GraphQL (e.g. OUTDATED), if it was. */
  minimizedAs(commentId: number): string | undefined
  /** Moves a pull request's head, as a push to its branch does. */
  setHeadSha(number: number, headSha: string): void
  /** Makes matching requests meet: see SimHold. */
  hold(hold: SimHold): void
  setPermission(mode: SimPermission): void
  close(): Promise<void>
}

export const GITHUB_ACTIONS_BOT: Readonly<SimUser>
export const OCTOCAT: Readonly<SimUser>
export const MAX_COMMENT_LENGTH: number

export function startGitHubSimulator(options?: SimOptions): Promise<GitHubSimulator>
export function serverError(options?: {
  status?: number
  times?: number
  match?: SimFault['match']
}): SimFault
export function secondaryRateLimit(options?: {
  status?: number
  retryAfter?: number
  times?: number
  match?: SimFault['match']
}): SimFault
export function primaryRateLimit(options?: {
  resetInSeconds?: number
  times?: number
  match?: SimFault['match']
}): SimFault
