// The pull-request comment: one sticky comment per marker, edited in place on re-runs, written
// only while the plan's commit is the pull request's head.
//
// Whose comment may be edited: only one whose body starts with our marker AND whose author is the
// token's own identity (see ./identity.ts). Comments of anyone else are never edited, hidden or
// deleted, even when a repository admin's token would be allowed to.
//
// Overlapping jobs (re-runs, two triggers) may each find no comment and create one. So after
// creating, the job lists again and converges: the oldest of its identity's marked comments stays
// and gets the newest content, the others are deleted. Every job does the same, so they all end on
// the same survivor whatever the interleaving; a sibling deleting a comment first is not an error.
import type { GitHub } from './github.js'
import { describeFailure, githubMessage, isRateLimit, statusOf } from './github-errors.js'
import { tokenLogin } from './identity.js'
import type { CommentPolicy } from '../settings.js'
import { hasCommentMarkerFor, shortSha } from '../render/markdown.js'
import type { CommentRecord } from './comment-record.js'
import { readCommentRecord } from './comment-record.js'

export interface CommentRequest {
  owner: string
  repo: string
  issueNumber: number
  /** Identifies our comment; the body must start with it (it is put on top when it does not). */
  marker: string
  body: string
  policy: Exclude<CommentPolicy, 'off'>
  hasChanges: boolean
  /** The commit the plan is for: nothing is written once the pull request's head is elsewhere. */
  commitSha?: string
}

export type CommentOutcome =
  | {
      action: 'created' | 'updated' | 'skipped'
      id?: number
      url?: string
      reason?: string
      /** Problems that did not stop the comment (an earlier one could not be hidden). */
      warnings?: string[]
    }
  | { action: 'refused' | 'outdated'; warning: string }

interface IssueComment {
  id: number
  node_id: string
  html_url: string
  body?: string
  user: { login: string } | null
}

/** Lists after creating, when a sibling's edit lands on a comment another sibling just deleted. */
const CONVERGE_ATTEMPTS = 3

export async function publishComment(
  github: GitHub,
  request: CommentRequest
): Promise<CommentOutcome> {
  const body = request.body.startsWith(request.marker)
    ? request.body
    : `${request.marker}\n${request.body}`
  try {
    if (request.policy === 'new') {
      const outdated = await headMovedOn(github, request)
      if (outdated) return outdated
      const created = await createComment(github, request, body)
      const warnings = await hideEarlier(github, request, created)
      return { action: 'created', id: created.id, url: created.html_url, warnings }
    }
    const own = await findOwnComments(github, request)
    if (own.length === 0 && request.policy === 'changes-only' && !request.hasChanges) {
      return {
        action: 'skipped',
        reason: 'the plan has no changes and there is no comment to update'
      }
    }
    const outdated = await headMovedOn(github, request)
    if (outdated) return outdated
    if (own.length > 0) {
      const kept = await keepOldest(github, request, own, body)
      if (kept) return { action: 'updated', id: kept.id, url: kept.html_url }
    }
    const created = await createComment(github, request, body)
    const survivor = await converge(github, request, created, body)
    return {
      action: survivor.id === created.id ? 'created' : 'updated',
      id: survivor.id,
      url: survivor.html_url
    }
  } catch (error) {
    const refusal = refusalOf(error, request)
    if (refusal) return refusal
    throw explain(error, request)
  }
}

/**
 * The outcome for a job whose commit is no longer the pull request's head (a push landed while it
 * ran), read just before writing; undefined when the job may write.
 */
async function headMovedOn(
  github: GitHub,
  request: CommentRequest
): Promise<CommentOutcome | undefined> {
  if (!request.commitSha) return undefined
  const { data } = await github.rest.pulls.get({
    owner: request.owner,
    repo: request.repo,
    pull_number: request.issueNumber
  })
  const head = data.head.sha.toLowerCase()
  if (head === request.commitSha.toLowerCase()) return undefined
  return {
    action: 'outdated',
    warning:
      `the plan for ${shortSha(request.commitSha)} is outdated: the pull request's head is now ` +
      `${shortSha(head)}; its comment was left as it is`
  }
}

/**
 * After creating: the oldest marked comment of this identity survives with `body`, the others
 * (this job's own one included, when it is not the oldest) are deleted.
 */
async function converge(
  github: GitHub,
  request: CommentRequest,
  created: IssueComment,
  body: string
): Promise<IssueComment> {
  // The author GitHub recorded is this token's identity, whatever tokenLogin could tell.
  const self = created.user?.login
  if (!self) return created
  for (let attempt = 0; attempt < CONVERGE_ATTEMPTS; attempt++) {
    const own = ownComments(await listComments(github, request), request, self)
    if (own.length === 0) return created
    const kept = await keepOldest(github, request, own, body, created.id)
    if (kept) return kept
  }
  return created
}

/**
 * Gives the oldest of `own` the body (unless it already has it: `current`) and deletes the rest.
 * Undefined when the oldest was deleted meanwhile (by a sibling job or a person).
 */
async function keepOldest(
  github: GitHub,
  request: CommentRequest,
  own: IssueComment[],
  body: string,
  current?: number
): Promise<IssueComment | undefined> {
  const [oldest, ...extras] = own
  const kept = oldest.id === current ? oldest : await updateComment(github, request, oldest, body)
  if (!kept) return undefined
  for (const extra of extras) await deleteComment(github, request, extra)
  return kept
}

