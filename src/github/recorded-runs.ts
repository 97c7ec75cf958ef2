// Re-evaluation on a review or label event: the runs this action's sticky comment recorded for the
// pull request's current head, so the gates are applied again without a new plan.
import type { GitHub } from '../publish/github.js'
import { readRecordedComments } from '../publish/comment.js'
import type { RecordedRun } from '../publish/comment-record.js'
import { shortSha } from '../render/markdown.js'
import type { PullRequestLocation } from './pull-request.js'
import { readPullRequest } from './pull-request.js'

/**
 * The runs recorded for the head commit, once each; throws when no comment of this label records
 * a plan for the head (an older record is of another commit's plan and must not be trusted).
 */
export async function recordedRunsForHead(
  github: GitHub,
  location: PullRequestLocation,
  label: string
): Promise<RecordedRun[]> {
  const { headSha } = await readPullRequest(github, location)
  const comments = await readRecordedComments(
    github,
    { owner: location.owner, repo: location.repo, issueNumber: location.number },
    label
  )
  const runs = new Map<string, RecordedRun>()
  for (const { record } of comments) {
    if (record.commit?.toLowerCase() !== headSha) continue
    for (const run of record.runs) runs.set(run.runId ?? run.planId, run)
  }
  if (runs.size === 0) {
    const labelled = label ? ` with comment-label "${label}"` : ''
    throw new Error(
      `No plan comment of this action${labelled} on pull request #${location.number} records a ` +
        `plan for its head commit ${shortSha(headSha)}, so there is nothing to re-evaluate: let the ` +
        'plan job comment on this commit first, or give run-id, plan-id or workspace.'
    )
  }
  return [...runs.values()]
}
