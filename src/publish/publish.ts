// Publishes the results: PR comment(s) first (their IDs become outputs), then job summary, then outputs.
import * as core from '@actions/core'
import type { CommentSettings, Settings } from '../settings.js'
import type { WorkspaceResult } from '../result.js'
import { workspaceKey } from '../result.js'
import { commentMarker, renderComment, renderSummary } from '../render/report.js'
import type { RenderOptions } from '../render/report.js'
import { commentClient } from './github.js'
import type { GitHub } from './github.js'
import { publishComment } from './comment.js'
import { writeJobSummary } from './summary.js'
import { buildOutputs, maskOutputs, setOutputs } from './outputs.js'
import { createMasker } from '../util/mask.js'
import type { PostedComment, PostedComments } from './posted.js'
import { errorMessage } from '../util/error-message.js'
import { commentRecordLine, recordOf } from './comment-record.js'

/** GitHub rejects comment bodies longer than this. */
export const COMMENT_LIMIT = 65536
/** The step summary's limit is 1 MiB; stay a little below it. */
export const SUMMARY_LIMIT = 1_000_000

type BaseOptions = Omit<RenderOptions, 'maxLength'>

/** Returns problems that must fail the step (after everything else was written). */
export async function publish(
  results: WorkspaceResult[],
  settings: Settings,
  runLink: string | undefined,
  signal: AbortSignal
): Promise<string[]> {
  const problems: string[] = []
  const commitSha = plannedCommit(results, settings)
  const masker = createMasker(settings.masks)
  const base: BaseOptions = {
    masker,
    details: settings.details,
    groupBy: settings.groupBy,
    label: settings.commentLabel || undefined,
    summaryUrl: runLink,
    commit: commitSha ? linkedCommit(commitSha, settings) : undefined
  }

  let comments: PostedComments = new Map()
  if (settings.comment) {
    const written = await publishComments(results, settings.comment, commitSha, base, signal)
    comments = written.posted
    if (written.failure) problems.push(written.failure)
  } else if (settings.commentWithoutPullRequest) {
    core.info('No pull request in this event and no pr-number given: no comment is written.')
  }
  const summary = renderSummary(results, { ...base, maxLength: SUMMARY_LIMIT })
  const outputs = maskOutputs(buildOutputs(results, comments), masker)
  // From here on the runner hides every value a mask found, in this step's log too.
  for (const value of masker.found) core.setSecret(value)
  await writeJobSummary(summary)
  setOutputs(outputs)
  return problems
}

/** The comments written, also those written before a failure stopped the others. */
async function publishComments(
  results: WorkspaceResult[],
  comment: CommentSettings,
  commitSha: string | undefined,
  base: BaseOptions,
  signal: AbortSignal
): Promise<{ posted: PostedComments; failure?: string }> {
  const posted = new Map<WorkspaceResult, PostedComment>()
  try {
    const github = commentClient(comment)
    const groups = comment.layout === 'combined' ? [results] : results.map(result => [result])
    for (const group of groups) {
      if (signal.aborted) break
      const key = group.length === 1 ? workspaceKey(group[0]) : 'combined'
      const marker = commentMarker(key, base.label ?? '')
      const record = commentRecordLine(recordOf(group, commitSha))
      const report = renderComment(group, {
        ...base,
        marker,
        maxLength: COMMENT_LIMIT - record.length - 1
      })
      const body = `${report}\n${record}`
      const outcome = await postComment(github, comment, commitSha, marker, body, group)
      // A refusal (no permission) or a newer head applies to every comment on this pull request.
      if (outcome === 'stop') break
      if (outcome) for (const result of group) posted.set(result, outcome)
    }
  } catch (error) {
    const failure = `Commenting on pull request #${comment.prNumber} failed: ${errorMessage(error)}`
    return { posted, failure }
  }
  return { posted }
}

async function postComment(
  github: GitHub,
  comment: CommentSettings,
  commitSha: string | undefined,
  marker: string,
  body: string,
  group: WorkspaceResult[]
): Promise<PostedComment | 'stop' | undefined> {
  const outcome = await publishComment(github, {
    owner: comment.repository.owner,
    repo: comment.repository.repo,
    issueNumber: comment.prNumber,
    marker,
    body,
    policy: comment.policy,
    hasChanges: group.some(result => result.model.hasChanges),
    commitSha
  })
  if ('warning' in outcome) {
    core.warning(outcome.warning)
    return 'stop'
  }
  for (const warning of outcome.warnings ?? []) core.warning(warning)
  if (outcome.action === 'skipped') {
    core.info(`No comment written: ${outcome.reason ?? 'nothing to say'}`)
    return undefined
  }
  core.info(`Comment ${outcome.action}: ${outcome.url}`)
  return outcome.id !== undefined && outcome.url ? { id: outcome.id, url: outcome.url } : undefined
}

/** The commit the plans are for: the job's, else the one VCS commit all its runs planned. */
function plannedCommit(results: WorkspaceResult[], settings: Settings): string | undefined {
  if (settings.commitSha) return settings.commitSha
  const commits = new Set(results.map(result => result.commitSha))
  const [only] = commits
  return commits.size === 1 ? only : undefined
}

/** The commit on the GitHub server (none without a repository: nothing to link to). */
function linkedCommit(sha: string, settings: Settings): RenderOptions['commit'] {
  if (!settings.repositoryUrl) return undefined
  return { sha, url: `${settings.repositoryUrl}/commit/${sha}` }
}
