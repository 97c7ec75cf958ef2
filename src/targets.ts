// Which runs a step is about: named by run or plan IDs, found by workspace and commit, or (on a
// review or label event) the runs the pull request's sticky comment recorded for its head.
import * as core from '@actions/core'
import type { Settings } from './settings.js'
import type { TfcClient } from './tfc/client.js'
import { discoverRuns } from './tfc/discovery.js'
import { watchRunList } from './tfc/run-list-watch.js'
import { isPlanOver, isRunOver } from './tfc/run-progress.js'
import type { InspectTarget } from './inspect.js'
import type { GitHub } from './publish/github.js'
import { recordedRunsForHead } from './github/recorded-runs.js'
import { pullRequestLocation } from './github/pull-request.js'

/** What to inspect, and (for discovered runs) when each may start to be awaited on its own. */
export interface Targets {
  targets: InspectTarget[]
  ready?: (target: InspectTarget) => Promise<void>
}

export async function resolveTargets(
  client: TfcClient,
  github: GitHub | undefined,
  settings: Settings,
  signal: AbortSignal
): Promise<Targets> {
  const target = settings.target
  switch (target.kind) {
    case 'recorded': {
      const pullRequest = settings.pullRequest
      // Settings require a pull request and a token for a re-evaluation.
      if (!github || !pullRequest) throw new Error('No pull request to re-evaluate.')
      const runs = await recordedRunsForHead(
        github,
        pullRequestLocation(pullRequest),
        settings.commentLabel
      )
      core.info(`Re-evaluating the gates of ${runs.map(run => run.runId ?? run.planId).join(', ')}`)
      return {
        targets: runs.map(run => (run.runId ? { runId: run.runId } : { planId: run.planId }))
      }
    }
    case 'runs':
      return { targets: target.runIds.map(runId => ({ runId })) }
    case 'plans':
      return { targets: target.planIds.map(planId => ({ planId })) }
    case 'discover': {
      const runs = await discoverRuns(client, {
        organization: target.organization,
        workspaces: target.workspaces,
        commitSha: target.commitSha,
        appliedOnly: settings.waitFor === 'apply',
        timeoutMs: settings.waitTimeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
        log: line => core.info(line),
        signal
      })
      const targets = runs.map(found => ({ runId: found.runId }))
      // An apply is awaited run by run: each one's own wait reports a run left awaiting a person
      // (and sets its pending commit status) when the run list would only time it out.
      if (runs.length === 1 || settings.waitFor === 'apply') return { targets }
      const watch = watchRunList(client, {
        organization: target.organization,
        commitSha: target.commitSha,
        runs,
        isOver: settings.waitFor === 'run' ? isRunOver : isPlanOver,
        timeoutMs: settings.waitTimeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
        log: line => core.info(line),
        signal
      })
      return { targets, ready: found => watch.mayBeOver(describeTarget(found)) }
    }
  }
}

export function describeTarget(target: InspectTarget): string {
  return 'runId' in target ? target.runId : target.planId
}
