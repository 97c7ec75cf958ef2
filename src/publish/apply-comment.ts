// The apply comment: on each pull request the applied commit belongs to (or pr-number), one
// sticky comment per workspace under its own marker, beside the plan comment that stays as the
// record of what was reviewed. A merged pull request's head is not the applied commit, so the
// plan comment's outdated-head guard does not apply.
import * as core from '@actions/core'
import type { ApplySettings, CommentSettings } from '../settings.js'
import type { WorkspaceResult } from '../result.js'
import { workspaceKey } from '../result.js'
import { commentMarker, shortSha } from '../render/markdown.js'
import { renderApplyComment } from '../render/apply-report.js'
import type { ApplyRenderOptions } from '../render/apply-report.js'
import { createGitHubClient } from './github.js'
import type { GitHub } from './github.js'
import { COMMENT_LIMIT, postComment } from './publish.js'
import type { PostedComment, PostedComments } from './posted.js'
import { errorMessage } from '../util/error-message.js'
import { githubMessage, isRateLimit, statusOf } from './github-errors.js'

/** A commit on a long-lived branch can belong to many pull requests: the first few are enough. */
const MAX_PULL_REQUESTS = 5

type GitHubSettings = NonNullable<ApplySettings['github']>

/** The comments written (the first per workspace), and a problem that must fail the step. */
export async function publishApplyComments(
  results: WorkspaceResult[],
  apply: ApplySettings & { github: GitHubSettings; comment: CommentSettings['policy'] },
  render: Omit<ApplyRenderOptions, 'marker' | 'maxLength'>,
  signal: AbortSignal
): Promise<{ posted: PostedComments; failure?: string }> {
  const posted = new Map<WorkspaceResult, PostedComment>()
  const { repository } = apply.github
  let where = 'the pull requests of the applied commit'
  try {
    const github = createGitHubClient({ token: apply.github.token, baseUrl: apply.github.apiUrl })
    const numbers = await pullRequestNumbers(github, apply)
    if (numbers.length === 0) return { posted }
    const groups = apply.layout === 'combined' ? [results] : results.map(result => [result])
    for (const prNumber of numbers) {
      where = `pull request #${prNumber}`
      const comment: CommentSettings = {
        ...apply.github,
        prNumber,
        policy: apply.comment,
        layout: apply.layout,
        // An apply comment shrinks to fit (the job summary has everything): it is never split.
        overflow: 'summary'
      }
      for (const group of groups) {
        if (signal.aborted) return { posted }
        const key = group.length === 1 ? workspaceKey(group[0]) : 'combined'
        const marker = commentMarker(`apply:${key}`, render.label ?? '')
        const body = renderApplyComment(group, { ...render, marker, maxLength: COMMENT_LIMIT })
        const outcome = await postComment(github, comment, undefined, marker, body, group)
        if (outcome === 'stop') return { posted }
        if (outcome)
          for (const result of group) if (!posted.has(result)) posted.set(result, outcome)
      }
    }
  } catch (error) {
    const failure = `Writing the apply comment on ${where} in ${repository.owner}/${repository.repo} failed: ${errorMessage(error)}`
    return { posted, failure }
  }
  return { posted }
}

function listCommitPulls(github: GitHub, target: GitHubSettings, commitSha: string) {
  return github.paginate(github.rest.repos.listPullRequestsAssociatedWithCommit, {
    owner: target.repository.owner,
    repo: target.repository.repo,
    commit_sha: commitSha,
    per_page: 100
  })
}

/** pr-number, else the pull requests GitHub associates with the commit; none says so. */
async function pullRequestNumbers(github: GitHub, apply: ApplySettings): Promise<number[]> {
  if (apply.prNumber !== undefined) return [apply.prNumber]
  const { commitSha, github: target } = apply
  if (commitSha === undefined || target === undefined) {
    core.notice(
      'The applied commit is not known (no commit-sha, GITHUB_SHA or workspace): the apply is ' +
        'reported in the job summary only.'
    )
    return []
  }
  let pulls: Awaited<ReturnType<typeof listCommitPulls>>
  try {
    pulls = await listCommitPulls(github, target, commitSha)
  } catch (error) {
    if (statusOf(error) !== 403 || isRateLimit(error)) throw error
    core.warning(
      `No apply comment written: GitHub refused to list the pull requests of ${shortSha(commitSha)} ` +
        `(403 "${githubMessage(error)}"). The job needs \`permissions: pull-requests: write\`.`
    )
    return []
  }
  // The pull request that merged the commit first, then open ones that contain it.
  const ordered = [
    ...pulls.filter(pull => pull.merge_commit_sha?.toLowerCase() === commitSha),
    ...pulls.filter(pull => pull.merge_commit_sha?.toLowerCase() !== commitSha)
  ]
  const numbers = [...new Set(ordered.map(pull => pull.number))].slice(0, MAX_PULL_REQUESTS)
  if (numbers.length === 0) {
    core.notice(
      `Commit ${shortSha(commitSha)} belongs to no pull request (a direct push): the apply is ` +
        'reported in the job summary only.'
    )
  }
  return numbers
}
