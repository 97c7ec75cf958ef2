// The pull-request comment: one sticky comment per marker, edited in place on re-runs.
//
// Whose comment may be edited: only one whose body starts with our marker AND whose author is the
// token's own identity. A PAT or user token is asked for its login (GET /user). Installation
// tokens cannot call GET /user; the workflow's GITHUB_TOKEN writes as github-actions[bot], so that
// is who we look for then. (A GitHub App token writes as its own bot and so gets a new comment each
// run: safe, if noisy.) Comments of anyone else are never edited or deleted, even when a
// repository admin's token would be allowed to.
import type { GitHub } from './github.js'
import type { CommentPolicy } from '../settings.js'

export interface CommentRequest {
  owner: string
  repo: string
  issueNumber: number
  /** Identifies our comment; the body must start with it (it is put on top when it does not). */
  marker: string
  body: string
  policy: Exclude<CommentPolicy, 'off'>
  hasChanges: boolean
}

export type CommentOutcome =
  | { action: 'created' | 'updated' | 'skipped'; id?: number; url?: string; reason?: string }
  | { action: 'refused'; warning: string }

interface CommentAuthor {
  login: string
  type: string
}

const WORKFLOW_BOT: CommentAuthor = { login: 'github-actions[bot]', type: 'Bot' }

export async function publishComment(
  github: GitHub,
  request: CommentRequest
): Promise<CommentOutcome> {
  const body = request.body.startsWith(request.marker)
    ? request.body
    : `${request.marker}\n${request.body}`
  try {
    if (request.policy === 'new') return await createComment(github, request, body)
    const existing = await findOwnComment(github, request)
    if (existing) return await updateComment(github, request, existing.id, body)
    if (request.policy === 'changes-only' && !request.hasChanges) {
      return {
        action: 'skipped',
        reason: 'the plan has no changes and there is no comment to update'
      }
    }
    return await createComment(github, request, body)
  } catch (error) {
    const refusal = refusalOf(error, request)
    if (refusal) return refusal
    throw explain(error, request)
  }
}

async function createComment(
  github: GitHub,
  request: CommentRequest,
  body: string
): Promise<CommentOutcome> {
  const { data } = await github.rest.issues.createComment({
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    body
  })
  return { action: 'created', id: data.id, url: data.html_url }
}

async function updateComment(
  github: GitHub,
  request: CommentRequest,
  commentId: number,
  body: string
): Promise<CommentOutcome> {
  try {
    const { data } = await github.rest.issues.updateComment({
      owner: request.owner,
      repo: request.repo,
      comment_id: commentId,
      body
    })
    return { action: 'updated', id: data.id, url: data.html_url }
  } catch (error) {
    // Deleted by someone between listing and editing: write a fresh one.
    if (statusOf(error) === 404) return createComment(github, request, body)
    throw error
  }
}

/** The newest comment that starts with the marker and was written by this token's identity. */
async function findOwnComment(
  github: GitHub,
  request: CommentRequest
): Promise<{ id: number } | undefined> {
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    per_page: 100
  })
  const marked = comments.filter(comment => comment.body?.startsWith(request.marker))
  if (marked.length === 0) return undefined
  const self = await tokenIdentity(github)
  // GitHub lists comments oldest first.
  return marked.filter(comment => comment.user && isSameAuthor(comment.user, self)).at(-1)
}

async function tokenIdentity(github: GitHub): Promise<CommentAuthor> {
  try {
    const { data } = await github.rest.users.getAuthenticated()
    return { login: data.login, type: data.type }
  } catch (error) {
    // 403 "Resource not accessible by integration": an installation token such as GITHUB_TOKEN.
    if (statusOf(error) === 403 && !isRateLimit(error)) return WORKFLOW_BOT
    throw error
  }
}

function isSameAuthor(author: CommentAuthor, self: CommentAuthor): boolean {
  return author.login === self.login && author.type === self.type
}

/** Problems the user fixes in the workflow, not failures of the action: warn and carry on. */
function refusalOf(error: unknown, request: CommentRequest): CommentOutcome | undefined {
  const status = statusOf(error)
  const message = githubMessage(error)
  const where = `pull request #${request.issueNumber} in ${request.owner}/${request.repo}`
  if (status === 403 && !isRateLimit(error)) {
    return {
      action: 'refused',
      warning:
        `No comment written on ${where}: GitHub answered 403 "${message}". ` +
        'The job needs `permissions: pull-requests: write`. Pull requests from forks only get ' +
        'a read-only token: turn the comment off for them, or use pull_request_target with care ' +
        '(never check out and run the fork\u2019s code with a write token).'
    }
  }
  if (status === 422) {
    return {
      action: 'refused',
      warning: `No comment written on ${where}: GitHub rejected it (422 ${message}).`
    }
  }
  return undefined
}

function explain(error: unknown, request: CommentRequest): Error {
  const status = statusOf(error)
  const message = githubMessage(error)
  if (status === 404) {
    return new Error(
      `pull request #${request.issueNumber} was not found in ${request.owner}/${request.repo} ` +
        '(404): check pr-number, and that github-token can read the repository.',
      { cause: error }
    )
  }
  if (status === 401) {
    return new Error(`GitHub rejected github-token (401 ${message}).`, { cause: error })
  }
  const answer = status === undefined ? message : `${status} ${message}`
  return new Error(`GitHub API request failed: ${answer}`, { cause: error })
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** GitHub's own words: the `message`, with a validation error's details when it has them. */
function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data as
    { message?: unknown; errors?: Array<{ message?: unknown }> } | undefined
  const details = (data?.errors ?? [])
    .map(detail => detail.message)
    .filter((detail): detail is string => typeof detail === 'string')
  if (typeof data?.message === 'string') {
    return details.length > 0 ? `${data.message}: ${details.join('; ')}` : data.message
  }
  return error instanceof Error ? error.message : String(error)
}

function isRateLimit(error: unknown): boolean {
  return /rate limit/i.test(githubMessage(error))
}
