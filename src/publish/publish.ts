// Publishes the results: PR comment(s) first (their IDs become outputs), then job summary, then outputs.
import * as core from '@actions/core'
import type { CommentSettings, Settings } from '../settings.js'
import type { WorkspaceResult } from '../result.js'
import { workspaceKey } from '../result.js'
import { renderSummary } from '../render/report.js'
import type { RenderOptions } from '../render/report.js'
import { createGitHubClient } from './github.js'
import type { GitHub } from './github.js'
import { deleteOwnMarkedComments, publishComment } from './comment.js'
import { commentBodies, partMarkersAfter } from './comment-parts.js'
import { writeJobSummary } from './summary.js'
import { buildOutputs, maskOutputs, setOutputs } from './outputs.js'
import { createMasker } from '../util/mask.js'
import type { Masker } from '../util/mask.js'
import type { PostedComment, PostedComments } from './posted.js'
import { errorMessage } from '../util/error-message.js'
import { commentRecordLine, recordOf } from './comment-record.js'
import { planLabels, syncLabels } from './labels.js'
import { pullRequestLocation } from '../github/pull-request.js'

export { COMMENT_LIMIT } from './comment-parts.js'
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
  if (settings.labels && settings.pullRequest) {
    const { pullRequest } = settings
    const github = createGitHubClient({ token: pullRequest.token, baseUrl: pullRequest.apiUrl })
    const warnings = await syncLabels(github, {
      ...pullRequestLocation(pullRequest),
      prefix: settings.labels.prefix,
      wanted: planLabels(results),
      commitSha
    })
    for (const warning of warnings) core.warning(warning)
  }
  const summary = renderSummary(results, { ...base, maxLength: SUMMARY_LIMIT })
  await writeSummaryAndOutputs(summary, buildOutputs(results, comments), masker)
  return problems
}

/**
 * The last of publishing, for a plan and for an apply: the outputs masked, every value a mask
 * found registered with the runner (hidden in this step's log from here on), then both written.
 */
export async function writeSummaryAndOutputs(
  summary: string,
  outputs: Record<string, string>,
  masker: Masker
): Promise<void> {
  const masked = maskOutputs(outputs, masker)
  for (const value of masker.found) core.setSecret(value)
  await writeJobSummary(summary)
  setOutputs(masked)
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
    const github = createGitHubClient({ token: comment.token, baseUrl: comment.apiUrl })
    const groups = comment.layout === 'combined' ? [results] : results.map(result => [result])
    for (const group of groups) {
      if (signal.aborted) break
      const key = group.length === 1 ? workspaceKey(group[0]) : 'combined'
      const record = commentRecordLine(recordOf(group, commitSha))
      const parts = commentBodies({ group, key, overflow: comment.overflow, record, options: base })
      let first: PostedComment | 'stop' | undefined
      for (const [index, part] of parts.entries()) {
        const outcome = await postComment(github, comment, commitSha, part.marker, part.body, group)
        if (index === 0) first = outcome
        // Skipped or stopped: the further parts follow the first.
        if (outcome === 'stop' || outcome === undefined) break
      }
      // A refusal (no permission) or a newer head applies to every comment on this pull request.
      if (first === 'stop') break
      if (first) for (const result of group) posted.set(result, first)
      // Parts a longer comment needed before; `comment: new` keeps earlier comments as they are.
      if (first && comment.overflow === 'split' && comment.policy !== 'new') {
        const stale = partMarkersAfter(key, base.label ?? '', parts.length)
        const location = {
          owner: comment.repository.owner,
          repo: comment.repository.repo,
          issueNumber: comment.prNumber
        }
        const deleted = await deleteOwnMarkedComments(github, location, stale)
        if (deleted > 0) core.info(`Deleted ${deleted} comment parts no longer needed.`)
      }
    }
  } catch (error) {
    const failure = `Commenting on pull request #${comment.prNumber} failed: ${errorMessage(error)}`
    return { posted, failure }
  }
  return { posted }
}

export async function postComment(
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
export function linkedCommit(sha: string, settings: Settings): RenderOptions['commit'] {
  if (!settings.repositoryUrl) return undefined
  return { sha, url: `${settings.repositoryUrl}/commit/${sha}` }
}