async function createComment(
  github: GitHub,
  request: CommentRequest,
  body: string
): Promise<IssueComment> {
  const { data } = await github.rest.issues.createComment({
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    body
  })
  return data
}

/** The edited comment, or undefined when it no longer exists. */
async function updateComment(
  github: GitHub,
  request: CommentRequest,
  comment: IssueComment,
  body: string
): Promise<IssueComment | undefined> {
  try {
    const { data } = await github.rest.issues.updateComment({
      owner: request.owner,
      repo: request.repo,
      comment_id: comment.id,
      body
    })
    return data
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw error
  }
}

async function deleteComment(
  github: GitHub,
  request: CommentLocation,
  comment: IssueComment
): Promise<void> {
  try {
    await github.rest.issues.deleteComment({
      owner: request.owner,
      repo: request.repo,
      comment_id: comment.id
    })
  } catch (error) {
    // Already deleted by a sibling job converging on the same survivor.
    if (statusOf(error) !== 404) throw error
  }
}

/**
 * `comment: new`: folds this identity's earlier marked comments (GraphQL minimizeComment, as
 * OUTDATED), so the pull request shows one current plan. Hiding is a courtesy: a failure warns.
 */
async function hideEarlier(
  github: GitHub,
  request: CommentRequest,
  created: IssueComment
): Promise<string[]> {
  const self = created.user?.login
  if (!self) return []
  const earlier = ownComments(await listComments(github, request), request, self).filter(
    comment => comment.id < created.id
  )
  const warnings: string[] = []
  for (const comment of earlier) {
    try {
      await github.graphql(
        'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) ' +
          '{ minimizedComment { isMinimized } } }',
        { id: comment.node_id }
      )
    } catch (error) {
      warnings.push(
        `The earlier comment ${comment.html_url} was not hidden as outdated: ` +
          describeFailure(error)
      )
    }
  }
  return warnings
}

type CommentLocation = Pick<CommentRequest, 'owner' | 'repo' | 'issueNumber'>

async function listComments(github: GitHub, request: CommentLocation): Promise<IssueComment[]> {
  return github.paginate(github.rest.issues.listComments, {
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    per_page: 100
  })
}

/** This identity's marked comments, oldest first; who it is is asked only when there are any. */
async function findOwnComments(github: GitHub, request: CommentRequest): Promise<IssueComment[]> {
  const marked = (await listComments(github, request)).filter(comment =>
    comment.body?.startsWith(request.marker)
  )
  if (marked.length === 0) return []
  const self = await tokenLogin(github)
  return self ? ownComments(marked, request, self) : []
}

/**
 * Deletes this identity's comments whose marker (first line) is one of `markers`, e.g. the parts a
 * shorter comment no longer needs; anyone else's are left alone. Returns how many were deleted.
 */
export async function deleteOwnMarkedComments(
  github: GitHub,
  location: CommentLocation,
  markers: ReadonlySet<string>
): Promise<number> {
  const marked = (await listComments(github, location)).filter(comment =>
    markers.has((comment.body ?? '').split('\n', 1)[0])
  )
  if (marked.length === 0) return 0
  const self = await tokenLogin(github)
  const own = marked.filter(comment => self !== undefined && comment.user?.login === self)
  for (const comment of own) await deleteComment(github, location, comment)
  return own.length
}

export interface RecordedComment {
  id: number
  /** The comment's first line: its marker. */
  marker: string
  record: CommentRecord
}

/**
 * This identity's sticky plan comments for `label` on a pull request (every workspace key), with
 * what each recorded; comments without a readable record are left out.
 */
export async function readRecordedComments(
  github: GitHub,
  location: CommentLocation,
  label: string
): Promise<RecordedComment[]> {
  const ours = (await listComments(github, location)).filter(
    comment => comment.body !== undefined && hasCommentMarkerFor(comment.body, label)
  )
  if (ours.length === 0) return []
  const self = await tokenLogin(github)
  return ours
    .filter(comment => comment.user?.login === self)
    .sort((a, b) => a.id - b.id)
    .flatMap(comment => {
      const body = comment.body ?? ''
      const record = readCommentRecord(body)
      return record ? [{ id: comment.id, marker: body.split('\n', 1)[0], record }] : []
    })
}

/** Comments that start with the marker and were written by `login`, oldest first. */
function ownComments(
  comments: IssueComment[],
  request: CommentRequest,
  login: string
): IssueComment[] {
  return comments
    .filter(comment => comment.body?.startsWith(request.marker) && comment.user?.login === login)
    .sort((a, b) => a.id - b.id)
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
  if (status === 404 && isCommentList(error, request)) {
    return new Error(
      `pull request #${request.issueNumber} was not found in ${request.owner}/${request.repo} ` +
        '(404): check pr-number, and that github-token can read the repository.',
      { cause: error }
    )
  }
  if (status === 401) {
    return new Error(`GitHub rejected github-token: ${describeFailure(error)}.`, { cause: error })
  }
  return new Error(`GitHub API request failed: ${describeFailure(error)}`, { cause: error })
}

/** Only the pull request's own comment list tells that the pull request is not there. */
function isCommentList(error: unknown, request: CommentRequest): boolean {
  const url = (error as { request?: { url?: unknown } } | null)?.request?.url
  const path = `/repos/${request.owner}/${request.repo}/issues/${request.issueNumber}/comments`
  return typeof url === 'string' && new URL(url).pathname.endsWith(path)
}
