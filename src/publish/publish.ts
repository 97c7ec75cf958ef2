// Publishes the results: PR comment(s) first (their IDs become outputs), then job summary, then outputs.
import * as core from '@actions/core'
import type { Settings } from '../settings.js'
import type { WorkspaceResult } from '../result.js'
import { commentMarker, renderComment, renderSummary } from '../render/report.js'
import type { RenderOptions } from '../render/report.js'
import { createGitHubClient } from './github.js'
import type { GitHub } from './github.js'
import { publishComment } from './comment.js'
import { writeJobSummary } from './summary.js'
import { buildOutputs, setOutputs } from './outputs.js'
import { errorMessage } from '../error-message.js'

/** GitHub rejects comment bodies longer than this. */
export const COMMENT_LIMIT = 65536
/** The step summary's limit is 1 MiB; stay a little below it. */
export const SUMMARY_LIMIT = 1_000_000

/** Returns problems that must fail the step (after everything else was written). */
export async function publish(
  results: WorkspaceResult[],
  settings: Settings,
  runLink: string | undefined,
  signal: AbortSignal
): Promise<string[]> {
  const problems: string[] = []
  const commitSha = plannedCommit(results, settings)
  const base: Omit<RenderOptions, 'maxLength'> = {
    details: settings.details,
    label: settings.commentLabel || undefined,
    summaryUrl: runLink,
    commit: commitSha ? linkedCommit(commitSha, settings) : undefined
  }

  if (wantsComment(settings)) {
    try {
      await publishComments(results, settings, commitSha, base, signal)
    } catch (error) {
      problems.push(
        `Commenting on pull request #${settings.prNumber} failed: ${errorMessage(error)}`
      )
    }
  }
  await writeJobSummary(renderSummary(results, { ...base, maxLength: SUMMARY_LIMIT }))
  setOutputs(buildOutputs(results))
  return problems
}

function wantsComment(settings: Settings): boolean {
  if (settings.comment === 'off') return false
  if (settings.prNumber === undefined) {
    core.info('No pull request in this event and no pr-number given: no comment is written.')
    return false
  }
  return true
}

async function publishComments(
  results: WorkspaceResult[],
  settings: Settings,
  commitSha: string | undefined,
  base: Omit<RenderOptions, 'maxLength'>,
  signal: AbortSignal
): Promise<void> {
  const github = createGitHubClient({ token: settings.githubToken, baseUrl: settings.githubApiUrl })
  const groups = settings.commentMode === 'combined' ? [results] : results.map(result => [result])
  for (const group of groups) {
    if (signal.aborted) return
    const key = group.length === 1 ? workspaceKey(group[0]) : 'combined'
    const marker = commentMarker(key, settings.commentLabel)
    const body = renderComment(group, { ...base, marker, maxLength: COMMENT_LIMIT })
    const outcome = await postComment(github, settings, commitSha, marker, body, group)
    // A refusal (no permission) or a newer head applies to every comment on this pull request.
    if (outcome === 'stop') return
    if (outcome) for (const result of group) result.comment = outcome
  }
}

async function postComment(
  github: GitHub,
  settings: Settings,
  commitSha: string | undefined,
  marker: string,
  body: string,
  group: WorkspaceResult[]
): Promise<{ id: number; url: string } | 'stop' | undefined> {
  const outcome = await publishComment(github, {
    owner: settings.repository.owner,
    repo: settings.repository.repo,
    issueNumber: settings.prNumber as number,
    marker,
    body,
    policy: settings.comment as Exclude<Settings['comment'], 'off'>,
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
  const { owner, repo } = settings.repository
  if (!owner) return undefined
  return { sha, url: `${settings.githubServerUrl}/${owner}/${repo}/commit/${sha}` }
}

/** Sticky comments are per workspace, so re-runs of the same workspace edit the same comment. */
function workspaceKey(result: WorkspaceResult): string {
  return result.workspace ?? result.runId ?? result.planId
}
