// `commit-status: true`: a commit status on the applied commit per workspace, context
// `terraform/apply (<workspace>)`: pending while the apply is awaited, then success or failure,
// linking the run. A status is a courtesy: every problem is a warning, never a failed step.
import * as core from '@actions/core'
import type { ApplySettings } from '../settings.js'
import type { WorkspaceResult } from '../result.js'
import type { ApplyOutcome } from '../run/apply.js'
import { APPLY_OUTCOME_WORDS, applySummaryLine } from '../run/apply.js'
import { createGitHubClient } from './github.js'
import { describeFailure, isRateLimit, statusOf } from './github-errors.js'

/** A run whose apply the action waits for. */
export interface AwaitedRun {
  runId: string
  workspaceName?: string
  runUrl?: string
}

type StatusState = 'pending' | 'success' | 'failure' | 'error'

export interface CommitStatuses {
  /** A pending status for a run whose apply is awaited (the inspect hook). */
  pending(run: AwaitedRun): Promise<void>
  /** The final status of each result; runs that got no result end as `error`. */
  settle(results: WorkspaceResult[]): Promise<void>
}

const STATE_OF: Readonly<Record<ApplyOutcome, StatusState>> = {
  applied: 'success',
  'nothing-to-apply': 'success',
  errored: 'failure',
  discarded: 'failure',
  canceled: 'failure',
  // The run can still be confirmed: its status stays pending, with what it waits for.
  'awaiting-confirmation': 'pending',
  'awaiting-override': 'pending'
}
/** GitHub's limit on a status description. */
const MAX_DESCRIPTION = 140

/** Undefined unless commit-status is on and the commit and GitHub are known. */
export function createCommitStatuses(apply: ApplySettings | undefined): CommitStatuses | undefined {
  if (!apply?.commitStatus) return undefined
  const { commitSha, github: target } = apply
  if (commitSha === undefined || target === undefined) {
    core.warning(
      'commit-status: the applied commit is not known (no commit-sha or GITHUB_SHA): no commit status is set.'
    )
    return undefined
  }
  const github = createGitHubClient({ token: target.token, baseUrl: target.apiUrl })
  /** Runs with a pending status, by run ID: their context. */
  const pendingRuns = new Map<string, { context: string; url?: string }>()
  let refused = false

  const post = async (
    context: string,
    state: StatusState,
    description: string,
    targetUrl: string | undefined
  ): Promise<void> => {
    if (refused) return
    try {
      await github.rest.repos.createCommitStatus({
        owner: target.repository.owner,
        repo: target.repository.repo,
        sha: commitSha,
        state,
        context,
        description: clipped(description),
        ...(targetUrl !== undefined && { target_url: targetUrl })
      })
    } catch (error) {
      if (statusOf(error) === 403 && !isRateLimit(error)) {
        refused = true
        core.warning(
          `No commit status set on ${commitSha.slice(0, 7)}: GitHub answered 403. The job needs ` +
            '`permissions: statuses: write` for commit-status: true.'
        )
        return
      }
      core.warning(`The commit status ${context} could not be set: ${describeFailure(error)}`)
    }
  }

  return {
    async pending(run) {
      const context = contextOf(run.workspaceName ?? run.runId)
      pendingRuns.set(run.runId, { context, url: run.runUrl })
      await post(context, 'pending', 'Waiting for the apply in HCP Terraform', run.runUrl)
    },
    async settle(results) {
      for (const result of results) {
        if (result.apply === undefined) continue
        const { outcome, counts } = result.apply
        const described =
          outcome === 'applied'
            ? `Applied. ${applySummaryLine(counts)}`
            : `${APPLY_OUTCOME_WORDS[outcome][0].toUpperCase()}${APPLY_OUTCOME_WORDS[outcome].slice(1)}`
        const context = contextOf(result.workspace ?? result.runId ?? result.planId)
        await post(context, STATE_OF[outcome], described, result.runUrl)
        if (result.runId !== undefined) pendingRuns.delete(result.runId)
      }
      // A run whose inspection failed (a timeout while applying, say) must not stay pending.
      for (const { context, url } of pendingRuns.values()) {
        await post(
          context,
          'error',
          'The action could not tell how the apply ended: see the job log',
          url
        )
      }
      pendingRuns.clear()
    }
  }
}

function contextOf(workspace: string): string {
  return `terraform/apply (${workspace})`
}

function clipped(description: string): string {
  return description.length <= MAX_DESCRIPTION
    ? description
    : `${description.slice(0, MAX_DESCRIPTION - 1)}…`
}
