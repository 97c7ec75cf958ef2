// Finds the runs HCP Terraform starts by itself for a commit (VCS-driven workspaces), whose
// IDs the workflow never learns: resolves the workspaces, then polls the organization's run list
// (up to 100 workspaces a request), or each workspace's where the server lacks it.
import * as core from '@actions/core'
import { systemClock } from '../util/clock.js'
import type { Clock } from '../util/clock.js'
import { mapConcurrent } from '../util/concurrency.js'
import type { TfcClient } from './client.js'
import { createCommitCheck, createCommitRunFinder } from './commit-runs.js'
import type { CommitRunFinder } from './commit-runs.js'
import { newestCommitRuns } from './organization-runs.js'
import { resolveWorkspaces } from './workspaces.js'
import type { WorkspaceRef } from './workspaces.js'

export interface DiscoveredRun {
  workspace: string
  workspaceId: string
  runId: string
}

export interface DiscoveryRequest {
  organization: string
  /** Workspace names; `*` matches any run of characters. */
  workspaces: string[]
  commitSha: string
  timeoutMs: number
  /** Pause between two rounds of run-list look-ups. */
  pollIntervalMs?: number
  /** Time for polling and the request budget (default: the system clock). */
  clock?: Clock
  log?: (line: string) => void
  signal?: AbortSignal
}

/** Thrown when some workspaces have no run for the commit when the time is up. */
export class RunDiscoveryError extends Error {
  override name = 'RunDiscoveryError'
  constructor(
    message: string,
    /** Names of the workspaces without a run. */
    readonly missing: string[]
  ) {
    super(message)
  }
}

const DEFAULT_POLL_INTERVAL_MS = 5000
const CONCURRENT_LOOKUPS = 4
const PROGRESS_LOG_INTERVAL_MS = 60_000

/**
 * The newest run for `commitSha` in each workspace, in the order of `request.workspaces`
 * (wildcard matches sorted by name). Waits up to `timeoutMs` for runs to appear.
 */
export async function discoverRuns(
  client: TfcClient,
  request: DiscoveryRequest
): Promise<DiscoveredRun[]> {
  const { signal, commitSha, timeoutMs } = request
  const clock = request.clock ?? systemClock
  const log = request.log ?? ((line: string) => core.info(line))
  const pollIntervalMs = request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS

  const workspaces = await resolveWorkspaces(client, request.organization, request.workspaces)
  const plannedCommit = createCommitCheck(client, commitSha)
  const finder = createCommitRunFinder(client, commitSha)
  let organizationList = true
  const found = new Map<string, DiscoveredRun>()
  const pending = () => workspaces.filter(workspace => !found.has(workspace.id))

  const started = clock.now()
  const deadline = started + timeoutMs
  let nextProgressLog = started + PROGRESS_LOG_INTERVAL_MS
  log(`Looking for the runs of commit ${commitSha} in ${names(workspaces)}.`)
  for (;;) {
    signal?.throwIfAborted()
    const waiting = pending()
    const listed = organizationList
      ? await newestCommitRuns(client, request.organization, waiting, commitSha, plannedCommit)
      : undefined
    if (organizationList && listed === undefined) {
      organizationList = false
      log("This server has no organization run list: each workspace's runs are listed instead.")
    }
    const runIds = listed
      ? waiting.map(workspace => listed.get(workspace.id)?.runId)
      : await findEach(finder, waiting)
    for (const [index, runId] of runIds.entries()) {
      if (runId === undefined) continue
      const { name, id } = waiting[index]
      found.set(id, { workspace: name, workspaceId: id, runId })
      log(`${name}: found run ${runId}.`)
    }

    const missing = pending()
    if (missing.length === 0) {
      return workspaces.flatMap(workspace => found.get(workspace.id) ?? [])
    }
    const time = clock.now()
    if (time >= deadline) throw notFoundError(request, missing)
    if (time >= nextProgressLog) {
      log(
        `Still waiting for a run of ${commitSha} in ${names(missing)} (${seconds(time - started)} s).`
      )
      nextProgressLog = time + PROGRESS_LOG_INTERVAL_MS
    }
    await clock.sleep(Math.min(pollIntervalMs, deadline - time), signal)
  }
}

/** Each workspace's newest run of the commit, from its own run list. */
async function findEach(
  finder: CommitRunFinder,
  workspaces: WorkspaceRef[]
): Promise<(string | undefined)[]> {
  const lookups = await mapConcurrent(workspaces, CONCURRENT_LOOKUPS, workspace =>
    finder.find(workspace.id)
  )
  return lookups.map(lookup => {
    if (lookup.status === 'rejected') throw lookup.reason
    return lookup.value
  })
}

function notFoundError(request: DiscoveryRequest, missing: WorkspaceRef[]): RunDiscoveryError {
  const message = [
    `No run for commit ${request.commitSha} appeared in ${names(missing)} of organization ` +
      `"${request.organization}" within ${seconds(request.timeoutMs)} s. ` +
      'HCP Terraform starts these runs itself; it may not have because:',
    '- the workspace is not connected to a VCS repository (give run-id instead);',
    "- the workspace's VCS triggers (trigger paths or patterns) skipped this commit;",
    '- the pull request comes from a fork: HCP Terraform runs no plans for pull requests from forks;',
    "- commit-sha is not the pull request's head commit (GitHub's merge commit never gets a run);",
    '- the VCS webhook is slow: raise wait-timeout.'
  ].join('\n')
  return new RunDiscoveryError(
    message,
    missing.map(workspace => workspace.name)
  )
}

function names(workspaces: WorkspaceRef[]): string {
  const label = workspaces.length === 1 ? 'workspace' : 'workspaces'
  return `${label} ${workspaces.map(workspace => `"${workspace.name}"`).join(', ')}`
}

function seconds(ms: number): number {
  return Math.round(ms / 1000)
}
